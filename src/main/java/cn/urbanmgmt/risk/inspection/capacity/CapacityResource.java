package cn.urbanmgmt.risk.inspection.capacity;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Inspector capacity in the inspector registry: per squad visits per inspector per day and working days; leave. */
@Path("/api/v1/inspection/capacity")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "检查力量 (inspector capacity)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class CapacityResource {

    @Inject
    CapacityService capacity;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/squads")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_, Role.AUDITOR_})
    @Operation(summary = "各中队的检查力量设置：每人每天检查户数、工作日（未单独设置的用 app.capacity.* 的默认值）")
    public List<CapacityService.Settings> squads() {
        return new ArrayList<>(capacity.settings().values());
    }

    @PUT
    @Path("/squads/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "设置一个中队的检查力量", description = "visitsPerInspectorPerDay 0.5 到 20（一位小数），workingDays 为 1（周一）到 7（周日）。")
    @APIResponse(responseCode = "200", description = "已保存")
    @APIResponse(responseCode = "400", description = "输入有误（逐个字段说明）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CapacityService.Settings update(@PathParam("code") String code, CapacityService.SettingsInput in) {
        return capacity.update(code, in, currentUser.actor());
    }

    @POST
    @Path("/leave")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "登记检查人员请假（按天，含首尾）", description = "请假的日子不计入该人员所在中队的检查力量。")
    @APIResponse(responseCode = "201", description = "已登记")
    @APIResponse(responseCode = "400", description = "输入有误（逐个字段说明）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response addLeave(CapacityService.LeaveInput in) {
        return Response.status(201).entity(capacity.addLeave(in, currentUser.actor())).build();
    }

    @GET
    @Path("/leave")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_, Role.AUDITOR_})
    @Operation(summary = "请假记录（最近 500 条），可按中队筛选")
    public List<CapacityService.Leave> leave(@QueryParam("squad") String squad) {
        return capacity.leave(squad == null || squad.isBlank() ? null : squad.strip());
    }
}
