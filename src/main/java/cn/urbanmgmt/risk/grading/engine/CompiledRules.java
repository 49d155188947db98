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
import java.util.concurrent.atomic.AtomicInteger;
import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.event.rule.ObjectUpdatedEvent;
import org.kie.api.event.rule.RuleRuntimeEventListener;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * A compiled, immutable rule set. Thread-safe: each evaluation uses its own session.
 *
 * <p>Lifetime by reference counting: whoever creates or {@link #tryAcquire acquires} it holds a
 * lease and {@link #release releases} it when done; the Drools container (and with it its class
 * loader) is disposed when the last lease goes. So a rule set that is replaced stays usable by the
 * evaluations still running on it, and is freed right after the last one.
 */
public final class CompiledRules implements Evaluator, LoadedRules {

    /** A merchant whose rules fire more often than this is reported as a loop. */
    public static final int MAX_FIRINGS = 10_000;

    /** Longest CPU time one merchant's evaluation may take (app.rules.evaluation-timeout-millis); see EvaluationWatchdog. */
    private static volatile long timeLimitMillis = 2_000;

    private final RuleSource source;
    private final KieContainer container;
    private final KieBase base;
    /**
     * Fact classes some rule can see (the network has an object-type node for the class or a
     * supertype). Facts of other classes match nothing, so they are not inserted: each insert costs.
     */
    private final Map<Class<?>, Boolean> visible = new java.util.concurrent.ConcurrentHashMap<>();
    /** The global through which rules record points and floors: {@code global Assessment assessment;}. */
    public static final String ASSESSMENT_GLOBAL = "assessment";
    /** Whether the rules declare that global (else they match an Assessment fact, the older style: both work). */
    private final boolean assessmentGlobal;
    /** How far back the facts reach, as the rule set declares ({@link LookBack}). */
    private final int lookBackDays;
    /** Idle sessions, each with its recorder attached once, reset after use and reused. */
    private final java.util.concurrent.ConcurrentLinkedDeque<Slot> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** Leases held; -1 once disposed. Starts at 1: the creator's lease. */
    private final AtomicInteger leases = new AtomicInteger(1);
    /** Rule sets compiled and not yet disposed, in this JVM: the leak benchmark watches it. */
    private static final AtomicInteger LIVE = new AtomicInteger();

    CompiledRules(RuleSource source, KieContainer container) {
        RuleGuard.install();
        this.source = source;
        this.container = container;
        this.base = container.getKieBase();
        this.assessmentGlobal = base.getKiePackages().stream().flatMap(p -> p.getGlobalVariables().stream())
                .anyMatch(g -> g.getName().equals(ASSESSMENT_GLOBAL) && g.getType().equals(Assessment.class.getName()));
        this.lookBackDays = LookBack.of(base);
        LIVE.incrementAndGet();
    }

    @Override
    public int lookBackDays() {
        return lookBackDays;
    }

    /** Derived from the DRL text once, on first use (only grading rule sets need it). */
    private volatile AgeWindows ageWindows;

    @Override
    public AgeWindows ageWindows() {
        AgeWindows w = ageWindows;
        if (w == null) {
            java.util.Map<String, String> drl = new java.util.TreeMap<>();
            source.files().forEach((path, text) -> {
                if (path.endsWith(".drl")) drl.put(path, text);
            });
            ageWindows = w = AgeWindows.analyse(drl, lookBackDays);
        }
        return w;
    }

    /** How many compiled rule sets exist and are not disposed yet. */
    public static int live() {
        return LIVE.get();
    }

    public static void setTimeLimitMillis(long millis) {
        timeLimitMillis = millis;
    }

    public static long timeLimitMillis() {
        return timeLimitMillis;
    }

    @Override
    public RuleSource source() {
        return source;
    }

    @Override
    public String version() {
        return source.hash();
    }

    KieBase kieBase() {
        return base;
    }

    /** Names of all rules in the rule set. */
    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        base.getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
        return names;
    }

    /**
     * Runs the rules over one merchant's facts.
     *
     * @throws RuleFaultException naming the rule when one loops, overruns the time limit or throws
     */
    @Override
    public Assessment evaluate(MerchantFacts facts) {
        // The rule set's look-back decides which events count, for every caller alike.
        facts = LookBack.window(facts, lookBackDays);
        try {
            return run(facts, false);
        } catch (NeedsDiagnosis e) {
            // Rare: the merchant looped or overran. Run it again, now counting and timing each rule's firings and
            // the fact changes of its consequences, to name the rule to blame.
            return run(facts, true);
        }
    }

    /** A loop or an overrun in a plain run: the diagnostic run that follows names the rule. */
    private static final class NeedsDiagnosis extends RuntimeException {
        NeedsDiagnosis() {
            super(null, null, false, false);
        }
    }

    /**
     * One evaluation in a reused session. {@code diagnose} also counts and times firings per rule and
     * records fact changes (listeners on every firing and insert, so only when a rule has to be blamed).
     */
    private Assessment run(MerchantFacts facts, boolean diagnose) {
        if (leases.get() < 0) throw new IllegalStateException("rule set " + source.shortHash() + " has been disposed");
        Assessment assessment = new Assessment();
        Slot slot = idle.pollFirst();
        if (slot == null) slot = new Slot(base);
        KieSession session = slot.session;
        FiringRecorder recorder = slot.recorder;
        recorder.start(assessment, diagnose);
        long limit = timeLimitMillis;
        EvaluationWatchdog.Ticket ticket = EvaluationWatchdog.INSTANCE.watch(session, limit * 1_000_000, slot.currentRule);
        RuleRuntimeEventListener changes = diagnose ? recorder.changes() : null;
        if (changes != null) session.addEventListener(changes);
        boolean clean = false;
        // Rule code runs from the first insert (constraints) to the end of firing: the run-time guard is on for all of it.
        RuleGuard.enter();
        try {
            if (visible(Evaluation.class)) session.insert(new Evaluation(facts.evaluationDate()));
            if (visible(facts.merchant().getClass())) session.insert(facts.merchant());
            for (EventFact e : facts.events()) if (visible(e.getClass())) session.insert(e);
            if (assessmentGlobal) session.setGlobal(ASSESSMENT_GLOBAL, assessment);
            if (visible(Assessment.class)) session.insert(assessment);
            int fired = session.fireAllRules(MAX_FIRINGS);
            if (ticket.expired()) throw diagnose ? recorder.overrun(limit) : new NeedsDiagnosis();
            if (fired >= MAX_FIRINGS) throw diagnose ? new RuleLoopException(recorder.looping(), MAX_FIRINGS) : new NeedsDiagnosis();
            clean = true;
        } catch (ConsequenceException e) {
            if (ticket.expired()) throw diagnose ? recorder.overrun(limit) : new NeedsDiagnosis();
            String rule = e.getMatch() == null ? recorder.current() : e.getMatch().getRule().getName();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RuleFaultException(RuleProblem.Kind.RUNTIME, rule, "规则“" + rule + "”的结论执行出错：" + cause, cause);
        } catch (RuleFaultException | NeedsDiagnosis e) {
            throw e;
        } catch (StackOverflowError | OutOfMemoryError | LinkageError e) {
            // A rule that recursed too deep, allocated too much or broke a class: a fault of that rule, not of the service.
            String rule = recorder.current();
            String what = e instanceof StackOverflowError ? "递归过深（栈溢出）" : e instanceof OutOfMemoryError ? "占用内存过多（内存不足）" : "出错";
            throw new RuleFaultException(RuleProblem.Kind.RUNTIME, rule, "执行规则“" + (rule == null ? "?" : rule) + "”时" + what + "：" + e, e);
        } catch (RuntimeException e) {
            if (ticket.expired()) throw diagnose ? recorder.overrun(limit) : new NeedsDiagnosis();
            String rule = recorder.current();
            if (rule == null) throw e;
            throw new RuleFaultException(RuleProblem.Kind.RUNTIME, rule, "执行规则“" + rule + "”时出错：" + e, e);
        } finally {
            RuleGuard.exit();
            ticket.close();
            if (changes != null) session.removeEventListener(changes);
            // A session that failed, looped or was halted is thrown away rather than trusted after a reset.
            if (clean) recycle(slot);
            else session.dispose();
        }
        return assessment;
    }

    /**
     * A session and its recorder. Sessions are reset and reused (as Drools' own session pool does,
     * without its bookkeeping): this runs a million times per full regrade.
     */
    private static final class Slot {
        final KieSession session;
        final FiringRecorder recorder = new FiringRecorder();
        /** The rule firing now (for the watchdog; bound once, not per evaluation). */
        final java.util.function.Supplier<String> currentRule = recorder::current;

        Slot(KieBase base) {
            session = base.newKieSession();
            session.addEventListener(recorder);
        }
    }

    private void recycle(Slot slot) {
        try {
            // A reset clears facts, node memories and the session's listeners: the recorder goes back on.
            ((org.drools.kiesession.session.StatefulKnowledgeSessionImpl) slot.session).reset();
            slot.recorder.start(null, false);
            slot.session.addEventListener(slot.recorder);
        } catch (RuntimeException e) {
            slot.session.dispose();
            return;
        }
        idle.offerFirst(slot);
        // Released meanwhile (the last lease went while this evaluation ran on a rule set being replaced).
        if (leases.get() < 0) disposeIdle();
    }

    private void disposeIdle() {
        Slot s;
        while ((s = idle.pollFirst()) != null) s.session.dispose();
    }

    private boolean visible(Class<?> type) {
        return visible.computeIfAbsent(type, t -> {
            for (org.drools.core.reteoo.ObjectTypeNode node : ((org.drools.core.impl.InternalRuleBase) base).getRete().getObjectTypeNodes()) {
                if (node.getObjectType() instanceof org.drools.base.base.ClassObjectType c && c.getClassType().isAssignableFrom(t)) return true;
            }
            return false;
        });
    }

    /** Takes a lease; false when the rules are already disposed (take the current ones instead). */
    public boolean tryAcquire() {
        while (true) {
            int n = leases.get();
            if (n <= 0) return false;
            if (leases.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives a lease back; the last one disposes the Drools container. */
    public void release() {
        int n = leases.decrementAndGet();
        if (n == 0 && leases.compareAndSet(0, -1)) {
            disposeIdle();
            container.dispose();
            LIVE.decrementAndGet();
        } else if (n < 0) {
            throw new IllegalStateException("rule set " + source.shortHash() + " released more often than acquired");
        }
    }

    public boolean isDisposed() {
        return leases.get() < 0;
    }

    /** Tells the assessment which rule is firing and which events it matched; counts and times firings. */
    private static final class FiringRecorder extends DefaultAgendaEventListener {
        private Assessment assessment;
        private final Map<String, Integer> counts = new HashMap<>();
        private final Map<String, Long> nanos = new HashMap<>();
        /** Facts inserted, updated or deleted by each rule's consequence (diagnostic runs only): what makes rules fire again. */
        private final Map<String, Integer> modifications = new HashMap<>();
        private final ArrayList<Long> ids = new ArrayList<>();
        private String current;
        private long startedAt;

        /** Whether firings are counted and timed (diagnostic runs). */
        private boolean detailed;

        /** Starts recording one evaluation into {@code assessment} (null: idle); {@code detailed}: count and time firings. */
        void start(Assessment assessment, boolean detailed) {
            this.assessment = assessment;
            this.detailed = detailed;
            counts.clear();
            nanos.clear();
            modifications.clear();
            current = null;
        }

        RuleRuntimeEventListener changes() {
            return new RuleRuntimeEventListener() {
                @Override
                public void objectInserted(ObjectInsertedEvent event) {
                    count(event.getRule());
                }

                @Override
                public void objectUpdated(ObjectUpdatedEvent event) {
                    count(event.getRule());
                }

                @Override
                public void objectDeleted(ObjectDeletedEvent event) {
                    count(event.getRule());
                }

                private void count(org.kie.api.definition.rule.Rule rule) {
                    if (rule != null) modifications.merge(rule.getName(), 1, Integer::sum);
                }
            };
        }

        @Override
        public void beforeMatchFired(BeforeMatchFiredEvent event) {
            String rule = event.getMatch().getRule().getName();
            current = rule;
            if (detailed) {
                startedAt = System.nanoTime();
                counts.merge(rule, 1, Integer::sum);
            }
            ids.clear();
            for (Object o : event.getMatch().getObjects()) collect(o, ids);
            assessment.beginRule(rule, distinctSorted(ids));
        }

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            if (detailed) nanos.merge(event.getMatch().getRule().getName(), System.nanoTime() - startedAt, Long::sum);
            current = null;
        }

        private static void collect(Object o, List<Long> ids) {
            if (o instanceof EventFact e) ids.add(e.getEventId());
            else if (o instanceof Collection<?> c) for (Object x : c) collect(x, ids);
        }

        /** The matched event ids, each once, ascending (runs once per firing: no streams). */
        private static List<Long> distinctSorted(ArrayList<Long> ids) {
            if (ids.isEmpty()) return List.of();
            if (ids.size() == 1) return List.of(ids.get(0));
            ids.sort(null);
            List<Long> out = new ArrayList<>(ids.size());
            for (Long id : ids) if (out.isEmpty() || !out.get(out.size() - 1).equals(id)) out.add(id);
            return List.copyOf(out);
        }
        String current() {
            return current;
        }

        /**
         * The rule to blame for a loop: the one whose consequence changed facts most often (it makes
         * the others fire again too), else the one that fired most.
         */
        String looping() {
            Map<String, Integer> blame = modifications.isEmpty() ? counts : modifications;
            return blame.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        }

        /**
         * Why the time ran out: a rule that fired a tenth of the firing limit already is looping
         * (on a slow or busy machine the clock may stop it before the count does); else too slow.
         */
        RuleFaultException overrun(long limitMillis) {
            Map.Entry<String, Integer> most = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
            if (most != null && most.getValue() >= MAX_FIRINGS / 10) return new RuleLoopException(looping(), most.getValue());
            return new RuleTimeoutException(slowest(), limitMillis);
        }

        /** The rule that is still running, else the one that took most time. */
        String slowest() {
            if (current != null) return current;
            return nanos.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        }
    }
}
