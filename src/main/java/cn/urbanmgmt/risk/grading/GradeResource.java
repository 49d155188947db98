package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "风险等级 (grades)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class GradeResource {

    @Inject
    GradeQueryService queries;

    @Inject
    RegradeJob regrade;

    @Inject
    JobService jobs;

    @Inject
    GradingEngine engine;

    @Inject
    RuleSetService ruleSets;

    @Inject
    CurrentUser currentUser;

    private Actor actor() {
        return new Actor(currentUser.username(), currentUser.scope());
    }

    @GET
    @Path("/merchants/{id}/grade")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "商户当前风险等级及原因", description = "每条原因给出规则名、加分或保底等级、说明文字和所依据的事件。")
    @APIResponse(responseCode = "200", description = "等级与原因")
    @APIResponse(responseCode = "404", description = "商户不存在、不在辖区内或尚未评级", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GradeQueryService.Explanation grade(@PathParam("id") long id) {
        return queries.explain(id, actor());
    }

    @GET
    @Path("/merchants/{id}/grade/history")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "商户风险等级变化历史")
    @APIResponse(responseCode = "200", description = "每次等级变化：原等级、新等级、时间、原因、规则集版本")
    public List<GradeHistoryRow> history(@PathParam("id") long id) {
        return queries.history(id, actor());
    }

    @GET
    @Path("/grades/distribution")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "风险等级分布（数量和占比%，按街镇或行业）", description = "不含已关闭商户；执法队只统计本辖区。")
    @APIResponse(responseCode = "200", description = "分布")
    public GradeQueryService.Distribution distribution(@QueryParam("by") @Parameter(description = "street（默认）或 category") String by,
                                                       @QueryParam("street") String street, @QueryParam("category") String category) {
        return queries.distribution(by, street, category, actor());
    }

    @GET
    @Path("/grades/trend")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "风险等级分布随时间的变化（每次全量评级后记录一次）")
    @APIResponse(responseCode = "200", description = "按日期的分布")
    public List<GradeQueryService.TrendPoint> trend(@QueryParam("from") @Parameter(description = "yyyy-MM-dd，默认 90 天前") String from,
                                                    @QueryParam("to") @Parameter(description = "yyyy-MM-dd，默认今天") String to) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        return queries.trend(date("from", from, today.minusDays(90)), date("to", to, today), actor());
    }

    public record RegradeRequest(@Schema(description = "评级日期，默认今天；可用于预演记录过期后的等级") String evaluationDate) {
    }

    @POST
    @Path("/grading/regrade")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_})
    @Operation(summary = "启动全量重新评级任务", description = "返回任务；用 GET /api/v1/jobs/{id} 查看进度（完成数/总数、速率、预计剩余时间）。")
    @APIResponse(responseCode = "202", description = "任务已启动")
    @APIResponse(responseCode = "400", description = "日期有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response startRegrade(RegradeRequest request) {
        LocalDate date = date("evaluationDate", request == null ? null : request.evaluationDate(), LocalDate.now(EventService.ZONE));
        Job job = regrade.start(currentUser.username(), date, "全量重新评级（" + currentUser.username() + " 发起）", null);
        return Response.accepted(jobs.progress(job)).location(URI.create("/api/v1/jobs/" + job.id)).build();
    }

    public record ActiveRules(String version, List<String> rules, List<String> files, String degraded) {
    }

    @GET
    @Path("/grading/rules/active")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "当前生效的评级规则集版本")
    @APIResponse(responseCode = "200", description = "版本、规则名和文件")
    public ActiveRules activeRules() {
        var rules = engine.active();
        return new ActiveRules(rules.version(), rules.ruleNames(), List.copyOf(rules.source().files().keySet()), ruleSets.degradedReason());
    }

    static LocalDate date(String field, String text, LocalDate fallback) {
        if (text == null || text.isBlank()) return fallback;
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "日期“" + text + "”格式不正确，应为 yyyy-MM-dd");
        }
    }
}
