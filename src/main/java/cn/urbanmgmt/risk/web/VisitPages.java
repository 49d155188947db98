package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.inspection.visits.ResultRecorder;
import cn.urbanmgmt.risk.inspection.visits.VisitPhotos;
import cn.urbanmgmt.risk.inspection.visits.VisitService;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.registry.MerchantView;
import cn.urbanmgmt.risk.security.AppUser;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
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

    @Inject
    VisitPhotos photos;

    @Inject
    cn.urbanmgmt.risk.inspection.results.ResultCorrectionService corrections;

    @Inject
    cn.urbanmgmt.risk.inspection.items.ItemService items;

    /** One item's line of the result form, with what was typed (and its checklist's deduction lines). */
    public record Row(String code, String name, String outcome, String findings, String score, List<Ded> deductions,
                      List<cn.urbanmgmt.risk.inspection.items.CheckPoint> checklist) {

        /** Whether a typed deduction code is one of the item's check points. */
        public boolean onChecklist(String code) {
            return checklist.stream().anyMatch(p -> p.code().equals(code));
        }
    }

    /** A deduction line of the checklist: code and points as typed. */
    public record Ded(String code, String points) {
    }

    /** An officer of the visit's team, ticked when present. */
    public record Officer(String badgeNo, String name, boolean present) {
    }

    /** Deduction lines offered per item (blank ones are ignored). */
    static final int DEDUCTION_LINES = 3;

    public record Option(String code, String name) {
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("planId") String planId, @QueryParam("status") String status,
                                 @QueryParam("overdue") String overdue, @QueryParam("q") String q, @QueryParam("when") String when,
                                 @QueryParam("mine") String mine, @QueryParam("merchantId") String merchantId,
                                 @QueryParam("page") @DefaultValue("0") int page) {
        boolean hasBadge = hasBadge();
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("planId", planId);
        filters.put("status", status);
        filters.put("overdue", "true".equals(overdue) ? "true" : null);
        filters.put("q", q == null || q.isBlank() ? null : q.strip());
        filters.put("when", "today".equals(when) || "week".equals(when) ? when : null);
        filters.put("mine", "true".equals(mine) && hasBadge ? "true" : null);
        filters.put("merchantId", merchantId);
        PageResult<VisitView> found = null;
        String error = null;
        String merchantName = null;
        try {
            Long plan = number(planId, "planId", "计划编号应为数字");
            Long merchant = number(merchantId, "merchantId", "商户编号应为数字");
            // A merchant's visits (the link on its page): another squad's merchant is "not found".
            if (merchant != null) merchantName = merchants.get(merchant, console.actor()).name;
            VisitService.Filter filter = new VisitService.Filter(plan, status, "true".equals(overdue) ? Boolean.TRUE : null, null,
                    filters.get("q"), filters.get("when"), filters.get("mine") == null ? null : Boolean.TRUE, merchant);
            found = visits.search(filter, page, PlanPages.PAGE_SIZE, console.actor());
        } catch (ProblemException e) {
            if (e.problem().status() == 404) throw e;
            error = e.problem().detail();
        }
        Map<String, String> tabs = new LinkedHashMap<>(filters);
        tabs.remove("when");
        tabs.remove("planId");
        String q2 = Pager.query(filters);
        return console.page(listPage, "visits")
                .data("visits", found)
                .data("pager", found == null ? null : Pager.of("/console/visits", filters, found))
                .data("filters", filters)
                .data("hasBadge", hasBadge)
                .data("merchantName", merchantName)
                .data("tabQuery", Pager.query(tabs))
                .data("exportQuery", q2.isEmpty() ? "" : q2 + "&")
                .data("error", error);
    }

    private static Long number(String text, String field, String message) {
        if (text == null || text.isBlank()) return null;
        try {
            return Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(field, message);
        }
    }

    /** Whether the signed-in account has a badge number (then "mine" means the visits it is assigned to). */
    boolean hasBadge() {
        return QuarkusTransaction.requiringNew().call(() -> {
            AppUser u = AppUser.findByUsername(console.actor().username());
            return u != null && u.badgeNo != null && !u.badgeNo.isBlank();
        });
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance visit(@PathParam("id") long id) {
        VisitView v = visits.get(id, console.actor());
        return page(v, rows(v, null, items.checklistsOfPlan(v.planId())), null, null, PlanPages.today().toString(), null);
    }

    /** 登记检查结果: stored, then the merchant regraded; the page shows its grade before and after. */
    @POST
    @Path("/{id}/result")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
    @RolesAllowed({Role.ADMIN_, Role.SQUAD_})
    @Operation(hidden = true)
    public Response record(@PathParam("id") long id, @BeanParam ResultForm form) {
        try {
            ResultRecorder.Recorded r = recorder.recordAndRegrade(id, form.toInput(), form.uploads(), console.actor());
            return PageErrors.html(200, page(r.visit(), List.of(), r, null, null, null));
        } catch (ProblemException e) {
            if (e.problem().status() == 404) throw e;
            // Nothing was recorded: the form comes back as it was filled in, with what the service refused.
            VisitView v = visits.get(id, console.actor());
            return PageErrors.html(e.problem().status(), page(v, rows(v, form, items.checklistsOfPlan(v.planId())), null, e.problem(), form.inspectedOn, form));
        }
    }

    /**
     * 更正结果: the corrected result and its reason go to the approvals queue (the same service as
     * POST /api/v1/inspection/visits/{id}/result/corrections); nothing changes until a second officer approves.
     */
    @POST
    @Path("/{id}/result/corrections")
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
    @RolesAllowed({Role.ADMIN_, Role.SQUAD_})
    @Operation(hidden = true)
    public Response proposeCorrection(@PathParam("id") long id, @BeanParam ResultForm form) {
        try {
            var p = corrections.propose(id, new cn.urbanmgmt.risk.inspection.results.ResultCorrectionInput(form.reason, form.toInput().results()),
                    console.actor());
            VisitView v = visits.get(id, console.actor());
            return PageErrors.html(200, page(v, List.of(), null, null, null, null)
                    .data("fixNotice", "更正已提交审批（待审批事项 " + p.id + "）：须由另一名法制审核或管理员批准后，检查结果和商户等级才会改变。"));
        } catch (ProblemException e) {
            if (e.problem().status() == 404) throw e;
            VisitView v = visits.get(id, console.actor());
            return PageErrors.html(e.problem().status(), page(v, List.of(), null, null, null, null)
                    .data("fixRows", rows(v, form, items.checklistsOfPlan(v.planId()))).data("fixError", e.problem()).data("fixReason", form.reason));
        }
    }

    /** The address a correction is posted to, opened with GET: the visit's page. */
    @GET
    @Path("/{id}/result/corrections")
    @Operation(hidden = true)
    public Response correctionAddress(@PathParam("id") long id) {
        return PageErrors.seeOther("/console/visits/" + id);
    }

    /** The address a result is posted to, opened with GET (after a login, or typed): the visit's page. */
    @GET
    @Path("/{id}/result")
    @Operation(hidden = true)
    public Response resultAddress(@PathParam("id") long id) {
        return PageErrors.seeOther("/console/visits/" + id);
    }

    /** A photo of a visit, for signed-in users who may see the visit or its merchant (never public). */
    @GET
    @Path("/photos/{photoId}")
    @Produces({"image/jpeg", "image/png", "image/webp", MediaType.TEXT_HTML})
    @io.quarkus.security.Authenticated
    @Operation(hidden = true)
    public Response photo(@PathParam("photoId") long photoId) {
        var actor = console.actor();
        VisitPhotos.Photo p = photos.get(photoId, actor, merchantId -> {
            try {
                merchants.get(merchantId, actor);
                return true;
            } catch (ProblemException e) {
                return false;
            }
        });
        return Response.ok(p.data(), p.contentType()).header("Cache-Control", "private, max-age=3600")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private TemplateInstance page(VisitView v, List<Row> rows, ResultRecorder.Recorded recorded, Problem error, String inspectedOn,
                                  ResultForm form) {
        MerchantView.GradeBadge grade = merchants.gradeBadges(List.of(v.merchantId())).get(v.merchantId());
        List<Officer> officers = v.inspectors().stream().map(i -> new Officer(i.badgeNo(), i.name(),
                form == null || form.presentShown == null || (form.present != null && form.present.contains(i.badgeNo())))).toList();
        var fixes = corrections.list(v.id(), console.actor());
        return console.page(visitPage, "visits")
                .data("v", v)
                .data("corrections", fixes)
                .data("fixOpen", fixes.stream().anyMatch(c -> c.isOpen()))
                .data("fixRows", currentRows(v, items.checklistsOfPlan(v.planId())))
                .data("fixError", null)
                .data("fixNotice", null)
                .data("fixReason", null)
                .data("grade", grade)
                .data("rows", rows)
                .data("officers", officers)
                .data("photos", photos.ofVisit(v.id()))
                .data("maxPhotos", VisitPhotos.MAX_PHOTOS)
                .data("maxPhotoMb", VisitPhotos.MAX_BYTES / 1024 / 1024)
                .data("outcomes", Arrays.stream(InspectionOutcome.values()).map(o -> new Option(o.name(), o.label())).toList())
                .data("recorded", recorded)
                .data("error", error)
                .data("inspectedOn", inspectedOn)
                .data("today", PlanPages.today().toString());
    }

    private static List<Row> rows(VisitView v, ResultForm form, Map<String, List<cn.urbanmgmt.risk.inspection.items.CheckPoint>> checklists) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < v.items().size(); i++) {
            VisitView.ItemRef item = v.items().get(i);
            int at = form == null || form.itemCode == null ? -1 : form.itemCode.indexOf(item.code());
            List<Ded> lines = new ArrayList<>();
            int n = form == null || form.dedItem == null ? 0 : form.dedItem.size();
            for (int j = 0; j < n; j++) {
                if (item.code().equals(ResultForm.at(form.dedItem, j))) lines.add(new Ded(ResultForm.at(form.dedCode, j), ResultForm.at(form.dedPoints, j)));
            }
            while (lines.size() < DEDUCTION_LINES) lines.add(new Ded("", ""));
            List<cn.urbanmgmt.risk.inspection.items.CheckPoint> checklist = checklists.getOrDefault(item.code(), List.of());
            rows.add(at < 0 ? new Row(item.code(), item.name(), "", "", "", lines, checklist)
                    : new Row(item.code(), item.name(), ResultForm.at(form.outcome, at), ResultForm.at(form.findings, at), ResultForm.at(form.score, at),
                    lines, checklist));
        }
        return rows;
    }

    /** The result form's lines filled with the visit's recorded result (what a correction starts from). */
    private static List<Row> currentRows(VisitView v, Map<String, List<cn.urbanmgmt.risk.inspection.items.CheckPoint>> checklists) {
        List<Row> rows = new ArrayList<>();
        for (VisitView.ItemRef item : v.items()) {
            VisitView.ResultRef r = v.results().stream().filter(x -> x.itemCode().equals(item.code())).findFirst().orElse(null);
            List<Ded> lines = new ArrayList<>();
            if (r != null && r.deductions() != null) {
                r.deductions().forEach(d -> lines.add(new Ded(d.code(), d.points() == null ? "" : d.points().stripTrailingZeros().toPlainString())));
            }
            while (lines.size() < DEDUCTION_LINES) lines.add(new Ded("", ""));
            List<cn.urbanmgmt.risk.inspection.items.CheckPoint> checklist = checklists.getOrDefault(item.code(), List.of());
            rows.add(r == null ? new Row(item.code(), item.name(), "", "", "", lines, checklist)
                    : new Row(item.code(), item.name(), r.outcome(), r.findings() == null ? "" : r.findings(),
                    r.score() == null ? "" : r.score().stripTrailingZeros().toPlainString(), lines, checklist));
        }
        return rows;
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
