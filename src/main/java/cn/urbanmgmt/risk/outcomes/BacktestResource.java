package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/backtests")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "回测与成效 (backtest and outcomes)")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class BacktestResource {

    @Inject
    BacktestService backtests;

    @Inject
    JobService jobs;

    @Inject
    CurrentUser currentUser;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.RULE_AUTHOR_, Role.ADMIN_})
    @Operation(summary = "回测：用某个规则版本（可再加一个对比版本）按过去某日 D 当时已有的记录给商户评级，再看 D 之后 H 天内的检查发现了什么",
            description = "后台任务，不改动任何现有等级、等级历史或趋势；用 GET /api/v1/jobs/{id} 查看进度和结果：每个等级的检查次数、"
                    + "发现问题的比例（命中率）、占全部问题的比例、提升度（lift）、分数的 ROC AUC、按风险排序可提前发现问题的天数及其标准误。"
                    + "定义见 docs/outcomes.md。")
    @APIResponse(responseCode = "202", description = "任务已启动")
    @APIResponse(responseCode = "400", description = "参数有误（指明字段）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "版本无法编译", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response start(BacktestService.BacktestRequest request) {
        JobService.Progress job = backtests.start(request, currentUser.username());
        return Response.accepted(job).location(URI.create("/api/v1/jobs/" + job.id())).build();
    }

    @GET
    @Operation(summary = "最近的回测任务（含结果）")
    public List<JobService.Progress> recent(@QueryParam("limit") @DefaultValue("20") int limit) {
        return jobs.recent(BacktestJob.TYPE, Math.min(Math.max(limit, 1), 200));
    }
}
