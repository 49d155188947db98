package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.GradingRuleKind;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.ScenarioRunner;
import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import jakarta.inject.Inject;

/** The grading rules (rules/grading, rules/tests) on the 规则管理 pages: {@link RuleAuthoringService}, as /api/v1/rule-sets/grading calls it. */
@ApplicationScoped
public class GradingRuleSetConsole extends AuthoredRuleSetConsole<ScenarioRunner.Result> {

    @Inject
    GradingRuleKind grading;

    @Inject
    ReferenceData refs;

    @Inject
    ObjectMapper json;

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

    /** The regrade's matrix and shifts ({@link RuleSimulationView}), the scope, and the result as JSON for the charts. */
    @Override
    public SimulationPage simulationPage(JobService.Progress p) {
        RuleSimulationView result = p.status() == Job.Status.DONE && p.result() != null ? RuleSimulationView.of(p.result(), json) : null;
        Map<String, Object> params = p.params() == null ? Map.of() : p.params();
        String street = (String) params.get("street");
        String category = (String) params.get("category");
        MerchantCategory c = category == null ? null : Labelled.parse(MerchantCategory.class, category);
        Map<String, Object> data = new HashMap<>();
        data.put("streetName", street == null ? null : refs.streetName(street));
        data.put("categoryName", c == null ? null : c.label());
        data.put("result", result);
        try {
            data.put("resultJson", result == null ? "null" : RulesPages.script(json.writeValueAsString(p.result())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new SimulationPage("simulation.html", data);
    }

    @Override
    public JobService.Progress simulate(String version, SimulationForm form, String user) {
        return authoring.simulate(version, new RuleAuthoringService.SimulationRequest(form.evaluationDate(), form.street(), form.category(),
                form.baseline()), user);
    }
}
