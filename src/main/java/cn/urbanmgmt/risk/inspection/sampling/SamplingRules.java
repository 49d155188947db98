package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;

/**
 * A compiled sampling rule set. Candidates do not interact, so they are evaluated in batches, one
 * session per batch, batches in parallel (the KieBase is thread-safe, sessions are not).
 */
public final class SamplingRules {

    static final int BATCH = 10_000;
    /** More firings than this per candidate means a rule keeps re-triggering. */
    static final int MAX_FIRINGS_PER_CANDIDATE = 100;

    private final RuleSource source;
    private final KieContainer container;
    private final KieBase base;

    SamplingRules(RuleSource source, KieContainer container) {
        this.source = source;
        this.container = container;
        this.base = container.getKieBase();
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
        IntStream.range(0, batches).parallel().forEach(b -> {
            List<SamplingCandidate> batch = candidates.subList(b * BATCH, Math.min(candidates.size(), (b + 1) * BATCH));
            KieSession session = base.newKieSession();
            try {
                for (SamplingCandidate c : batch) session.insert(c);
                int limit = batch.size() * MAX_FIRINGS_PER_CANDIDATE;
                if (session.fireAllRules(limit) >= limit) {
                    throw new IllegalStateException("抽查规则触发次数超过上限，疑似死循环（规则结论中不要修改或插入事实）");
                }
            } finally {
                session.dispose();
            }
        });
    }

    void dispose() {
        container.dispose();
    }
}
