package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.ScenarioReport;
import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jakarta.inject.Inject;

/**
 * The sampling rules (rules/sampling, scenarios in rules/tests/sampling) in the authoring loop. A
 * switch needs no follow-up job: plans drawn after it use the new version, plans in flight finish
 * on the one they started with.
 */
@ApplicationScoped
public class SamplingRuleKind implements RuleKind<SamplingRules, SamplingScenarioRunner.SamplingScenarioResult> {

    /** The old path of the sampling rules' API, an alias of /api/v1/rule-sets/sampling. */
    public static final String API = "/api/v1/inspection/sampling-rules";

    @Inject
    SamplingEngine engine;

    @Inject
    SamplingSimulation simulation;

    @Inject
    ObjectMapper json;

    /** The active version as GET …/active shows it for sampling: the shared fields, with the rule names and files in use here. */
    public record Active(@Schema(description = "数据库中的生效版本") String version,
                         @Schema(description = "本实例正在使用的版本（多实例时与数据库在数秒内一致）") String instanceVersion,
                         boolean inSync,
                         @Schema(description = "降级原因：磁盘上的抽查规则有错误而使用最后一个可用版本，或没有可用的抽查规则（此时不能生成计划）；正常时为空") String degraded,
                         RuleAuthoringService.VersionSummary details, List<String> rules, Map<String, String> files) {
    }

    @Override
    public Object activeView(RuleAuthoringService.ActiveInfo a) {
        SamplingRules here = engine.activeHere();
        return new Active(a.version(), a.instanceVersion(), a.inSync(), a.degraded(), a.details(), here == null ? List.of() : here.ruleNames(),
                here == null ? Map.of() : here.source().files());
    }

    /** Planners may simulate too: what a policy would do to their plans. */
    @Override
    public Set<String> simulatorRoles() {
        return Set.of(Role.RULE_AUTHOR_, Role.PLANNER_);
    }

    @Override
    public JobService.Progress simulate(String version, JsonNode request, String user) throws JsonProcessingException {
        return simulation.simulate(version, RuleKind.body(json, request, SamplingSimulation.Request.class), user);
    }

    @Override
    public RuleSetRuntime<SamplingRules> runtime() {
        return engine;
    }


    @Override
    public ScenarioReport<SamplingScenarioRunner.SamplingScenarioResult> runScenarios(RuleSource source, SamplingRules rules) {
        return SamplingScenarioRunner.run(source, rules);
    }

    @Override
    public String simulationJobType() {
        return SamplingSimulationJob.TYPE;
    }

    /** Sampling decisions depend on the merchant and on the item's sampling policy: the whole district and every item in use in the newest list. */
    @Override
    @SuppressWarnings("unchecked")
    public String notCovered(Job simulation) {
        if (!(simulation.params.get("plan") instanceof Map<?, ?> plan)) return "模拟参数不完整";
        if (plan.get("scope") instanceof Map<?, ?> scope) {
            for (String limit : List.of("streets", "categories", "usccs")) {
                if (scope.get(limit) instanceof List<?> l && !l.isEmpty()) return "只模拟了部分范围（" + limit + "）";
            }
            if (Boolean.TRUE.equals(scope.get("keyUnitsOnly"))) return "只模拟了重点单位";
        }
        Set<String> simulated = new HashSet<>();
        if (plan.get("items") instanceof List<?> items) {
            for (Object i : items) if (i instanceof Map<?, ?> m) simulated.add(String.valueOf(m.get("code")));
        }
        List<String> missing = QuarkusTransaction.requiringNew().call(() -> {
            Integer newest = InspectionItem.getEntityManager().createQuery("select max(i.edition) from InspectionItem i where i.active = true", Integer.class).getSingleResult();
            if (newest == null) return List.<String>of();
            return InspectionItem.<InspectionItem>list("edition = ?1 and active = true", newest).stream().map(i -> i.code).filter(c -> !simulated.contains(c)).sorted().toList();
        });
        return missing.isEmpty() ? null : "没有包括检查事项 " + String.join("、", missing.stream().limit(10).toList()) + (missing.size() > 10 ? " 等" : "");
    }

    @Override
    public String fullSimulationHint() {
        return "对这个版本运行一次抽查模拟（范围为全区，包括最新事项清单中全部启用的事项，评估日期为当天）";
    }

    @Override
    public String switchSummary(Long job) {
        return "；此后生成的抽查计划使用该版本，进行中的计划按原版本完成";
    }
}
