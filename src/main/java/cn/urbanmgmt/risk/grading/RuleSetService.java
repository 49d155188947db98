package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which grading rule-set version is active, here and in the database, and keeping the two equal
 * (the life cycle is {@link RuleSetRuntime}'s). Grading specifics: the active rules live in
 * {@link GradingEngine}; broken rules on disk with no good version in the database refuse start-up;
 * new rules at start-up are followed by a full regrade; and every grading transaction checks the
 * database's active version before writing ({@link #verifyActive}), so no instance writes grades
 * with a version that is no longer active.
 */
@ApplicationScoped
public class RuleSetService extends RuleSetRuntime<CompiledRules> {

    public static final String GRADING = RuleSource.GRADING;
    public static final String KIND = "GRADING";

    public RuleSetService() {
        super(KIND, GRADING, "规则");
    }

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    @ConfigProperty(name = "app.rules.evaluation-timeout-millis", defaultValue = "2000")
    long evaluationTimeoutMillis;

    @Inject
    GradingEngine engine;

    @Inject
    Instance<CandidateCheck> checks;

    @Inject
    RegradeJob regrade;

    /** Grading found the database's active version differs from the one it graded with. */
    public static class StaleRulesException extends RuntimeException {
        public StaleRulesException(String used, String active) {
            super("grading rules " + shortHash(used) + " are no longer active (database: " + shortHash(active) + ")");
        }
    }

    void onStart(@Observes @Priority(5) StartupEvent event) {
        CompiledRules.setTimeLimitMillis(evaluationTimeoutMillis);
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
    public Compiled<CompiledRules> compile(RuleSource source) {
        return of(RuleCompiler.compile(source));
    }

    @Override
    protected Compiled<CompiledRules> load(RuleSource source) {
        return of(RuleCompiler.load(source));
    }

    private static Compiled<CompiledRules> of(RuleCompiler.Result r) {
        return new Compiled<>(r.problems(), r.rules(), r.millis());
    }

    @Override
    protected List<RuleProblem> recheck(CompiledRules rules) {
        return RuleCompiler.recheck(rules);
    }

    @Override
    protected List<RuleProblem> candidateChecks(RuleSource source, CompiledRules rules) {
        List<RuleProblem> problems = new ArrayList<>();
        for (CandidateCheck check : checks) problems.addAll(check.check(source, rules));
        return problems;
    }

    @Override
    protected CompiledRules installHere(CompiledRules rules) {
        return engine.activate(rules);
    }

    @Override
    public CompiledRules activeHere() {
        return engine.hasActive() ? engine.active() : null;
    }

    @Override
    protected void activatedAtStartUp(String previous, RuleSource disk) {
        regrade.start("system", LocalDate.now(EventService.ZONE), "启动时启用新规则 " + disk.shortHash(), "startup-activate-" + disk.hash());
    }

    /**
     * Inside a grading transaction, right before writing: the rules graded with must still be the
     * database's active version. Takes a share lock on that row, so an activation (which updates it)
     * waits for grading transactions that are writing, and those that come later see the new version.
     */
    public static void verifyActive(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select hash from rule_set_version where kind = ? and active for share")) {
            ps.setString(1, KIND);
            try (ResultSet rs = ps.executeQuery()) {
                String active = rs.next() ? rs.getString(1) : null;
                if (!version.equals(active)) throw new StaleRulesException(version, active);
            }
        }
    }

    /** Stores a grading version (or updates the scenarios of a known one) in the caller's transaction. */
    public static RuleSetVersion store(RuleSource source, String user, String comment, String origin) {
        return store(KIND, source, user, comment, origin);
    }

    public CompiledRules active() {
        return engine.active();
    }
}
