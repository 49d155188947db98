package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.inspection.visits.ResultRecorder;
import cn.urbanmgmt.risk.inspection.visits.VisitService;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.registry.MerchantView;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 检查任务: the visits a user may see (a squad: those its squad is responsible for or its officers are
 * assigned to), paged, with the field export; one visit, and recording its result, which regrades the
 * merchant at once (the same service as POST /api/v1/inspection/visits/{id}/result).
 */
@CsrfProtected
@Path("/console/visits")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
public class VisitPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("visits.html")
    Template listPage;

    @Inject
    @Location("visit.html")
    Template visitPage;

    @Inject
    VisitService visits;

    @Inject
    ResultRecorder recorder;

    @Inject
    MerchantService merchants;

    /** One item's line of the result form, with what was typed. */
    public record Row(String code, String name, String outcome, String findings, String score) {
    }

    public record Option(String code, String name) {
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("planId") String planId, @QueryParam("status") String status,
                                 @QueryParam("overdue") String overdue, @QueryParam("page") @DefaultValue("0") int page) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("planId", planId);
        filters.put("status", status);
        filters.put("overdue", "true".equals(overdue) ? "true" : null);
        PageResult<VisitView> found = null;
        String error = null;
        try {
            Long plan = null;
            if (planId != null && !planId.isBlank()) {
                try {
                    plan = Long.valueOf(planId.strip());
                } catch (NumberFormatException e) {
                    throw ProblemException.invalidField("planId", "计划编号应为数字");
                }
            }
            found = visits.search(new VisitService.Filter(plan, status, "true".equals(overdue) ? Boolean.TRUE : null, null), page,
                    PlanPages.PAGE_SIZE, console.actor());
        } catch (ProblemException e) {
            error = e.problem().detail();
        }
        String q = Pager.query(filters);
        return console.page(listPage, "visits")
                .data("visits", found)
                .data("pager", found == null ? null : Pager.of("/console/visits", filters, found))
                .data("filters", filters)
                .data("exportQuery", q.isEmpty() ? "" : q + "&")
                .data("error", error);
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance visit(@PathParam("id") long id) {
        VisitView v = visits.get(id, console.actor());
        return page(v, rows(v, null), null, null, PlanPages.today().toString());
    }

    /** 登记检查结果: stored, then the merchant regraded; the page shows its grade before and after. */
    @POST
    @Path("/{id}/result")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Role.ADMIN_, Role.SQUAD_})
    @Operation(hidden = true)
    public Response record(@PathParam("id") long id, @BeanParam ResultForm form) {
        try {
            ResultRecorder.Recorded r = recorder.recordAndRegrade(id, form.toInput(), console.actor());
            return html(200, page(r.visit(), List.of(), r, null, null));
        } catch (ProblemException e) {
            if (e.problem().status() == 404) throw e;
            // Nothing was recorded: the form comes back as it was filled in, with what the service refused.
            VisitView v = visits.get(id, console.actor());
            return html(e.problem().status(), page(v, rows(v, form), null, e.problem(), form.inspectedOn));
        }
    }

    private TemplateInstance page(VisitView v, List<Row> rows, ResultRecorder.Recorded recorded, Problem error, String inspectedOn) {
        MerchantView.GradeBadge grade = merchants.gradeBadges(List.of(v.merchantId())).get(v.merchantId());
        return console.page(visitPage, "visits")
                .data("v", v)
                .data("grade", grade)
                .data("rows", rows)
                .data("outcomes", Arrays.stream(InspectionOutcome.values()).map(o -> new Option(o.name(), o.label())).toList())
                .data("recorded", recorded)
                .data("error", error)
                .data("inspectedOn", inspectedOn)
                .data("today", PlanPages.today().toString());
    }

    private static List<Row> rows(VisitView v, ResultForm form) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < v.items().size(); i++) {
            VisitView.ItemRef item = v.items().get(i);
            int at = form == null || form.itemCode == null ? -1 : form.itemCode.indexOf(item.code());
            rows.add(at < 0 ? new Row(item.code(), item.name(), "", "", "")
                    : new Row(item.code(), item.name(), ResultForm.at(form.outcome, at), ResultForm.at(form.findings, at), ResultForm.at(form.score, at)));
        }
        return rows;
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
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
