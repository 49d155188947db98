package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.GradingRuleKind;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.ScenarioRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The grading rules (rules/grading, rules/tests) on the 规则管理 pages: {@link RuleAuthoringService}, as /api/v1/rule-sets/grading calls it. */
@ApplicationScoped
public class GradingRuleSetConsole extends AuthoredRuleSetConsole<ScenarioRunner.Result> {

    @Inject
    GradingRuleKind grading;

    @Override
    RuleKind<?, ScenarioRunner.Result> ruleKind() {
        return grading;
    }

    public GradingRuleSetConsole() {
        super("评级规则");
    }

    @Override
    ScenarioView view(ScenarioRunner.Result r) {
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
