package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.registry.MerchantService;
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

@Path("/api/v1/merchants/{id}/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "事件 (events)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MerchantEventResource {

    @Inject
    EventService events;

    @Inject
    MerchantService merchants;

    @Inject
    CurrentUser currentUser;

    @GET
        @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "商户的全部事件（新的在前，含已被更正的事件）")
    @APIResponse(responseCode = "200", description = "事件列表")
    public List<MerchantEvent> forMerchant(@PathParam("id") long id) {
        merchants.get(id, currentUser.actor());
        return events.listForMerchant(id);
    }
}
