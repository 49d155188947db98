package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.plans.PlanInput;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import cn.urbanmgmt.risk.inspection.plans.PlanSpec;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Starts a simulation of a sampling version: the request is checked as a plan request is, then the job compares it with the active version. */
@ApplicationScoped
public class SamplingSimulation {

    @Inject
    RuleAuthoringService authoring;

    @Inject
    SamplingRuleKind kind;

    @Inject
    PlanService plans;

    @Inject
    SamplingSimulationJob job;

    @Schema(description = "抽查规则模拟：按这些事项、范围和日期，比较候选版本与生效版本对抽查计划的影响")
    public record Request(
            @Schema(description = "抽查事项代码（至少一项）") List<String> items,
            @Schema(description = "事项清单年度版本；不填用包含所选事项的最新版本") Integer edition,
            @Schema(description = "抽查范围；不填为全区") PlanInput.Scope scope,
            @Schema(description = "评估日期：开业天数、距上次检查的天数和当前等级按这一天；不填为今天") LocalDate evaluationDate,
            @Schema(description = "检查期开始日期；不填为评估日期") LocalDate periodStart,
            @Schema(description = "检查期结束日期（含）；不填为开始后第 28 天") LocalDate periodEnd) {
    }

    public JobService.Progress simulate(String ref, Request request, String user) {
        Request r = request == null ? new Request(null, null, null, null, null, null) : request;
        LocalDate date = r.evaluationDate() != null ? r.evaluationDate() : LocalDate.now(EventService.ZONE);
        LocalDate start = r.periodStart() != null ? r.periodStart() : date;
        LocalDate end = r.periodEnd() != null ? r.periodEnd() : start.plusDays(27);
        // The same checks as a plan (items, scope, period), reported with the same field names.
        PlanSpec checked = plans.resolve(new PlanInput("抽查规则模拟", r.edition(), r.items(), r.scope(), start, end, null, null, null), date);
        // Nothing is drawn: no seed, no inspectors.
        PlanSpec spec = new PlanSpec(checked.name(), checked.edition(), checked.items(), checked.scope(), checked.periodStart(), checked.periodEnd(),
                null, false, null, checked.perVisit());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("evaluationDate", date.toString());
        params.put("plan", job.planParam(spec));
        return authoring.startSimulation(kind, ref, SamplingSimulationJob.TYPE, true, params, user);
    }
}
