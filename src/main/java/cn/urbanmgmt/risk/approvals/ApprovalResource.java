package cn.urbanmgmt.risk.approvals;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * The four-eyes work queue: events held because they would lower a grade or take a published result off the record,
 * and proposed corrections of recorded visit results (kind RESULT_CORRECTION).
 */
@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "四眼审批 (approvals)")
@RolesAllowed({Role.ADMIN_, Role.REVIEWER_, Role.CREDIT_, Role.PLANNER_, Role.SQUAD_, Role.AUDITOR_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权（或审批自己提交的事项）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ApprovalResource {

    private static final Logger LOG = Logger.getLogger(ApprovalResource.class);

    @Inject
    ApprovalService approvals;

    @Inject
    GradingService grading;

    @Inject
    CurrentUser currentUser;

    public record Decision(String comment, String reason) {
    }

    /** The decided item and, after an approval, the merchant's grade as stored after its regrade. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decided(PendingApproval item, GradingService.Regraded grade, String gradeError) {
    }

    @GET
    @Operation(summary = "待审批事项（默认只列待审批的，新的在前；执法队只看到本辖区的）")
    @APIResponse(responseCode = "200", description = "事项")
    @APIResponse(responseCode = "400", description = "参数有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageResult<PendingApproval> list(@QueryParam("status") @Parameter(description = "PENDING（默认）、APPROVED 或 REFUSED") String status,
                                            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0) throw ProblemException.invalidField("page", "页码不能为负数");
        if (size < 1 || size > 500) throw ProblemException.invalidField("size", "每页条数应在 1 到 500 之间");
        return approvals.list(status(status), page, size, currentUser.actor());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "一个事项：提交的事件、原因、前后等级、审批结果")
    @APIResponse(responseCode = "200", description = "事项")
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PendingApproval get(@PathParam("id") long id) {
        return approvals.get(id, currentUser.actor());
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.REVIEWER_, Role.CREDIT_})
    @Operation(summary = "批准：事件（或检查结果更正）生效，商户随即重新评级", description = "须由提交人以外的法制审核或管理员（信用记录也可由另一名信用管理人员）审批。")
    @APIResponse(responseCode = "200", description = "已批准；grade 为重新评级后存储的等级")
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "已被审批（例如另一人同时审批），或事件已无法生效", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Decided approve(@PathParam("id") long id, Decision body) {
        PendingApproval p = approvals.approve(id, body == null ? null : body.comment(), currentUser.actor());
        try {
            GradingService.Regraded g = grading.regradeOne(p.merchantId, "审批通过：待审批事项 " + p.id + "（" + currentUser.username() + "）");
            return new Decided(p, g, g.fault());
        } catch (RuntimeException e) {
            // The event and its "needs regrade" mark are stored: the drain grades the merchant within seconds.
            LOG.errorf(e, "Regrade after approval %d failed", id);
            return new Decided(p, null, "已批准，但重新评级暂未完成（" + e.getMessage() + "）；系统会在数秒内自动补做评级");
        }
    }

    @POST
    @Path("/{id}/refuse")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.REVIEWER_, Role.CREDIT_})
    @Operation(summary = "驳回（须填写理由 reason）：事件（或检查结果更正）不生效")
    @APIResponse(responseCode = "200", description = "已驳回")
    @APIResponse(responseCode = "400", description = "缺少理由", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "已被审批", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Decided refuse(@PathParam("id") long id, Decision body) {
        return new Decided(approvals.refuse(id, body == null ? null : body.reason(), currentUser.actor()), null, null);
    }

    static PendingApproval.Status status(String s) {
        if (s == null || s.isBlank()) return null;
        return Arrays.stream(PendingApproval.Status.values()).filter(x -> x.name().equalsIgnoreCase(s.strip())).findFirst()
                .orElseThrow(() -> ProblemException.invalidField("status", "状态应为 PENDING、APPROVED 或 REFUSED"));
    }
}
