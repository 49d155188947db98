package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/merchants/{id}/grade")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "风险等级 (grades)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MerchantGradeResource {

    @Inject
    GradeQueryService queries;

    @Inject
    CurrentUser currentUser;


    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "商户当前风险等级及原因", description = "每条原因给出规则名、加分或保底等级、说明文字和所依据的事件。")
    @APIResponse(responseCode = "200", description = "等级与原因")
    @APIResponse(responseCode = "404", description = "商户不存在、不在辖区内或尚未评级", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GradeQueryService.Explanation grade(@PathParam("id") long id) {
        return queries.explain(id, currentUser.actor());
    }

    @GET
    @Path("/history")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "商户风险等级变化历史")
    @APIResponse(responseCode = "200", description = "每次等级变化：原等级、新等级、时间、原因、规则集版本")
    public List<GradeHistoryRow> history(@PathParam("id") long id) {
        return queries.history(id, currentUser.actor());
    }
}
