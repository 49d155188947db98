package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.plans.PlanInput;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import cn.urbanmgmt.risk.inspection.plans.PlanSpec;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
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

    /** Default length of the simulated period, in days (four weeks). */
    public static final int DEFAULT_DAYS = 28;

    @Schema(description = "抽查规则模拟：按这些事项、范围和日期，比较候选版本与生效版本对抽查计划（抽取数和检查力量）的影响")
    public record Request(
            @Schema(description = "抽查事项代码（至少一项）") List<String> items,
            @Schema(description = "事项清单年度版本；不填用包含所选事项的最新版本") Integer edition,
            @Schema(description = "抽查范围；不填为全区") PlanInput.Scope scope,
            @Schema(description = "评估日期：开业天数、距上次检查的天数和当前等级按这一天；不填为今天") LocalDate evaluationDate,
            @Schema(description = "检查期开始日期；不填为评估日期之后的第一个周一（评估日期为今天时即下周一）") LocalDate periodStart,
            @Schema(description = "检查期结束日期（含）；不填按检查期天数（days）计算") LocalDate periodEnd,
            @Schema(description = "检查期天数（含首尾，1 到 366）；不填为 28 天；与 periodEnd 只填一个") Integer days,
            @Schema(description = "每户检查人数（2 到 5），用于测算检查力量；不填为 2，与生成计划的默认值相同") Integer inspectorsPerVisit) {
    }

    /** The Monday after {@code day} (a week later when it is a Monday): the default start of a simulated period. */
    public static LocalDate nextMonday(LocalDate day) {
        return day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    }

    public JobService.Progress simulate(String ref, Request request, String user) {
        Request r = request == null ? new Request(null, null, null, null, null, null, null, null) : request;
        LocalDate today = LocalDate.now(EventService.ZONE);
        LocalDate date = r.evaluationDate() != null ? r.evaluationDate() : today;
        // A period as of the evaluation date: by default the four weeks from the Monday after it.
        LocalDate start = r.periodStart() != null ? r.periodStart() : nextMonday(date);
        if (r.days() != null && r.periodEnd() != null) {
            throw ProblemException.invalidField("days", "检查期结束日期（periodEnd）和检查期天数（days）只填一个");
        }
        if (r.days() != null && (r.days() < 1 || r.days() > PlanService.MAX_DAYS)) {
            throw ProblemException.validation("检查期天数应在 1 到 " + PlanService.MAX_DAYS + " 之间",
                    List.of(new Problem.FieldError(null, "days", String.valueOf(r.days()), "检查期天数应在 1 到 " + PlanService.MAX_DAYS + " 之间")));
        }
        LocalDate end = r.periodEnd() != null ? r.periodEnd() : start.plusDays((r.days() != null ? r.days() : DEFAULT_DAYS) - 1L);
        // The same checks as a plan (items, scope, period, inspectors per visit), reported with the same field names.
        PlanSpec checked = plans.resolve(new PlanInput("抽查规则模拟", r.edition(), r.items(), r.scope(), start, end, null, null,
                r.inspectorsPerVisit()), date);
        // Nothing is drawn here: no seed, no inspectors (the job draws with a seed of its own to measure capacity).
        PlanSpec spec = new PlanSpec(checked.name(), checked.edition(), checked.items(), checked.scope(), checked.periodStart(), checked.periodEnd(),
                null, false, null, checked.perVisit());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("evaluationDate", date.toString());
        params.put("plan", job.planParam(spec));
        return authoring.startSimulation(kind, ref, SamplingSimulationJob.TYPE, true, params, user);
    }
}
