package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.Evaluation;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;

/**
 * A compiled, immutable rule set. Thread-safe: each evaluation uses its own session. Dispose once no
 * longer active so the container's class loader can be collected.
 */
public final class CompiledRules implements Evaluator {

    /** A merchant whose rules fire more often than this is reported as a loop. */
    public static final int MAX_FIRINGS = 10_000;

    private final RuleSource source;
    private final KieContainer container;
    private final KieBase base;
    private final org.kie.api.runtime.KieContainerSessionsPool pool;

    CompiledRules(RuleSource source, KieContainer container) {
        this.source = source;
        this.container = container;
        this.base = container.getKieBase();
        this.pool = container.newKieSessionsPool(4);
    }

    public RuleSource source() {
        return source;
    }

    @Override
    public String version() {
        return source.hash();
    }

    /** Names of all rules in the rule set. */
    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        base.getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
        return names;
    }

    /** Runs the rules over one merchant's facts. */
    @Override
    public Assessment evaluate(MerchantFacts facts) {
        Assessment assessment = new Assessment();
        KieSession session = pool.newKieSession();
        FiringRecorder recorder = RECORDER.get();
        recorder.begin(assessment);
        // Pooled sessions keep their listeners across resets: attach the thread-aware recorder once.
        if (!session.getAgendaEventListeners().contains(SHARED_LISTENER)) session.addEventListener(SHARED_LISTENER);
        try {
            session.insert(new Evaluation(facts.evaluationDate()));
            session.insert(facts.merchant());
            for (EventFact e : facts.events()) session.insert(e);
            session.insert(assessment);
            int fired = session.fireAllRules(MAX_FIRINGS);
            if (fired >= MAX_FIRINGS) throw new RuleLoopException(recorder.mostFired(), MAX_FIRINGS);
        } finally {
            recorder.begin(null);
            session.dispose();
        }
        return assessment;
    }

    public void dispose() {
        pool.shutdown();
        container.dispose();
    }

    private static final ThreadLocal<FiringRecorder> RECORDER = ThreadLocal.withInitial(FiringRecorder::new);

    /** One listener for all sessions: it hands each firing to the recorder of the evaluating thread. */
    private static final DefaultAgendaEventListener SHARED_LISTENER = new DefaultAgendaEventListener() {
        @Override
        public void beforeMatchFired(BeforeMatchFiredEvent event) {
            RECORDER.get().fired(event);
        }
    };

    /** Tells the assessment which rule is firing and which events it matched; counts firings per rule. */
    private static final class FiringRecorder {
        private Assessment assessment;
        private final Map<String, Integer> counts = new HashMap<>();

        void begin(Assessment a) {
            assessment = a;
            counts.clear();
        }

        void fired(BeforeMatchFiredEvent event) {
            if (assessment == null) return;
            String rule = event.getMatch().getRule().getName();
            counts.merge(rule, 1, Integer::sum);
            List<Long> ids = new ArrayList<>();
            for (Object o : event.getMatch().getObjects()) collect(o, ids);
            assessment.beginRule(rule, ids.isEmpty() ? List.of() : ids.stream().distinct().sorted().toList());
        }

        private static void collect(Object o, List<Long> ids) {
            if (o instanceof EventFact e) ids.add(e.getEventId());
            else if (o instanceof Collection<?> c) c.forEach(x -> collect(x, ids));
        }

        String mostFired() {
            return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        }
    }
}
