package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place that knows which compiled rule set is active. A unit of work takes a {@link #lease}
 * once and grades with it, so a batch is graded by one version even if another is activated
 * meanwhile, and the replaced version is disposed only when its last batch is done.
 */
@ApplicationScoped
public class GradingEngine {

    private final AtomicReference<CompiledRules> active = new AtomicReference<>();
    /** Replaces the rules for grading when set: only the benchmark's hand-written baseline uses this. */
    private volatile Evaluator override;

    /** The active rules, without a lease: for reading their name and rules, not for grading batches. */
    public CompiledRules active() {
        CompiledRules rules = active.get();
        if (rules == null) throw new IllegalStateException("no grading rule set is active");
        return rules;
    }

    public boolean hasActive() {
        return active.get() != null;
    }

    /**
     * Makes {@code rules} active, taking over the caller's lease on them, and returns the one it
     * replaced (or null): the caller releases that lease, and evaluations in flight keep theirs.
     */
    public CompiledRules activate(CompiledRules rules) {
        return active.getAndSet(rules);
    }

    /** A lease on what grades merchants now: the active rules (or the benchmark baseline). Close it when done. */
    public Lease lease() {
        Evaluator o = override;
        if (o != null) return new Lease(o, null);
        while (true) {
            CompiledRules rules = active();
            // Fails only if the rules were replaced and released meanwhile: the next read sees the new ones.
            if (rules.tryAcquire()) return new Lease(rules, rules);
        }
    }

    /** For benchmarks only: grade with {@code baseline} instead of the rules; null restores the rules. */
    public void overrideForBenchmark(Evaluator baseline) {
        this.override = baseline;
    }

    public boolean overridden() {
        return override != null;
    }

    /** Grades one merchant with the active rules (under a lease of its own). */
    public Assessment evaluate(MerchantFacts facts) {
        try (Lease lease = lease()) {
            return lease.evaluator().evaluate(facts);
        }
    }

    /** An evaluator held for one unit of work. */
    public static final class Lease implements AutoCloseable {
        private final Evaluator evaluator;
        private final CompiledRules rules;
        private boolean closed;

        Lease(Evaluator evaluator, CompiledRules rules) {
            this.evaluator = evaluator;
            this.rules = rules;
        }

        public Evaluator evaluator() {
            return evaluator;
        }

        /** True when grading with the rule engine (not the benchmark baseline). */
        public boolean isRules() {
            return rules != null;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (rules != null) rules.release();
        }
    }
}
