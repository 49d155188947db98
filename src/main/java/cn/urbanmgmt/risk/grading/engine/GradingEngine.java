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

    public Assessment evaluate(MerchantFacts facts) {
        return active().evaluate(facts);
    }
}
