package cn.urbanmgmt.risk.jobs;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "后台任务 (jobs)")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class JobResource {

    @Inject
    JobService jobs;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/{id}")
    @Operation(summary = "任务进度：完成数/总数、百分比、速率（个/秒）、预计剩余秒数、结果或错误")
    @APIResponse(responseCode = "200", description = "进度")
    @APIResponse(responseCode = "404", description = "任务不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobService.Progress get(@PathParam("id") long id) {
        return jobs.progress(id);
    }

    @GET
    @Operation(summary = "最近的任务")
    @APIResponse(responseCode = "200", description = "任务列表，新的在前")
    public List<JobService.Progress> recent(@QueryParam("type") String type, @QueryParam("limit") @DefaultValue("20") int limit) {
        return jobs.recent(type, Math.min(Math.max(limit, 1), 200));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_})
    @Operation(summary = "取消运行中的任务（已完成的部分保留）")
    @APIResponse(responseCode = "200", description = "已取消")
    @APIResponse(responseCode = "409", description = "任务已结束", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobService.Progress cancel(@PathParam("id") long id) {
        return jobs.cancel(id, currentUser.username());
    }
}
