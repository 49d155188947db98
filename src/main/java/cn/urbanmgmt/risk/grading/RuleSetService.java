package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which grading rule-set version is active, here and in the database, and keeping the two equal.
 *
 * <p>Start-up: the rules on disk are compiled and checked; they become active if that version has
 * never been active before (a restart deploys edited files, but never undoes an activation or
 * rollback made through the API). When they are broken the database's active version is used and
 * the service says so loudly (health: DEGRADED); with neither, start-up fails listing the errors.
 *
 * <p>Several instances share one database: the database's active version is the truth. Each
 * instance polls it every second and switches when it changes, and every grading transaction
 * checks it before writing ({@link #verifyActive}), so no instance writes grades with a version
 * that is no longer active.
 */
@ApplicationScoped
public class RuleSetService {

    public static final String GRADING = "grading";
    public static final String KIND = "GRADING";
    private static final Logger LOG = Logger.getLogger(RuleSetService.class);
    /** Compiled versions kept ready: the active one, the one before (rollback) and a few candidates. */
    private static final int CACHE_SIZE = 4;

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    @ConfigProperty(name = "app.rules.evaluation-timeout-millis", defaultValue = "2000")
    long evaluationTimeoutMillis;

    @Inject
    GradingEngine engine;

    @Inject
    Instance<CandidateCheck> checks;

    @Inject
    RegradeJob regrade;

    private static final java.util.concurrent.ExecutorService WARMUP = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-warmup");
        t.setDaemon(true);
        return t;
    });

    private volatile String degradedReason;
    private volatile boolean started;
    /** Compiled versions by hash; each entry holds one lease. Guarded by this. */
    private final LinkedHashMap<String, CompiledRules> cache = new LinkedHashMap<>(8, 0.75f, true);

    /** Grading found the database's active version differs from the one it graded with. */
    public static class StaleRulesException extends RuntimeException {
        public StaleRulesException(String used, String active) {
            super("grading rules " + shortHash(used) + " are no longer active (database: " + shortHash(active) + ")");
        }
    }

    void onStart(@Observes @Priority(5) StartupEvent event) {
        CompiledRules.setTimeLimitMillis(evaluationTimeoutMillis);
        startUp(Path.of(rulesDir));
    }

    /** The start-up decision (see the class comment); public so tests can run it against other folders. */
    public void startUp(Path dir) {
        degradedReason = null;
        RuleSource disk = RuleSource.fromDirectory(dir, GRADING);
        String where = dir + "/" + GRADING;
        RuleSetVersion dbActive = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(KIND));
        RuleSetVersion known = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.findById(disk.hash()));
        if (dbActive != null && known != null && known.activatedAt != null) {
            // These files have been live before: the database's choice (an activation or rollback) stands.
            if (!disk.tests().equals(known.tests)) {
                QuarkusTransaction.requiringNew().run(() -> RuleSetVersion.<RuleSetVersion>findById(disk.hash()).tests = disk.tests());
            }
            startWith(dbActive, () -> "the rules in " + where + " (" + disk.shortHash() + ") have been active before; "
                    + "keeping the database's active version " + shortHash(dbActive.hash));
            return;
        }
        Candidate candidate = check(disk);
        if (candidate.ok()) {
            String previous = dbActive == null ? null : dbActive.hash;
            QuarkusTransaction.requiringNew().run(() -> {
                RuleSetVersion v = store(disk, "system", "启动时从 " + where + " 读取", "DISK");
                markActive(v, "system");
                RuleAudit.record("system", RuleAudit.Action.STARTUP, disk.hash(), previous, RuleAudit.Outcome.OK, null,
                        "启动时启用磁盘上的规则（" + where + "）", Map.of("compileMillis", candidate.millis()));
            });
            offer(candidate.rules());
            install(candidate.rules());
            LOG.infof("Grading rules %s active (%d rules from %s, compiled and checked in %d ms)", disk.shortHash(),
                    candidate.rules().ruleNames().size(), where, candidate.millis());
            warmRollbackTarget();
            if (previous != null && !previous.equals(disk.hash())) {
                regrade.start("system", LocalDate.now(EventService.ZONE), "启动时启用新规则 " + disk.shortHash(), "startup-activate-" + disk.hash());
            }
            started = true;
            return;
        }
        String errors = describe(candidate.errors());
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record("system", RuleAudit.Action.STARTUP, disk.hash(), null,
                RuleAudit.Outcome.FAILED, null, "启动时磁盘上的规则未通过检查（" + where + "）",
                Map.of("problems", candidate.errors().stream().map(RuleProblem::describe).toList())));
        if (dbActive == null) {
            throw new IllegalStateException("\n\n  The grading rules in " + where + " do not pass their checks and the database holds"
                    + " no earlier good version, so the service cannot start:\n" + errors + "\n");
        }
        startWith(dbActive, () -> null);
        degradedReason = "规则文件有错误，正在使用数据库中最后一个可用版本 " + shortHash(dbActive.hash) + "：" + errors;
        LOG.errorf("%n%n  !!! The grading rules on disk do not pass their checks; running on the last good version %s from the database.%n%s%n",
                shortHash(dbActive.hash), errors);
    }

    /** Starts on a stored version. It passed its checks when it was activated; it must still compile. */
    private void startWith(RuleSetVersion version, Supplier<String> note) {
        RuleCompiler.Result c = RuleCompiler.load(version.toSource());
        if (!c.ok()) {
            throw new IllegalStateException("\n\n  The database's active grading rules " + shortHash(version.hash) + " no longer compile:\n"
                    + describe(c.errors()) + "\n");
        }
        offer(c.rules());
        install(c.rules());
        String n = note.get();
        if (n != null) LOG.info(n);
        warmRollbackTarget();
        started = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        started = false;
    }

    /**
     * Compiles (or takes from the cache and checks again) and runs every {@link CandidateCheck}; the
     * result holds the compiled rules (one lease) only when all passed.
     */
    public Candidate check(RuleSource source) {
        long t0 = System.nanoTime();
        CompiledRules rules = cached(source.hash());
        List<RuleProblem> problems;
        if (rules != null) {
            problems = new ArrayList<>(RuleCompiler.recheck(rules));
        } else {
            RuleCompiler.Result result = RuleCompiler.compile(source);
            problems = new ArrayList<>(result.problems());
            rules = result.rules();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (rules == null) return new Candidate(source, problems, null, millis);
        if (problems.stream().noneMatch(RuleProblem::isError)) {
            for (CandidateCheck check : checks) problems.addAll(check.check(source, rules));
        }
        if (problems.stream().anyMatch(RuleProblem::isError)) {
            rules.release();
            return new Candidate(source, problems, null, millis);
        }
        return new Candidate(source, problems, rules, millis);
    }

    /** A lease on a cached compiled version, or null. */
    public synchronized CompiledRules cached(String hash) {
        CompiledRules c = cache.get(hash);
        return c != null && c.tryAcquire() ? c : null;
    }

    /** A checked rule set: problems (errors and warnings), and the compiled rules with one lease if there was no error. */
    public record Candidate(RuleSource source, List<RuleProblem> problems, CompiledRules rules, long millis) {
        public boolean ok() {
            return rules != null;
        }

        public List<RuleProblem> errors() {
            return problems.stream().filter(RuleProblem::isError).toList();
        }
    }

    /**
     * Makes the stored version of {@code candidate} active in the database (with {@code inTransaction},
     * e.g. the audit entry, in the same transaction) and then here. Activations are serialized across
     * instances by a transaction-level advisory lock. Takes over the candidate's lease. Returns the
     * hash that was active before.
     */
    public String activate(Candidate candidate, String user, java.util.function.Consumer<String> inTransaction) {
        if (!candidate.ok()) throw new IllegalArgumentException("candidate did not pass its checks");
        String hash = candidate.source().hash();
        offer(candidate.rules());
        candidate.rules().release();
        String previous = QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('rule_set_activation'))").getSingleResult();
            RuleSetVersion before = RuleSetVersion.active(KIND);
            RuleSetVersion v = RuleSetVersion.findById(hash);
            if (v == null) throw new IllegalStateException("version " + hash + " is not stored");
            if (before != null && before.hash.equals(hash)) {
                inTransaction.accept(hash);
                return hash;
            }
            markActive(v, user);
            inTransaction.accept(before == null ? null : before.hash);
            return before == null ? null : before.hash;
        });
        syncTo(hash);
        return previous;
    }

    /** Null when healthy; else why the service runs on a fallback rule set. */
    public String degradedReason() {
        return degradedReason;
    }

    /** The rules on disk have been read again and pass their checks: the start-up warning no longer holds. */
    public void diskRulesRepaired() {
        degradedReason = null;
    }

    /** Follows the database: activations and rollbacks made on other instances are in force here within a second or so. */
    @Scheduled(every = "${app.rules.sync-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (!started) return;
        try {
            syncWithDatabase();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not follow the active grading rules in the database");
        }
    }

    /** Makes the database's active version the active one here. */
    public void syncWithDatabase() {
        String hash = QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion v = RuleSetVersion.active(KIND);
            return v == null ? null : v.hash;
        });
        if (hash != null) syncTo(hash);
    }

    /** Activates {@code hash} here (compiling it from the database if it is not cached) and releases the one it replaces. */
    public void syncTo(String hash) {
        if (isActiveHere(hash)) return;
        CompiledRules rules = lease(hash);
        synchronized (this) {
            if (isActiveHere(hash)) {
                rules.release();
                return;
            }
            String was = engine.hasActive() ? engine.active().version() : null;
            install(rules);
            LOG.infof("Grading rules %s now active on this instance (was %s)", shortHash(hash), shortHash(was));
        }
    }

    private boolean isActiveHere(String hash) {
        return engine.hasActive() && engine.active().version().equals(hash);
    }

    private synchronized void install(CompiledRules rules) {
        CompiledRules old = engine.activate(rules);
        if (old != null && !old.version().equals(rules.version())) {
            degradedReason = null;
            warmRollbackTarget();
        }
        if (old != null) old.release();
    }

    /**
     * Compiles, in the background, the version that was active before the current one, so that a
     * rollback (the emergency path) is in force on every instance without a cold compile.
     */
    void warmRollbackTarget() {
        WARMUP.submit(() -> {
            try {
                String previous = QuarkusTransaction.requiringNew().call(() -> {
                    RuleSetVersion v = RuleSetVersion.<RuleSetVersion>find("kind = ?1 and active = false and activatedAt is not null order by activatedAt desc", KIND)
                            .firstResult();
                    return v == null ? null : v.hash;
                });
                if (previous != null) lease(previous).release();
            } catch (RuntimeException e) {
                LOG.debugf(e, "Could not prepare the rollback target");
            }
        });
    }

    /** A lease on the compiled version {@code hash}, from the cache or compiled from the database (outside the lock). */
    public CompiledRules lease(String hash) {
        synchronized (this) {
            CompiledRules cached = cache.get(hash);
            if (cached != null && cached.tryAcquire()) return cached;
        }
        RuleSetVersion v = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.findById(hash));
        if (v == null) throw new IllegalStateException("rule-set version " + hash + " not found");
        RuleCompiler.Result result = RuleCompiler.load(v.toSource());
        if (!result.ok()) {
            throw new IllegalStateException("stored rule-set version " + shortHash(hash) + " does not compile:\n" + describe(result.errors()));
        }
        offer(result.rules());
        return result.rules();
    }

    /** Keeps {@code rules} ready (the cache takes a lease of its own); evicts the least recently used. */
    public synchronized void offer(CompiledRules rules) {
        CompiledRules present = cache.get(rules.version());
        if (present == rules) return;
        if (!rules.tryAcquire()) return;
        if (present != null) present.release();
        cache.put(rules.version(), rules);
        Iterator<Map.Entry<String, CompiledRules>> it = cache.entrySet().iterator();
        while (cache.size() > CACHE_SIZE && it.hasNext()) {
            it.next().getValue().release();
            it.remove();
        }
    }

    /** Releases every cached version (the leak benchmark measures what is left after). */
    public synchronized void clearCache() {
        cache.values().forEach(CompiledRules::release);
        cache.clear();
    }

    /**
     * Inside a grading transaction, right before writing: the rules graded with must still be the
     * database's active version. Takes a share lock on that row, so an activation (which updates it)
     * waits for grading transactions that are writing, and those that come later see the new version.
     */
    public static void verifyActive(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select hash from rule_set_version where kind = ? and active for share")) {
            ps.setString(1, KIND);
            try (ResultSet rs = ps.executeQuery()) {
                String active = rs.next() ? rs.getString(1) : null;
                if (!version.equals(active)) throw new StaleRulesException(version, active);
            }
        }
    }

    public static RuleSetVersion store(RuleSource source, String user, String comment, String origin) {
        RuleSetVersion v = RuleSetVersion.findById(source.hash());
        if (v == null) {
            v = new RuleSetVersion();
            v.hash = source.hash();
            v.kind = KIND;
            v.files = source.files();
            v.tests = source.tests();
            v.createdAt = OffsetDateTime.now();
            v.createdBy = user;
            v.comment = comment;
            v.source = origin;
            v.persist();
        } else if (!source.tests().equals(v.tests)) {
            v.tests = source.tests();
        }
        return v;
    }

    static void markActive(RuleSetVersion v, String user) {
        if (v.active) return;
        RuleSetVersion.update("active = false where kind = ?1 and active = true", v.kind);
        RuleSetVersion.getEntityManager().flush();
        v.active = true;
        v.activatedAt = OffsetDateTime.now();
        v.activatedBy = user;
    }

    public static String describe(List<RuleProblem> problems) {
        return problems.stream().map(p -> "    " + p.describe()).collect(Collectors.joining("\n"));
    }

    static String shortHash(String hash) {
        return hash == null ? "-" : hash.substring(0, Math.min(12, hash.length()));
    }

    public CompiledRules active() {
        return engine.active();
    }
}
