package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.RegradeJob;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;

/** The grading rules (rules/grading, scenarios in rules/tests) in the authoring loop; a switch regrades every merchant. */
@ApplicationScoped
public class GradingRuleKind implements RuleKind<CompiledRules, ScenarioRunner.Result> {

    @Inject
    RuleSetService ruleSets;

    @Inject
    RegradeJob regrade;

    @Inject
    RuleAuthoringService authoring;

    @Inject
    ObjectMapper json;

    @Override
    public RuleSetRuntime<CompiledRules> runtime() {
        return ruleSets;
    }

    @Override
    public String label() {
        return "风险分级规则";
    }

    @Override
    public String setName() {
        return "规则集";
    }

    @Override
    public String simulationJobType() {
        return SimulationJob.TYPE;
    }

    @Override
    public JobService.Progress simulate(String version, JsonNode request, String user) throws JsonProcessingException {
        return authoring.simulate(version, RuleKind.body(json, request, RuleAuthoringService.SimulationRequest.class), user);
    }

    @Override
    public String notCovered(Job simulation) {
        Map<String, Object> p = simulation.params;
        if (p.get("street") != null) return "只模拟了街镇 " + p.get("street");
        if (p.get("category") != null) return "只模拟了行业 " + p.get("category");
        return null;
    }

    @Override
    public String fullSimulationHint() {
        return "对这个版本运行一次模拟（不选街镇和行业，评级日期为当天）";
    }


    @Override
    public ScenarioReport<ScenarioRunner.Result> runScenarios(RuleSource source, CompiledRules rules) {
        return ScenarioRunner.run(source, rules);
    }

    @Override
    public Long afterSwitch(String user, String version, String verb) {
        return regrade.start(user, LocalDate.now(EventService.ZONE), "规则" + verb + " " + RuleAuthoringService.shortHash(version) + "（" + user + "）", null).id;
    }

    @Override
    public String switchSummary(Long job) {
        return "，已启动全量重新评级任务 #" + job;
    }
}
