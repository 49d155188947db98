package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.approvals.ApprovalService;
import cn.urbanmgmt.risk.approvals.PendingApproval;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.rules.RuleReview;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 审批 (four eyes): events held because they would lower a grade or take a published result off the
 * record, with approve and refuse (with a reason) for those who may; and rule versions waiting for
 * 法制审核, linking to their version pages. The same services as /api/v1/approvals and the rules APIs.
 */
@CsrfProtected
@Path("/console/approvals")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.REVIEWER_, Role.CREDIT_, Role.PLANNER_, Role.SQUAD_, Role.AUDITOR_, Role.RULE_AUTHOR_})
public class ApprovalPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    ApprovalService approvals;

    @Inject
    RuleReview rules;

    @Inject
    GradingService grading;

    @Inject
    SecurityIdentity identity;

    @Inject
    @Location("approvals.html")
    Template page;

    @GET
    @Operation(hidden = true)
    public TemplateInstance list() {
        return render(null);
    }

    private TemplateInstance render(String notice) {
        boolean decides = identity.hasRole(Role.ADMIN_) || identity.hasRole(Role.REVIEWER_) || identity.hasRole(Role.CREDIT_);
        return console.page(page, "approvals")
                .data("items", approvals.list(PendingApproval.Status.PENDING, 0, 500, console.actor()).items())
                .data("decided", approvals.list(PendingApproval.Status.APPROVED, 0, 20, console.actor()).items())
                .data("refused", approvals.list(PendingApproval.Status.REFUSED, 0, 20, console.actor()).items())
                .data("ruleVersions", rules.waiting())
                .data("decides", decides)
                .data("me", console.actor().username())
                .data("notice", notice);
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Role.ADMIN_, Role.REVIEWER_, Role.CREDIT_})
    @Operation(hidden = true)
    public TemplateInstance approve(@PathParam("id") long id, @FormParam("comment") String comment) {
        PendingApproval p = approvals.approve(id, comment, console.actor());
        GradingService.Regraded g = grading.regradeOne(p.merchantId, "审批通过：待审批事项 " + p.id + "（" + console.actor().username() + "）");
        return render("已批准事项 " + p.id + "，事件已生效" + (g.grade() == null ? "" : "；商户等级现为 " + g.grade().name() + "（" + g.grade().colour() + "）"));
    }

    @POST
    @Path("/{id}/refuse")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Role.ADMIN_, Role.REVIEWER_, Role.CREDIT_})
    @Operation(hidden = true)
    public TemplateInstance refuse(@PathParam("id") long id, @FormParam("reason") String reason) {
        PendingApproval p = approvals.refuse(id, reason, console.actor());
        return render("已驳回事项 " + p.id + "：" + p.decisionComment);
    }

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        return errors.problem(e);
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        return errors.forbidden();
    }

    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e) {
        return errors.unauthorized();
    }
}
