package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.GradingRuleKind;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.ScenarioRunner;
import cn.urbanmgmt.risk.rules.SimulationJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The grading rules (rules/grading, rules/tests) on the 规则管理 pages: {@link RuleAuthoringService}, as /api/v1/rules calls it. */
@ApplicationScoped
public class GradingRuleSetConsole extends AuthoredRuleSetConsole {

    @Inject
    GradingRuleKind grading;

    @Override
    RuleKind<?, ?> ruleKind() {
        return grading;
    }

    @Override
    public String kind() {
        return RuleSetService.GRADING;
    }

    @Override
    public String title() {
        return "评级规则";
    }

    @Override
    public Set<Step> steps() {
        return EnumSet.allOf(Step.class);
    }

    @Override
    public String simulationJobType() {
        return SimulationJob.TYPE;
    }

    @Override
    public Tests test(String version, String user) {
        RuleAuthoringService.TestReport<ScenarioRunner.Result> r = authoring.test(grading, version, user);
        List<ScenarioView> results = r.results().stream().map(GradingRuleSetConsole::view).toList();
        return new Tests(r.version(), r.ok(), r.total(), r.passed(), r.failed(), results, r.problems());
    }

    private static ScenarioView view(ScenarioRunner.Result r) {
        return new ScenarioView(r.file(), r.line(), r.name(), r.passed(), outcome(r.expectedGrade(), r.expectedScore()),
                outcome(r.actualGrade(), r.actualScore()), r.failures());
    }

    /** "黄色（中风险），40 分". */
    private static String outcome(Grade grade, Integer score) {
        String g = grade == null ? "" : Formats.gradeName(grade);
        if (score == null) return g.isEmpty() ? "—" : g;
        return (g.isEmpty() ? "" : g + "，") + score + " 分";
    }

    @Override
    public JobService.Progress simulate(String version, SimulationForm form, String user) {
        return authoring.simulate(version, new RuleAuthoringService.SimulationRequest(form.evaluationDate(), form.street(), form.category(),
                form.baseline()), user);
    }
}
