package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sampling policy (抽查规则): DRL under rules/sampling, compiled at run time and kept as rule-set
 * versions of kind SAMPLING with the same life cycle as the grading rules ({@link RuleSetRuntime}):
 * start-up from disk or the last good version, activation through the authoring loop, every instance
 * following the database's active version. Unlike grading, broken rules with no good version do not
 * stop the service: plans are refused (503) and everything else works.
 */
@ApplicationScoped
public class SamplingEngine extends RuleSetRuntime<SamplingRules> {

    public static final String KIND = "SAMPLING";
    public static final String FOLDER = "sampling";

    public SamplingEngine() {
        super(KIND, FOLDER, "抽查规则");
    }

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    private final AtomicReference<SamplingRules> active = new AtomicReference<>();

    void onStart(@Observes @Priority(6) StartupEvent event) {
        startUp(Path.of(rulesDir));
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped();
    }

    @Scheduled(every = "${app.rules.sync-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        followDatabase();
    }

    @Override
    public Compiled<SamplingRules> compile(RuleSource source) {
        return SamplingCompiler.compile(source);
    }

    @Override
    protected Compiled<SamplingRules> load(RuleSource source) {
        return SamplingCompiler.load(source);
    }

    @Override
    protected List<RuleProblem> recheck(SamplingRules rules) {
        return SamplingCompiler.recheck(rules);
    }

    @Override
    protected List<RuleProblem> candidateChecks(RuleSource source, SamplingRules rules) {
        return SamplingScenarioRunner.run(source, rules).asProblems();
    }

    @Override
    protected SamplingRules installHere(SamplingRules rules) {
        return active.getAndSet(rules);
    }

    @Override
    public SamplingRules activeHere() {
        return active.get();
    }

    @Override
    protected void noGoodVersionAtStartUp(String where, String errors) {
        SamplingRules none = active.getAndSet(null);
        if (none != null) none.release();
        degraded("抽查规则无法使用，暂不能生成抽查计划：" + errors.strip());
        log.errorf("%n%n  !!! The sampling rules in %s do not pass their checks and no earlier version is stored; plans are refused.%n%s%n",
                where, errors);
    }

    /** The active rules without a lease (to show them), or a 503 problem saying why there are none. */
    public SamplingRules active() {
        SamplingRules r = active.get();
        if (r == null) throw unavailable();
        return r;
    }

    /**
     * A lease on the active rules for one plan: the plan is drawn with the version active when it
     * started, even if another is activated meanwhile. Close it when done.
     */
    public Lease lease() {
        while (true) {
            SamplingRules r = active.get();
            if (r == null) throw unavailable();
            // Fails only if the rules were replaced and released meanwhile: the next read sees the new ones.
            if (r.tryAcquire()) return new Lease(r);
        }
    }

    private ProblemException unavailable() {
        String why = degradedReason();
        return new ProblemException(Problem.of(503, "抽查规则不可用", why == null ? "抽查规则尚未加载" : why));
    }

    /** The rules held by one unit of work. */
    public static final class Lease implements AutoCloseable {
        private final SamplingRules rules;
        private boolean closed;

        Lease(SamplingRules rules) {
            this.rules = rules;
        }

        public SamplingRules rules() {
            return rules;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            rules.release();
        }
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof IllegalArgumentException) break;
            t = t.getCause();
        }
        return t.getMessage();
    }
}
