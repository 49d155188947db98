package cn.urbanmgmt.risk.grading;

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
 * Grades merchants: read facts, run the active rules, write grades and history, in one transaction
 * per batch. Single merchants (after an event) and job chunks (id ranges) use the same path.
 */
@ApplicationScoped
public class GradingService {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GradingEngine engine;

    private final io.micrometer.core.instrument.Timer readTimer;
    private final io.micrometer.core.instrument.Timer evaluateTimer;
    private final io.micrometer.core.instrument.Timer writeTimer;

    /** Time spent per regrade chunk reading facts, running the rules and writing grades (Prometheus). */
    @Inject
    GradingService(io.micrometer.core.instrument.MeterRegistry registry) {
        readTimer = registry.timer("grading.chunk.read");
        evaluateTimer = registry.timer("grading.chunk.evaluate");
        writeTimer = registry.timer("grading.chunk.write");
    }

    @Inject
    RuleSetService ruleSets;

    /** What one batch did. */
    public record BatchResult(int graded, int changed, String version, List<GradeStore.Graded> grades,
                              Map<Long, Grade> previous) {
    }

    /** Regrades the listed merchants as of today. */
    public BatchResult regradeMerchants(List<Long> ids, String cause) {
        return regradeMerchants(ids, LocalDate.now(EventService.ZONE), cause);
    }

    public BatchResult regradeMerchants(List<Long> ids, LocalDate date, String cause) {
        return withActiveRules(lease -> inTransaction(c -> {
            Evaluator rules = lease.evaluator();
            List<GradeStore.Graded> grades = new ArrayList<>(ids.size());
            FactReader.readIds(c, ids, date, facts -> grades.add(grade(rules, facts)));
            Map<Long, GradeStore.Stored> before = GradeStore.storedIds(c, ids);
            if (lease.isRules()) RuleSetService.verifyActive(c, rules.version());
            int changed = GradeStore.write(c, grades, before, rules.version(), cause, date);
            Map<Long, Grade> previous = new java.util.HashMap<>();
            before.forEach((id, stored) -> previous.put(id, stored.grade()));
            return new BatchResult(grades.size(), changed, rules.version(), grades, previous);
        }));
    }

    /**
     * Regrades merchants with ids in [fromId, toId] for a job chunk; {@code complete} runs in the
     * same transaction, so the chunk's DONE mark and its grades commit together.
     */
    public BatchResult regradeRange(long fromId, long toId, LocalDate date, String cause, JobHandler.ChunkCompletion complete) {
        return withActiveRules(lease -> inTransaction(c -> {
            Evaluator rules = lease.evaluator();
            long t0 = System.nanoTime();
            List<GradeStore.Graded> grades = readAndEvaluate(c, fromId, toId, date, rules);
            long t1 = System.nanoTime();
            Map<Long, GradeStore.Stored> before = GradeStore.storedRange(c, fromId, toId);
            if (lease.isRules()) RuleSetService.verifyActive(c, rules.version());
            int changed = GradeStore.write(c, grades, before, rules.version(), cause, date);
            long t2 = System.nanoTime();
            readTimer.record(t1 - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            writeTimer.record(t2 - t1, java.util.concurrent.TimeUnit.NANOSECONDS);
            complete.complete(c, grades.size(), Map.of("changed", changed, "version", rules.version()));
            return new BatchResult(grades.size(), changed, rules.version(), List.of(), Map.of());
        }));
    }

    /** Merchants handed to an evaluator thread at a time while the next rows stream in. */
    static final int EVALUATION_BATCH = 500;

    /**
     * Evaluation threads, one per core. A chunk's merchants are evaluated here in batches while its
     * worker thread goes on reading rows from PostgreSQL, so reading and evaluating overlap instead of
     * taking turns (the rule engine costs several microseconds per merchant, PostgreSQL about as much
     * to produce its rows).
     */
    private static final java.util.concurrent.ExecutorService EVALUATORS = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "grading-evaluator");
                t.setDaemon(true);
                return t;
            });

    /** Reads merchants with {@code fromId <= id <= toId} and grades them, reading and evaluating at the same time. */
    private List<GradeStore.Graded> readAndEvaluate(Connection c, long fromId, long toId, LocalDate date, Evaluator rules) throws SQLException {
        List<java.util.concurrent.Future<List<GradeStore.Graded>>> parts = new ArrayList<>();
        List<MerchantFacts> batch = new ArrayList<>(EVALUATION_BATCH);
        try {
            FactReader.readRange(c, fromId, toId, date, facts -> {
                batch.add(facts);
                if (batch.size() == EVALUATION_BATCH) {
                    parts.add(evaluateLater(rules, List.copyOf(batch)));
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) parts.add(evaluateLater(rules, List.copyOf(batch)));
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

    private java.util.concurrent.Future<List<GradeStore.Graded>> evaluateLater(Evaluator rules, List<MerchantFacts> batch) {
        return EVALUATORS.submit(() -> {
            long t0 = System.nanoTime();
            List<GradeStore.Graded> out = new ArrayList<>(batch.size());
            for (MerchantFacts facts : batch) out.add(grade(rules, facts));
            evaluateTimer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
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
        readRange(fromId, toId, date, facts -> {
            try {
                sink.accept(facts, rules.evaluate(facts));
            } catch (RuntimeException e) {
                throw new GradingFailedException(facts.merchant().getId(), facts.merchant().getUscc(), e);
            }
        });
    }

    /** Streams the facts of merchants in [fromId, toId] as of {@code date}, in id order; writes nothing. */
    public void readRange(long fromId, long toId, LocalDate date, java.util.function.Consumer<MerchantFacts> sink) {
        inTransaction(c -> {
            FactReader.readRange(c, fromId, toId, date, sink);
            return null;
        });
    }

    /** Streams the facts of the listed merchants as of {@code date}; writes nothing. */
    public void readIds(List<Long> ids, LocalDate date, java.util.function.Consumer<MerchantFacts> sink) {
        if (ids.isEmpty()) return;
        inTransaction(c -> {
            FactReader.readIds(c, ids, date, sink);
            return null;
        });
    }

    /** Merchants changed in the registry are regraded once their change has committed. */
    void onMerchantsChanged(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                            cn.urbanmgmt.risk.registry.MerchantsChanged event) {
        try {
            for (int i = 0; i < event.merchantIds().size(); i += 10_000) {
                regradeMerchants(event.merchantIds().subList(i, Math.min(event.merchantIds().size(), i + 10_000)), event.cause());
            }
        } catch (RuntimeException e) {
            // The registry change stands; the next full regrade grades these merchants.
            org.jboss.logging.Logger.getLogger(GradingService.class).errorf(e, "Regrade after registry change failed");
        }
    }

    static GradeStore.Graded grade(Evaluator rules, MerchantFacts facts) {
        try {
            Assessment a = rules.evaluate(facts);
            return new GradeStore.Graded(facts.merchant().getId(), a.getGrade(), a.getScore(), a.getReasons());
        } catch (RuntimeException e) {
            throw new GradingFailedException(facts.merchant().getId(), facts.merchant().getUscc(), e);
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
