package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.engine.LoadedRules;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.grading.engine.RuleGuard;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.StatelessKieSession;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * A compiled sampling rule set. Candidates do not interact, so they are evaluated in batches, one
 * stateless session per batch, batches in parallel (the KieBase is thread-safe, sessions are not).
 * Consequences only record decisions on the candidate (no modify/insert), so rules cannot loop.
 *
 * <p>Shared by leases like the grading rules: a plan holds one while it draws, so a version that is
 * replaced meanwhile stays usable until that plan is done, and is disposed after.
 */
public final class SamplingRules implements LoadedRules {

    static final int BATCH = 10_000;

    private final RuleSource source;
    private final KieContainer container;
    private final KieBase base;
    private final List<String> ruleNames;
    /** Leases held; -1 once disposed. Starts at 1: the creator's lease. */
    private final AtomicInteger leases = new AtomicInteger(1);

    SamplingRules(RuleSource source, KieContainer container) {
        RuleGuard.install();
        this.source = source;
        this.container = container;
        // Sequential mode: every rule looks at one candidate and never changes facts, so the rules can
        // run as one pass without agenda bookkeeping (about a third faster).
        KieBaseConfiguration conf = KieServices.Factory.get().newKieBaseConfiguration();
        conf.setProperty("drools.sequential", "true");
        this.base = container.newKieBase(conf);
        List<String> names = new ArrayList<>();
        base.getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
        this.ruleNames = List.copyOf(names);
    }

    @Override
    public String version() {
        return source.hash();
    }

    @Override
    public RuleSource source() {
        return source;
    }

    @Override
    public List<String> ruleNames() {
        return ruleNames;
    }

    KieBase kieBase() {
        return base;
    }

    /** Runs the rules over every candidate; their decisions are recorded on the candidates themselves. */
    public void evaluate(List<SamplingCandidate> candidates) {
        int batches = (candidates.size() + BATCH - 1) / BATCH;
        IntStream.range(0, batches).parallel().forEach(b -> evaluateBatch(candidates.subList(b * BATCH, Math.min(candidates.size(), (b + 1) * BATCH))));
    }

    /** One batch in one stateless session (callers may run batches in parallel). */
    public void evaluateBatch(List<SamplingCandidate> batch) {
        StatelessKieSession session = base.newStatelessKieSession();
        RuleGuard.enter();
        try {
            session.execute(batch);
        } finally {
            RuleGuard.exit();
        }
    }

    /**
     * One candidate, recording which rules fired (for scenarios and simulation samples).
     *
     * @throws RuleFaultException naming the rule whose consequence failed
     */
    public List<String> evaluateTraced(SamplingCandidate candidate) {
        List<String> fired = new ArrayList<>();
        StatelessKieSession session = base.newStatelessKieSession();
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                fired.add(event.getMatch().getRule().getName());
            }
        });
        RuleGuard.enter();
        try {
            session.execute(List.of(candidate));
        } catch (ConsequenceException e) {
            throw fault(e);
        } finally {
            RuleGuard.exit();
        }
        return fired;
    }

    /** The rule named in a failure of {@link #evaluateBatch}, or null. */
    static RuleFaultException fault(RuntimeException e) {
        Throwable t = e;
        while (t != null && !(t instanceof ConsequenceException)) t = t.getCause() == t ? null : t.getCause();
        if (t instanceof ConsequenceException c) {
            String rule = c.getMatch() == null ? null : c.getMatch().getRule().getName();
            Throwable cause = c.getCause() != null ? c.getCause() : c;
            return new RuleFaultException(RuleProblem.Kind.RUNTIME, rule, "规则“" + rule + "”的结论执行出错：" + SamplingEngine.rootMessage(cause), cause);
        }
        return new RuleFaultException(RuleProblem.Kind.RUNTIME, null, "抽查规则执行出错：" + SamplingEngine.rootMessage(e), e);
    }

    @Override
    public boolean tryAcquire() {
        while (true) {
            int n = leases.get();
            if (n <= 0) return false;
            if (leases.compareAndSet(n, n + 1)) return true;
        }
    }

    @Override
    public void release() {
        int n = leases.decrementAndGet();
        if (n == 0 && leases.compareAndSet(0, -1)) {
            container.dispose();
        } else if (n < 0) {
            throw new IllegalStateException("sampling rules " + source.shortHash() + " released more often than acquired");
        }
    }

    public boolean isDisposed() {
        return leases.get() < 0;
    }
}
