package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.runtime.StatelessKieSession;

/**
 * A compiled sampling rule set. Candidates do not interact, so they are evaluated in batches, one
 * stateless session per batch, batches in parallel (the KieBase is thread-safe, sessions are not).
 * Consequences only record decisions on the candidate (no modify/insert), so rules cannot loop.
 */
public final class SamplingRules {

    static final int BATCH = 10_000;

    private final RuleSource source;
    private final KieContainer container;
    private final KieBase base;

    SamplingRules(RuleSource source, KieContainer container) {
        this.source = source;
        this.container = container;
        // Sequential mode: every rule looks at one candidate and never changes facts, so the rules can
        // run as one pass without agenda bookkeeping (about a third faster).
        KieBaseConfiguration conf = KieServices.Factory.get().newKieBaseConfiguration();
        conf.setProperty("drools.sequential", "true");
        this.base = container.newKieBase(conf);
    }

    public String version() {
        return source.hash();
    }

    public RuleSource source() {
        return source;
    }

    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        base.getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
        return names;
    }

    /** Runs the rules over every candidate; their decisions are recorded on the candidates themselves. */
    public void evaluate(List<SamplingCandidate> candidates) {
        int batches = (candidates.size() + BATCH - 1) / BATCH;
        IntStream.range(0, batches).parallel().forEach(b -> evaluateBatch(candidates.subList(b * BATCH, Math.min(candidates.size(), (b + 1) * BATCH))));
    }

    /** One batch in one stateless session (callers may run batches in parallel). */
    public void evaluateBatch(List<SamplingCandidate> batch) {
        StatelessKieSession session = base.newStatelessKieSession();
        session.execute(batch);
    }

    void dispose() {
        container.dispose();
    }
}
