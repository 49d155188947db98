package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.engine.LoadedRules;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Which version of one kind of rule set (grading, sampling) is active, here and in the database, and
 * keeping the two equal. One subclass per kind says how that kind compiles, is checked and is put
 * to use; the life cycle is the same for all.
 *
 * <p>Start-up: the rules on disk are compiled and checked; they become active if that version has
 * never been active before (a restart deploys edited files, but never undoes an activation or
 * rollback made through the API). When they are broken the database's active version is used and
 * the service says so loudly (health: DEGRADED); with neither, {@link #noGoodVersionAtStartUp} decides.
 *
 * <p>Several instances share one database: the database's active version is the truth. Each
 * instance polls it every second ({@link #followDatabase}) and switches when it changes.
 */
public abstract class RuleSetRuntime<R extends LoadedRules> {

    /** Compiled versions kept ready: the active one, the one before (rollback) and a few candidates. */
    private static final int CACHE_SIZE = 4;
    private static final java.util.concurrent.ExecutorService WARMUP = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-warmup");
        t.setDaemon(true);
        return t;
    });

    protected final Logger log = Logger.getLogger(getClass());
    private volatile String degradedReason;
    private volatile boolean started;
    /** Compiled versions by hash; each entry holds one lease. Guarded by this. */
    private final LinkedHashMap<String, R> cache = new LinkedHashMap<>(8, 0.75f, true);

    /** The outcome of a compile: problems (errors first), the rules with one lease when there was no error, the time taken. */
    public record Compiled<R>(List<RuleProblem> problems, R rules, long millis) {
        public boolean ok() {
            return rules != null;
        }

        public List<RuleProblem> errors() {
            return problems.stream().filter(RuleProblem::isError).toList();
        }

        public List<RuleProblem> warnings() {
            return problems.stream().filter(p -> !p.isError()).toList();
        }
    }

    /** A checked rule set: problems (errors and warnings), and the compiled rules with one lease if there was no error. */
    public record Candidate<R>(RuleSource source, List<RuleProblem> problems, R rules, long millis) {
        public boolean ok() {
            return rules != null;
        }

        public List<RuleProblem> errors() {
            return problems.stream().filter(RuleProblem::isError).toList();
        }
    }

    // ---- what differs between kinds ------------------------------------------------------------

    private final String kind;
    private final String folder;
    private final String label;

    /**
     * @param kind as stored with versions and audit entries, e.g. "GRADING"
     * @param folder the rule folder under rules/, e.g. "grading"
     * @param label how messages name this rule set, e.g. "规则" or "抽查规则"
     */
    protected RuleSetRuntime(String kind, String folder, String label) {
        this.kind = kind;
        this.folder = folder;
        this.label = label;
    }

    /** The kind as stored with versions and audit entries, e.g. "GRADING". */
    public String kind() {
        return kind;
    }

    /** The rule folder under rules/, e.g. "grading". */
    public String folder() {
        return folder;
    }

    /** How messages name this rule set, e.g. "规则" or "抽查规则". */
    public String label() {
        return label;
    }

    /** Compiles a candidate with every check of its own (problems placed at file, line, rule; probe runs). */
    public abstract Compiled<R> compile(RuleSource source);

    /** Compiles a version that passed its checks before, to use it: compile errors count, probes are not run again. */
    protected abstract Compiled<R> load(RuleSource source);

    /** The checks {@link #compile} makes after building, again on rules compiled earlier (kept in the cache). */
    protected abstract List<RuleProblem> recheck(R rules);

    /** Further checks a candidate must pass before it may become active (its test scenarios). */
    protected abstract List<RuleProblem> candidateChecks(RuleSource source, R rules);

    /** Puts {@code rules} to use here, taking over the caller's lease; returns the rules it replaced (or null). */
    protected abstract R installHere(R rules);

    /** What is in use here, or null. */
    public abstract R activeHere();

    /** The disk's rules were activated at start-up, replacing {@code previous} (null: none). */
    protected void activatedAtStartUp(String previous, RuleSource disk) {
    }

    /** The rules on disk fail their checks and the database holds no good version. The default refuses to start. */
    protected void noGoodVersionAtStartUp(String where, String errors) {
        throw new IllegalStateException("\n\n  The " + folder() + " rules in " + where + " do not pass their checks and the database holds"
                + " no earlier good version, so the service cannot start:\n" + errors + "\n");
    }

    // ---- start-up -------------------------------------------------------------------------------

    /** The start-up decision (see the class comment); public so tests can run it against other folders. */
    public void startUp(Path dir) {
        degradedReason = null;
        String where = dir + "/" + folder();
        RuleSource disk;
        try {
            disk = RuleSource.fromDirectory(dir, folder());
        } catch (RuleSource.UnreadableFile e) {
            refuseDisk(where, null, List.of(RuleProblem.error(RuleProblem.Kind.SYNTAX, e.file(), e.line(), null, e.getMessage())));
            return;
        } catch (IllegalStateException | UncheckedIOException e) {
            refuseDisk(where, null, List.of(RuleProblem.error(RuleProblem.Kind.EMPTY, folder(), null, null,
                    "无法读取规则目录 " + where + "：" + e.getMessage())));
            return;
        }
        RuleSetVersion dbActive = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(kind()));
        RuleSetVersion known = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.findById(disk.hash()));
        if (dbActive != null && known != null && known.activatedAt != null) {
            // These files have been live before: the database's choice (an activation or rollback) stands.
            if (!disk.tests().equals(known.tests)) {
                QuarkusTransaction.requiringNew().run(() -> RuleSetVersion.<RuleSetVersion>findById(disk.hash()).tests = disk.tests());
            }
            startWith(dbActive, () -> "the " + folder() + " rules in " + where + " (" + disk.shortHash() + ") have been active before; "
                    + "keeping the database's active version " + shortHash(dbActive.hash));
            return;
        }
        Candidate<R> candidate = check(disk);
        if (candidate.ok()) {
            String previous = dbActive == null ? null : dbActive.hash;
            QuarkusTransaction.requiringNew().run(() -> {
                RuleSetVersion v = store(kind(), disk, "system", "启动时从 " + where + " 读取", "DISK");
                markActive(v, "system");
                v.approveAsShipped();
                RuleAudit.record(kind(), "system", RuleAudit.Action.STARTUP, disk.hash(), previous, RuleAudit.Outcome.OK, null,
                        "启动时启用磁盘上的" + label() + "（" + where + "）", Map.of("compileMillis", candidate.millis()));
            });
            offer(candidate.rules());
            install(candidate.rules());
            log.infof("%s rules %s active (%d rules from %s, compiled and checked in %d ms)", folder(), disk.shortHash(),
                    candidate.rules().ruleNames().size(), where, candidate.millis());
            warmRollbackTarget();
            if (previous != null && !previous.equals(disk.hash())) activatedAtStartUp(previous, disk);
            started = true;
            return;
        }
        refuseDisk(where, disk.hash(), candidate.errors());
    }

    /** The rules on disk cannot be used: audited; the database's active version carries on, degraded, if there is one. */
    private void refuseDisk(String where, String hash, List<RuleProblem> problems) {
        String errors = describe(problems);
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(kind(), "system", RuleAudit.Action.STARTUP, hash, null,
                RuleAudit.Outcome.FAILED, null, "启动时磁盘上的" + label() + "未通过检查（" + where + "）",
                Map.of("problems", problems.stream().map(RuleProblem::describe).toList())));
        RuleSetVersion dbActive = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(kind()));
        if (dbActive == null) {
            noGoodVersionAtStartUp(where, errors);
            started = true;
            return;
        }
        startWith(dbActive, () -> null);
        degradedReason = label() + "文件有错误，正在使用数据库中最后一个可用版本 " + shortHash(dbActive.hash) + "：" + errors;
        log.errorf("%n%n  !!! The %s rules on disk do not pass their checks; running on the last good version %s from the database.%n%s%n",
                folder(), shortHash(dbActive.hash), errors);
    }

    /** Starts on a stored version. It passed its checks when it was activated; it must still compile. */
    private void startWith(RuleSetVersion version, Supplier<String> note) {
        Compiled<R> c = load(version.toSource());
        if (!c.ok()) {
            throw new IllegalStateException("\n\n  The database's active " + folder() + " rules " + shortHash(version.hash) + " no longer compile:\n"
                    + describe(c.errors()) + "\n");
        }
        offer(c.rules());
        install(c.rules());
        String n = note.get();
        if (n != null) log.info(n);
        warmRollbackTarget();
        started = true;
    }

    protected void stopped() {
        started = false;
    }

    /** Null when healthy; else why this kind runs on a fallback (or on nothing). */
    public String degradedReason() {
        return degradedReason;
    }

    /** For kinds that can run without rules: why there are none. */
    protected void degraded(String reason) {
        degradedReason = reason;
    }

    /** The rules on disk have been read again and pass their checks: the start-up warning no longer holds. */
    public void diskRulesRepaired() {
        if (activeHere() != null) degradedReason = null;
    }

    // ---- checking and activating ------------------------------------------------------------------

    /**
     * Compiles (or takes from the cache and checks again) and runs {@link #candidateChecks}; the
     * result holds the compiled rules (one lease) only when all passed.
     */
    public Candidate<R> check(RuleSource source) {
        long t0 = System.nanoTime();
        R rules = cached(source.hash());
        List<RuleProblem> problems;
        if (rules != null) {
            problems = new ArrayList<>(recheck(rules));
        } else {
            Compiled<R> result = compile(source);
            problems = new ArrayList<>(result.problems());
            rules = result.rules();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (rules == null) return new Candidate<>(source, problems, null, millis);
        if (problems.stream().noneMatch(RuleProblem::isError)) problems.addAll(candidateChecks(source, rules));
        if (problems.stream().anyMatch(RuleProblem::isError)) {
            rules.release();
            return new Candidate<>(source, problems, null, millis);
        }
        return new Candidate<>(source, problems, rules, millis);
    }

    /**
     * Makes the stored version of {@code candidate} active in the database (with {@code inTransaction},
     * e.g. the audit entry, in the same transaction) and then here. Activations are serialized across
     * instances by a transaction-level advisory lock. Takes over the candidate's lease. Returns the
     * hash that was active before.
     */
    public String activate(Candidate<R> candidate, String user, Consumer<String> inTransaction) {
        if (!candidate.ok()) throw new IllegalArgumentException("candidate did not pass its checks");
        String hash = candidate.source().hash();
        offer(candidate.rules());
        candidate.rules().release();
        String previous = QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('rule_set_activation'))").getSingleResult();
            RuleSetVersion before = RuleSetVersion.active(kind());
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

    // ---- following the database -------------------------------------------------------------------

    /** Called by each kind's scheduler: activations and rollbacks made on other instances are in force here within a second or so. */
    protected void followDatabase() {
        if (!started) return;
        try {
            syncWithDatabase();
        } catch (RuntimeException e) {
            log.errorf(e, "Could not follow the active %s rules in the database", folder());
        }
    }

    /** Makes the database's active version the active one here. */
    public void syncWithDatabase() {
        String hash = QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion v = RuleSetVersion.active(kind());
            return v == null ? null : v.hash;
        });
        if (hash != null) syncTo(hash);
    }

    /** Activates {@code hash} here (compiling it from the database if it is not cached) and releases the one it replaces. */
    public void syncTo(String hash) {
        if (isActiveHere(hash)) return;
        R rules = lease(hash);
        synchronized (this) {
            if (isActiveHere(hash)) {
                rules.release();
                return;
            }
            R was = activeHere();
            install(rules);
            log.infof("%s rules %s now active on this instance (was %s)", folder(), shortHash(hash), was == null ? "-" : shortHash(was.version()));
        }
    }

    private boolean isActiveHere(String hash) {
        R here = activeHere();
        return here != null && here.version().equals(hash);
    }

    private synchronized void install(R rules) {
        R old = installHere(rules);
        if (old == null || !old.version().equals(rules.version())) {
            degradedReason = null;
            if (old != null) warmRollbackTarget();
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
                String previous = rollbackTarget();
                if (previous != null) lease(previous).release();
            } catch (RuntimeException e) {
                log.debugf(e, "Could not prepare the rollback target");
            }
        });
    }

    /** The version that was active before the current one, or null. */
    public String rollbackTarget() {
        return QuarkusTransaction.requiringNew().call(() -> {
            RuleSetVersion v = RuleSetVersion.<RuleSetVersion>find("kind = ?1 and active = false and activatedAt is not null order by activatedAt desc",
                    kind()).firstResult();
            return v == null ? null : v.hash;
        });
    }

    // ---- the cache of compiled versions -------------------------------------------------------------

    /** A lease on a cached compiled version, or null. */
    public synchronized R cached(String hash) {
        R c = cache.get(hash);
        return c != null && c.tryAcquire() ? c : null;
    }

    /** A lease on the compiled version {@code hash}, from the cache or compiled from the database (outside the lock). */
    public R lease(String hash) {
        synchronized (this) {
            R cached = cache.get(hash);
            if (cached != null && cached.tryAcquire()) return cached;
        }
        RuleSetVersion v = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.findById(hash));
        if (v == null) throw new IllegalStateException("rule-set version " + hash + " not found");
        Compiled<R> result = load(v.toSource());
        if (!result.ok()) {
            throw new IllegalStateException("stored rule-set version " + shortHash(hash) + " does not compile:\n" + describe(result.errors()));
        }
        offer(result.rules());
        return result.rules();
    }

    /** Keeps {@code rules} ready (the cache takes a lease of its own); evicts the least recently used. */
    public synchronized void offer(R rules) {
        R present = cache.get(rules.version());
        if (present == rules) return;
        if (!rules.tryAcquire()) return;
        if (present != null) present.release();
        cache.put(rules.version(), rules);
        Iterator<Map.Entry<String, R>> it = cache.entrySet().iterator();
        while (cache.size() > CACHE_SIZE && it.hasNext()) {
            it.next().getValue().release();
            it.remove();
        }
    }

    /** Releases every cached version (the leak benchmark measures what is left after). */
    public synchronized void clearCache() {
        cache.values().forEach(LoadedRules::release);
        cache.clear();
    }

    // ---- the stored versions ------------------------------------------------------------------------

    /** Stores a version of {@code kind} (or updates the scenarios of a known one) in the caller's transaction. */
    public static RuleSetVersion store(String kind, RuleSource source, String user, String comment, String origin) {
        RuleSetVersion v = RuleSetVersion.findById(source.hash());
        if (v == null) {
            v = new RuleSetVersion();
            v.hash = source.hash();
            v.kind = kind;
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

    public static String shortHash(String hash) {
        return hash == null ? "-" : hash.substring(0, Math.min(12, hash.length()));
    }
}
