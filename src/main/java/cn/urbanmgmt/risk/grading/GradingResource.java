package cn.urbanmgmt.risk.grading;

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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/grading")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "评级任务与规则 (grading)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class GradingResource {

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

    public record RegradeRequest(@Schema(description = "评级日期，默认今天；可用于预演记录过期后的等级") String evaluationDate,
                                 @Schema(description = "FULL（默认）：全量重新评级；DAILY：按每日任务的规则补做（能增量时只评级到期和待重评的商户）；"
                                         + "SAFETY：每周全量核对（报告增量评级漏掉的商户）", enumeration = {"FULL", "DAILY", "SAFETY"}) String mode) {
    }

    @POST
    @Path("/regrade")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_})
    @Operation(summary = "启动重新评级任务", description = "返回任务；用 GET /api/v1/jobs/{id} 查看进度（完成数/总数、速率、预计剩余时间）。"
            + "已有同一评级日期、同一规则版本的同类重新评级在排队或运行时，不另起任务，返回那个任务。"
            + "DAILY 与每日定时任务相同（例如停机错过了定时任务后补做）；SAFETY 与每周核对相同。")
    @APIResponse(responseCode = "202", description = "任务已启动（或已在运行的那个任务）")
    @APIResponse(responseCode = "400", description = "日期或方式有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response startRegrade(RegradeRequest request) {
        LocalDate date = GradeResource.date("evaluationDate", request == null ? null : request.evaluationDate(), LocalDate.now(EventService.ZONE));
        String mode = request == null || request.mode() == null || request.mode().isBlank() ? "FULL" : request.mode().strip().toUpperCase(java.util.Locale.ROOT);
        Job job = switch (mode) {
            case "FULL" -> regrade.start(currentUser.username(), date, "全量重新评级（" + currentUser.username() + " 发起）", null);
            case "DAILY" -> regrade.startDaily(currentUser.username(), date, null);
            case "SAFETY" -> regrade.startSafetyPass(currentUser.username(), date, null);
            default -> throw ProblemException.invalidField("mode", "重新评级方式“" + request.mode() + "”不存在，应为 FULL、DAILY 或 SAFETY");
        };
        return Response.accepted(jobs.progress(job)).location(URI.create("/api/v1/jobs/" + job.id)).build();
    }

    public record ActiveRules(String version, List<String> rules, List<String> files, String degraded, int lookBackDays) {
    }

    @Inject
    GradeFaultMonitor faults;

    @GET
    @Path("/faults")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "评级异常商户：规则对其执行失败（抛出异常、死循环或超时）而保留上次等级的商户",
            description = "商户再次评级成功后自动移出此列表。执法中队只看到本辖区的商户。")
    @APIResponse(responseCode = "200", description = "异常商户列表，最近的在前")
    public List<GradeFaultMonitor.FaultedMerchant> faults(@QueryParam("limit") @jakarta.ws.rs.DefaultValue("200") int limit) {
        return faults.list(currentUser.scope().streets(), Math.min(Math.max(limit, 1), 1000));
    }

    @GET
    @Path("/rules/active")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "当前生效的评级规则集版本")
    @APIResponse(responseCode = "200", description = "版本、规则名和文件")
    public ActiveRules activeRules() {
        var rules = engine.active();
        return new ActiveRules(rules.version(), rules.ruleNames(), List.copyOf(rules.source().files().keySet()), ruleSets.degradedReason(),
                rules.lookBackDays());
    }

}
