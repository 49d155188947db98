package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Verification of the hash-chained audit trails. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "审计链核验 (audit)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AuditResource {

    @Inject
    AuditChain chain;

    @GET
    @Path("/verify")
    @RolesAllowed({Role.ADMIN_, Role.REVIEWER_})
    @Operation(summary = "核验审计链：逐条重算哈希，报告第一处断链",
            description = "覆盖名录变更、事件与更正、规则集（两类）、账号与角色、登录记录。intact=false 时 firstBroken 指出表、记录 id 与原因（CHANGED 被改动、DELETED 被删除、SEAL_CHANGED/CHAIN_BROKEN/BATCH_MISSING 封存记录被改动）。")
    public AuditChain.Report verify(@QueryParam("table") String table) {
        return chain.verify(table == null || table.isBlank() ? null : table.strip());
    }
}
