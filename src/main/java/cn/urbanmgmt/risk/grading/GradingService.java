package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.common.SqlRetry;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.Evaluator;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.jobs.JobHandler;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one regrade path: every grade write (an event, an import, a registry change, a visit result, a
 * correction, a full or partial job, an activation, the drain of "needs regrade" marks) comes through
 * here. Read facts, run the active rules, write grades and history, in one transaction per batch.
 *
 * <p>Per merchant, the order is the order of its data: facts are read with the merchant's data version
 * ({@link Freshness}) and a grade from older data never replaces one from newer data
 * ({@link GradeStore#write}); single-merchant batches lock the merchant's grade row while writing, so
 * what they answer is what is stored. A merchant whose evaluation faults keeps its last good grade and
 * is listed ({@link GradeFaults}); the others in its batch or chunk are graded all the same.
 */
@ApplicationScoped
public class GradingService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GradingService.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GradingEngine engine;

    private final io.micrometer.core.instrument.Timer readTimer;
    private final io.micrometer.core.instrument.Timer evaluateTimer;
    private final io.micrometer.core.instrument.Timer writeTimer;
    private final io.micrometer.core.instrument.Counter faultCounter;
    private final io.micrometer.core.instrument.Counter missedCounter;

    /** Time spent per regrade chunk reading facts, running the rules and writing grades (Prometheus). */
    @Inject
    GradingService(io.micrometer.core.instrument.MeterRegistry registry) {
        readTimer = registry.timer("grading.chunk.read");
        evaluateTimer = registry.timer("grading.chunk.evaluate");
        writeTimer = registry.timer("grading.chunk.write");
        faultCounter = registry.counter("grading.evaluation.faults");
        missedCounter = registry.counter("grading.incremental.missed");
    }

    @Inject
    RuleSetService ruleSets;

    /**
     * For tests only: throws a transient SQL failure (serialization failure, 40001) inside the next
     * {@code n} chunk transactions, after their grades were written and before they commit.
     */
    public static final java.util.concurrent.atomic.AtomicInteger INJECT_CHUNK_FAILURES = new java.util.concurrent.atomic.AtomicInteger();
    /** For tests only: the next {@code n} single-merchant regrades die before they commit (a crash after storing). */
    public static final java.util.concurrent.atomic.AtomicInteger INJECT_REGRADE_CRASHES = new java.util.concurrent.atomic.AtomicInteger();

    /** What one batch did; {@code stored} is what is stored after it (small batches only). */
    public record BatchResult(int graded, int changed, String version, List<GradeStore.Graded> grades,
                              Map<Long, Grade> previous, List<GradeFaults.Fault> faults, Map<Long, GradeStore.Stored> stored) {
    }

    /**
     * A merchant's grade after a change, as stored: {@code fault} says (zh-CN) why it could not be
     * recomputed when the rules faulted for it; it then keeps its last good grade.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Regraded(Grade grade, Integer score, Grade previousGrade, boolean changed, String ruleSetVersion, String fault) {
    }

    /** Regrades the listed merchants as of today. */
    public BatchResult regradeMerchants(List<Long> ids, String cause) {
        return regradeMerchants(ids, LocalDate.now(EventService.ZONE), cause);
    }

    public BatchResult regradeMerchants(List<Long> ids, LocalDate date, String cause) {
        List<Long> sorted = ids.stream().distinct().sorted().toList();
        if (sorted.isEmpty()) return new BatchResult(0, 0, engine.active().version(), List.of(), Map.of(), List.of(), Map.of());
        return SqlRetry.run("regrade of " + sorted.size() + " merchant(s)", 4, SqlRetry::isTransient, () -> withActiveRules(lease -> inTransaction(c -> {
            Evaluator rules = lease.evaluator();
            List<GradeStore.Graded> grades = new ArrayList<>(sorted.size());
            List<GradeFaults.Fault> faults = new ArrayList<>();
            Map<Long, LocalDate> later = FactReader.firstEventsAfter(c, sorted, date);
            FactReader.readIds(c, sorted, date, rules.lookBackDays(), (facts, dv) -> gradeInto(rules, facts, dv, later, grades, faults));
            if (lease.isRules()) RuleSetService.verifyActive(c, rules.version());
            Map<Long, GradeStore.Stored> before = GradeStore.lockIds(c, sorted);
            int changed = GradeStore.write(c, grades, before, rules.version(), cause, date);
            settle(c, grades, faults, rules.version());
            GradeFaults.clear(c, grades.stream().map(GradeStore.Graded::merchantId).toList());
            if (INJECT_REGRADE_CRASHES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("injected crash before the regrade committed");
            }
            Map<Long, Grade> previous = new java.util.HashMap<>();
            before.forEach((id, stored) -> previous.put(id, stored.grade()));
            Map<Long, GradeStore.Stored> after = sorted.size() <= 1000 ? GradeStore.storedIds(c, sorted) : Map.of();
            return new BatchResult(grades.size(), changed, rules.version(), grades, previous, faults, after);
        })));
    }

    /**
     * Regrades one merchant after a change to it and says what is stored now: its new grade, or (when
     * a newer change was graded meanwhile) that newer one, or its last good grade and why not.
     */
    public Regraded regradeOne(long merchantId, String cause) {
        BatchResult r = regradeMerchants(List.of(merchantId), cause);
        return answer(merchantId, r);
    }

    /**
     * Makes sure a merchant's grade is current (a retried request after a crash: its change is stored,
     * its regrade may not be), regrading only when its "needs regrade" mark is set; says what is stored.
     */
    public Regraded ensureCurrent(long merchantId, String cause) {
        boolean pending = inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("select pending from merchant_freshness where merchant_id = ?")) {
                ps.setLong(1, merchantId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
        if (pending) return regradeOne(merchantId, cause);
        Map<Long, GradeStore.Stored> stored = inTransaction(c -> GradeStore.storedIds(c, List.of(merchantId)));
        GradeStore.Stored s = stored.get(merchantId);
        String fault = inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("select message from grade_fault where merchant_id = ?")) {
                ps.setLong(1, merchantId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return new Regraded(s == null ? null : s.grade(), s == null ? null : s.score(), s == null ? null : s.grade(), false,
                s == null ? null : s.version(), fault == null ? null : faultText(fault, s));
    }

    private static Regraded answer(long merchantId, BatchResult r) {
        GradeStore.Stored now = r.stored().get(merchantId);
        Grade previous = r.previous().get(merchantId);
        String fault = r.faults().stream().filter(f -> f.merchantId() == merchantId).findFirst()
                .map(f -> faultText(f.message(), now)).orElse(null);
        return new Regraded(now == null ? null : now.grade(), now == null ? null : now.score(), previous,
                now != null && now.grade() != previous, now == null ? null : now.version(), fault);
    }

    private static String faultText(String why, GradeStore.Stored kept) {
        return "该商户的风险等级未能重新计算：" + why + "。"
                + (kept == null ? "该商户尚无等级。" : "仍保留上次的等级 " + kept.grade().name() + "（" + kept.grade().colour() + "，" + kept.score() + " 分）。")
                + "此商户已列入“评级异常商户”（GET /api/v1/grading/faults），请规则管理员修正规则后重新评级。";
    }

    /**
     * Why the active rules do not count an event that happened at {@code occurredAt} (zh-CN), or null
     * when they do: it lies before the rule set's look-back (credit records always count).
     */
    public String lookBackNotice(boolean credit, java.time.OffsetDateTime occurredAt) {
        if (credit || occurredAt == null || !engine.hasActive()) return null;
        var rules = engine.active();
        int days = rules.lookBackDays();
        LocalDate today = LocalDate.now(EventService.ZONE);
        LocalDate on = occurredAt.atZoneSameInstant(EventService.ZONE).toLocalDate();
        LocalDate first = today.minusDays(days);
        if (!on.isBefore(first)) return null;
        return "该事件发生于 " + on + "，早于当前生效的评级规则（版本 " + rules.source().shortHash() + "）的回溯期：规则集只计入评级日前 "
                + days + " 天内（今天评级即 " + first + " 及以后）的事件。事件已记录，可在商户页面查看，但当前规则不计入它，它不影响该商户的等级。"
                + "回溯期由规则集中的 @" + cn.urbanmgmt.risk.grading.engine.LookBack.KEY + " 声明（见 grading/00-thresholds.drl）。";
    }

    /** Grades one merchant into {@code grades}, or records why its rules faulted into {@code faults}. */
    private void gradeInto(Evaluator rules, MerchantFacts facts, long dataVersion, Map<Long, LocalDate> later, List<GradeStore.Graded> grades,
                           List<GradeFaults.Fault> faults) {
        try {
            grades.add(grade(rules, facts, dataVersion, later.get(facts.merchant().getId())));
        } catch (GradingFailedException e) {
            faultCounter.increment();
            LOG.warnf("%s", e.getMessage());
            faults.add(GradeFaults.Fault.of(e, dataVersion));
        }
    }

    /** Faults recorded, and the "needs regrade" marks cleared of all that were graded or faulted (last: short row locks). */
    private static void settle(Connection c, List<GradeStore.Graded> grades, List<GradeFaults.Fault> faults, String version) throws SQLException {
        GradeFaults.record(c, faults, version);
        Map<Long, Long> versions = new java.util.TreeMap<>();
        for (GradeStore.Graded g : grades) versions.put(g.merchantId(), g.dataVersion());
        for (GradeFaults.Fault f : faults) versions.put(f.merchantId(), f.dataVersion());
        GradeStore.clearPending(c, versions);
    }

    /**
     * Regrades merchants with ids in [fromId, toId] for a job chunk; {@code complete} runs in the
     * same transaction, so the chunk's DONE mark and its grades commit together.
     */
    public BatchResult regradeRange(long fromId, long toId, LocalDate date, String cause, JobHandler.ChunkCompletion complete) {
        return regradeChunk(fromId, toId, false, date, cause, complete);
    }

    /**
     * The incremental daily regrade of a job chunk: of the merchants with ids in [fromId, toId], those whose
     * stored result can have changed by {@code date} without a new event (next_change_date on or before it) or
     * that are marked "needs regrade"; the others keep their grade, which the rules give for this date too.
     */
    public BatchResult regradeDue(long fromId, long toId, LocalDate date, String cause, JobHandler.ChunkCompletion complete) {
        return regradeChunk(fromId, toId, true, date, cause, complete);
    }

    /** The merchants in [fromId, toId] that {@link #regradeDue} regrades as of {@code date}, ascending. */
    static List<Long> dueIds(Connection c, long fromId, long toId, LocalDate date) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(DUE + " and merchant_id between ? and ? order by 1")) {
            ps.setObject(1, date);
            ps.setLong(2, fromId);
            ps.setLong(3, toId);
            ps.setLong(4, fromId);
            ps.setLong(5, toId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * Merchants due for the incremental regrade as of the date (parameter 1): their result can change by then
     * (or nobody knows when: next_change_date null), or they are marked "needs regrade". Append a condition on
     * merchant_id (applies to the second part).
     */
    private static final String DUE = """
            select merchant_id from merchant_grade where (next_change_date <= ? or next_change_date is null) and merchant_id between ? and ?
            union select merchant_id from merchant_freshness where pending""";

    private BatchResult regradeChunk(long fromId, long toId, boolean dueOnly, LocalDate date, String cause, JobHandler.ChunkCompletion complete) {
        return withActiveRules(lease -> inTransaction(c -> {
            Evaluator rules = lease.evaluator();
            long t0 = System.nanoTime();
            List<GradeFaults.Fault> faults = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicLong evaluateNanos = new java.util.concurrent.atomic.AtomicLong();
            List<Long> due = dueOnly ? dueIds(c, fromId, toId, date) : null;
            List<GradeStore.Graded> grades;
            Map<Long, GradeStore.Stored> before;
            if (dueOnly && due.isEmpty()) {
                grades = List.of();
                before = Map.of();
            } else {
                Map<Long, LocalDate> later = dueOnly ? FactReader.firstEventsAfter(c, due, date) : FactReader.firstEventsAfter(c, fromId, toId, date);
                grades = readAndEvaluate(c, dueOnly ? (cx, sink) -> FactReader.readIds(cx, due, date, rules.lookBackDays(), sink)
                        : (cx, sink) -> FactReader.readRange(cx, fromId, toId, date, rules.lookBackDays(), sink), rules, later, faults, evaluateNanos);
                before = dueOnly ? GradeStore.storedIds(c, due) : GradeStore.storedRange(c, fromId, toId);
            }
            long t1 = System.nanoTime();
            List<Long> missed = dueOnly ? List.of() : missed(rules, grades, before, date);
            if (lease.isRules()) RuleSetService.verifyActive(c, rules.version());
            int changed = GradeStore.write(c, grades, before, rules.version(), cause, date);
            if (dueOnly) GradeFaults.clear(c, grades.stream().map(GradeStore.Graded::merchantId).toList());
            else GradeFaults.clearRange(c, fromId, toId, faults.stream().map(GradeFaults.Fault::merchantId).toList());
            if (INJECT_CHUNK_FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("injected serialization failure", "40001");
            }
            settle(c, grades, faults, rules.version());
            long t2 = System.nanoTime();
            readTimer.record(t1 - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            writeTimer.record(t2 - t1, java.util.concurrent.TimeUnit.NANOSECONDS);
            Map<String, Object> result = new java.util.LinkedHashMap<>();
            result.put("changed", changed);
            result.put("version", rules.version());
            result.put("faults", faults.size());
            result.put("graded", grades.size());
            result.put("readMs", (t1 - t0) / 1_000_000);
            result.put("evaluateMs", evaluateNanos.get() / 1_000_000);
            result.put("writeMs", (t2 - t1) / 1_000_000);
            if (!dueOnly) {
                result.put("missed", missed.size());
                result.put("missedIds", missed.subList(0, Math.min(20, missed.size())));
            }
            complete.complete(c, grades.size() + faults.size(), result);
            return new BatchResult(grades.size(), changed, rules.version(), List.of(), Map.of(), List.copyOf(faults), Map.of());
        }));
    }

    /**
     * Merchants whose stored result claimed to hold on {@code date} (graded with these rules from the same data,
     * as of a date not after it, its next change after it) but that the rules now grade differently: the
     * incremental passes missed them. Logged one by one and counted (grading_incremental_missed_total).
     */
    private List<Long> missed(Evaluator rules, List<GradeStore.Graded> grades, Map<Long, GradeStore.Stored> before, LocalDate date) {
        if (!rules.ageWindows().bounded()) return List.of();
        List<Long> out = new ArrayList<>();
        for (GradeStore.Graded g : grades) {
            GradeStore.Stored old = before.get(g.merchantId());
            if (old == null || !old.version().equals(rules.version()) || old.dataVersion() != g.dataVersion() || old.evaluationDate() == null
                    || old.evaluationDate().isAfter(date) || old.nextChange() == null || !old.nextChange().isAfter(date)) {
                continue;
            }
            if (old.grade() != g.grade() || old.score() != g.score() || old.reasonsHash() != g.reasonsHash()) {
                out.add(g.merchantId());
                LOG.warnf("Incremental regrade missed merchant %d: stored %s (%d points, as of %s, next change %s), now %s (%d points) as of %s",
                        g.merchantId(), old.grade(), old.score(), old.evaluationDate(), old.nextChange(), g.grade(), g.score(), date);
            }
        }
        if (!out.isEmpty()) missedCounter.increment(out.size());
        return out;
    }

    /**
     * Regrades merchants whose "needs regrade" mark is older than {@code graceMillis} (their own request
     * did not get to it: the instance died, or the regrade failed). Runs every second on every instance
     * and right after start; returns how many merchants it regraded.
     */
    public int drainPending(long graceMillis) {
        List<Long> ids = inTransaction(c -> {
            List<Long> out = new ArrayList<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("""
                    select merchant_id from merchant_freshness where pending and changed_at < now() - make_interval(secs => ?)
                    order by changed_at limit 1000""")) {
                ps.setDouble(1, graceMillis / 1000.0);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
        if (ids.isEmpty()) return 0;
        LOG.infof("Regrading %d merchant(s) marked as needing a regrade", ids.size());
        regradeMerchants(ids, "补做重新评级（变更后未完成的评级）");
        return ids.size();
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "app.grading.pending-grace-millis", defaultValue = "1000")
    long pendingGraceMillis;

    private volatile boolean stopping;

    void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    /** For tests only: while true, the scheduled drain does nothing (as if no instance were running it). */
    public static volatile boolean PAUSE_DRAIN;

    @io.quarkus.scheduler.Scheduled(every = "${app.grading.drain-interval:1s}", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void drainScheduled() {
        if (PAUSE_DRAIN || stopping || !engine.hasActive()) return;
        try {
            while (drainPending(pendingGraceMillis) == 1000) {
                // a backlog (e.g. after a long outage): keep going
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Draining pending regrades failed; retrying in a second");
        }
    }

    /** Merchants handed to an evaluator thread at a time while the next rows stream in. */
    static final int EVALUATION_BATCH = 500;

    /**
     * Evaluation threads, one per core ({@link cn.urbanmgmt.risk.common.WorkerPools#gradingEvaluators}): a chunk's merchants are
     * evaluated there in batches while its worker thread goes on reading rows from PostgreSQL, so reading and evaluating
     * overlap instead of taking turns.
     */
    @Inject
    cn.urbanmgmt.risk.common.WorkerPools pools;

    /** Reads merchants with {@code fromId <= id <= toId} and grades them, reading and evaluating at the same time. */
    /** Streams one selection of merchants' facts into a sink (a range, or listed ids). */
    interface FactSource {
        void read(Connection c, FactReader.Sink sink) throws SQLException;
    }

    private List<GradeStore.Graded> readAndEvaluate(Connection c, FactSource source, Evaluator rules, Map<Long, LocalDate> later,
                                                    List<GradeFaults.Fault> faults, java.util.concurrent.atomic.AtomicLong evaluateNanos)
            throws SQLException {
        List<java.util.concurrent.Future<List<GradeStore.Graded>>> parts = new ArrayList<>();
        List<MerchantFacts> batch = new ArrayList<>(EVALUATION_BATCH);
        List<Long> versions = new ArrayList<>(EVALUATION_BATCH);
        try {
            source.read(c, (facts, dv) -> {
                batch.add(facts);
                versions.add(dv);
                if (batch.size() == EVALUATION_BATCH) {
                    parts.add(evaluateLater(rules, List.copyOf(batch), List.copyOf(versions), later, faults, evaluateNanos));
                    batch.clear();
                    versions.clear();
                }
            });
            if (!batch.isEmpty()) parts.add(evaluateLater(rules, List.copyOf(batch), List.copyOf(versions), later, faults, evaluateNanos));
            List<GradeStore.Graded> grades = new ArrayList<>(parts.size() * EVALUATION_BATCH);
            for (java.util.concurrent.Future<List<GradeStore.Graded>> part : parts) grades.addAll(part.get());
            return grades;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("grading interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            parts.forEach(f -> f.cancel(false));
        }
    }

    private java.util.concurrent.Future<List<GradeStore.Graded>> evaluateLater(Evaluator rules, List<MerchantFacts> batch, List<Long> versions,
                                                                             Map<Long, LocalDate> later, List<GradeFaults.Fault> faults,
                                                                             java.util.concurrent.atomic.AtomicLong evaluateNanos) {
        return pools.gradingEvaluators().submit(() -> {
            long t0 = System.nanoTime();
            List<GradeStore.Graded> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) gradeInto(rules, batch.get(i), versions.get(i), later, out, faults);
            long spent = System.nanoTime() - t0;
            evaluateNanos.addAndGet(spent);
            evaluateTimer.record(spent, java.util.concurrent.TimeUnit.NANOSECONDS);
            return out;
        });
    }

    /**
     * Grades with a lease on the active rules. When the database says another version became active
     * meanwhile (on this or another instance), the batch is rolled back, this instance switches to
     * that version and the batch runs again: no grade is written with a version no longer active.
     */
    private <T> T withActiveRules(java.util.function.Function<GradingEngine.Lease, T> work) {
        for (int attempt = 1; ; attempt++) {
            try (GradingEngine.Lease lease = engine.lease()) {
                return work.apply(lease);
            } catch (RuleSetService.StaleRulesException e) {
                if (attempt >= 3) throw e;
                ruleSets.syncWithDatabase();
            }
        }
    }

    /**
     * Runs {@code rules} over merchants in [fromId, toId] as of {@code date} and hands each result to
     * {@code sink}; writes nothing (simulations, what-if counts).
     */
    public void evaluateRange(long fromId, long toId, LocalDate date, Evaluator rules,
                              java.util.function.BiConsumer<MerchantFacts, Assessment> sink) {
        readRange(fromId, toId, date, rules.lookBackDays(), facts -> {
            try {
                sink.accept(facts, rules.evaluate(facts));
            } catch (RuntimeException e) {
                throw new GradingFailedException(facts.merchant().getId(), facts.merchant().getUscc(), e);
            }
        });
    }

    /** Streams the facts of merchants in [fromId, toId] as of {@code date}, in id order; writes nothing. */
    public void readRange(long fromId, long toId, LocalDate date, int lookBackDays, java.util.function.Consumer<MerchantFacts> sink) {
        inTransaction(c -> {
            FactReader.readRange(c, fromId, toId, date, lookBackDays, (facts, dv) -> sink.accept(facts));
            return null;
        });
    }

    /** Streams the facts of the listed merchants as of {@code date}; writes nothing. */
    public void readIds(List<Long> ids, LocalDate date, int lookBackDays, java.util.function.Consumer<MerchantFacts> sink) {
        if (ids.isEmpty()) return;
        inTransaction(c -> {
            FactReader.readIds(c, ids, date, lookBackDays, (facts, dv) -> sink.accept(facts));
            return null;
        });
    }

    /**
     * Merchants changed in the registry are marked "needs regrade" in the change's own transaction
     * (durable: a crash before the regrade below leaves the mark for the drain)...
     */
    void markMerchantsChanged(@jakarta.enterprise.event.Observes cn.urbanmgmt.risk.registry.MerchantsChanged event) {
        Freshness.mark(em, event.merchantIds());
    }

    @Inject
    jakarta.persistence.EntityManager em;

    /** ...and regraded once their change has committed. */
    void onMerchantsChanged(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                            cn.urbanmgmt.risk.registry.MerchantsChanged event) {
        try {
            for (int i = 0; i < event.merchantIds().size(); i += 10_000) {
                regradeMerchants(event.merchantIds().subList(i, Math.min(event.merchantIds().size(), i + 10_000)), event.cause());
            }
        } catch (RuntimeException e) {
            // The registry change stands; its "needs regrade" marks make the drain grade these merchants.
            org.jboss.logging.Logger.getLogger(GradingService.class).errorf(e, "Regrade after registry change failed");
        }
    }

    static GradeStore.Graded grade(Evaluator rules, MerchantFacts facts, long dataVersion) {
        return grade(rules, facts, dataVersion, null);
    }

    static GradeStore.Graded grade(Evaluator rules, MerchantFacts facts, long dataVersion, LocalDate firstLaterEvent) {
        try {
            Assessment a = rules.evaluate(facts);
            return new GradeStore.Graded(facts.merchant().getId(), a.getGrade(), a.getScore(), a.getReasons(), dataVersion,
                    rules.ageWindows().nextChange(facts, firstLaterEvent));
        } catch (RuntimeException e) {
            throw new GradingFailedException(facts.merchant().getId(), facts.merchant().getUscc(), e);
        }
    }

    /**
     * The grade the active rules give a merchant today from the data {@code c} sees, uncommitted
     * changes of its transaction included (the four-eyes check grades with and without an event this
     * way: the same fact reader and rules as every regrade); writes nothing. Null when no rules are
     * active or they fault for this merchant.
     */
    public Grade gradeAsSeenBy(Connection c, long merchantId) throws SQLException {
        if (!engine.hasActive()) return null;
        try (GradingEngine.Lease lease = engine.lease()) {
            Evaluator rules = lease.evaluator();
            Grade[] out = {null};
            FactReader.readIds(c, List.of(merchantId), LocalDate.now(EventService.ZONE), rules.lookBackDays(), (facts, dv) -> {
                try {
                    out[0] = grade(rules, facts, dv).grade();
                } catch (GradingFailedException e) {
                    LOG.warnf("%s", e.getMessage());
                }
            });
            return out[0];
        }
    }

    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("grading batch failed: " + e.getMessage(), e);
        }
    }
}
