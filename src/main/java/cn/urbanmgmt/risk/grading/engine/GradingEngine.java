package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place that knows which compiled rule set is active. Callers take {@link #active()} once
 * per unit of work, so a batch is graded by one version even if another is activated meanwhile.
 */
@ApplicationScoped
public class GradingEngine {

    private final AtomicReference<CompiledRules> active = new AtomicReference<>();
    /** Replaces the rules for grading when set: only the benchmark's hand-written baseline uses this. */
    private volatile Evaluator override;

    public CompiledRules active() {
        CompiledRules rules = active.get();
        if (rules == null) throw new IllegalStateException("no grading rule set is active");
        return rules;
    }

    public boolean hasActive() {
        return active.get() != null;
    }

    /** Makes {@code rules} active and returns the one it replaced (the caller disposes it when safe). */
    public CompiledRules activate(CompiledRules rules) {
        return active.getAndSet(rules);
    }

    /** What grades merchants now: the active rules (or the benchmark baseline when one is set). */
    public Evaluator evaluator() {
        Evaluator o = override;
        return o != null ? o : active();
    }

    /** For benchmarks only: grade with {@code baseline} instead of the rules; null restores the rules. */
    public void overrideForBenchmark(Evaluator baseline) {
        this.override = baseline;
    }

    public Assessment evaluate(MerchantFacts facts) {
        return evaluator().evaluate(facts);
    }
}
