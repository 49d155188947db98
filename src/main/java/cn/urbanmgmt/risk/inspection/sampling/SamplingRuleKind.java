package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.ScenarioReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The sampling rules (rules/sampling, scenarios in rules/tests/sampling) in the authoring loop. A
 * switch needs no follow-up job: plans drawn after it use the new version, plans in flight finish
 * on the one they started with.
 */
@ApplicationScoped
public class SamplingRuleKind implements RuleKind<SamplingRules, SamplingScenarioRunner.SamplingScenarioResult> {

    public static final String API = "/api/v1/inspection/sampling-rules";

    @Inject
    SamplingEngine engine;

    @Override
    public RuleSetRuntime<SamplingRules> runtime() {
        return engine;
    }

    @Override
    public String apiBase() {
        return API;
    }

    @Override
    public ScenarioReport<SamplingScenarioRunner.SamplingScenarioResult> runScenarios(RuleSource source, SamplingRules rules) {
        return SamplingScenarioRunner.run(source, rules);
    }

    @Override
    public String switchSummary(Long job) {
        return "；此后生成的抽查计划使用该版本，进行中的计划按原版本完成";
    }
}
