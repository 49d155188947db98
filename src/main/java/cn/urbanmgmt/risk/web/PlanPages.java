package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.inspection.items.ItemService;
import cn.urbanmgmt.risk.inspection.plans.PlanQueries;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import cn.urbanmgmt.risk.inspection.plans.PlanView;
import cn.urbanmgmt.risk.inspection.results.ResultService;
import cn.urbanmgmt.risk.inspection.verify.VerifyService;
import cn.urbanmgmt.risk.inspection.visits.ProgressService;
import cn.urbanmgmt.risk.inspection.visits.VisitService;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
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
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 抽查计划 for planners: the list of plans, a new plan (with a dry-run preview of the strata), one
 * plan (strata, progress, visits with their inspectors, exports, verify, publishing) and its results
 * with their publication deadlines. Everything comes from the inspection services the API uses.
 */
@CsrfProtected
@Path("/console/plans")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_})
public class PlanPages {

    static final int PAGE_SIZE = 20;

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("plans.html")
    Template listPage;

    @Inject
    @Location("plan-new.html")
    Template newPage;

    @Inject
    @Location("plan.html")
    Template planPage;

    @Inject
    @Location("plan-verify.html")
    Template verifyPage;

    @Inject
    @Location("plan-results.html")
    Template resultsPage;

    @Inject
    PlanService plans;

    @Inject
    PlanQueries queries;

    @Inject
    VerifyService verifier;

    @Inject
    VisitService visits;

    @Inject
    ProgressService progress;

    @Inject
    ResultService results;

    @Inject
    ItemService items;

    @Inject
    ReferenceData refs;

    /** A checkbox or option of a form: its value, its label, a note, and whether it is chosen. */
    public record Choice(String code, String name, String note, boolean checked) {
    }

    // ---- the list -------------------------------------------------------------------------------

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("published") String published, @QueryParam("page") @DefaultValue("0") int page) {
        Boolean only = "true".equals(published) ? Boolean.TRUE : "false".equals(published) ? Boolean.FALSE : null;
        PageResult<PlanQueries.PlanListItem> found = queries.page(only, page, PAGE_SIZE);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("published", only == null ? null : only.toString());
        return console.page(listPage, "plans").data("plans", found).data("pager", Pager.of("/console/plans", filters, found))
                .data("published", only == null ? "" : only.toString());
    }

    // ---- a new plan -----------------------------------------------------------------------------

    @GET
    @Path("/new")
    @Operation(hidden = true)
    public TemplateInstance newPlan() {
        return form(PlanForm.initial(today()), null, null, false);
    }

    /** 预览: the strata and counts the plan would have (dryRun), nothing stored. htmx swaps in the #preview part only. */
    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public TemplateInstance preview(@BeanParam PlanForm form) {
        try {
            return form(form, plans.create(form.toInput(), true, console.actor()), null, true);
        } catch (ProblemException e) {
            // A preview that finds the plan impossible is still a preview: shown in place, with the service's reasons.
            return form(form, null, e.problem(), true);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@BeanParam PlanForm form) {
        try {
            PlanView plan = plans.create(form.toInput(), false, console.actor());
            return PageErrors.seeOther("/console/plans/" + plan.id() + "?created=true");
        } catch (ProblemException e) {
            // Nothing was stored: the form comes back as it was sent, with what the service refused.
            String html = form(form, null, e.problem(), false).render();
            return Response.status(e.problem().status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
        }
    }

    private TemplateInstance form(PlanForm form, PlanView preview, Problem error, boolean previewed) {
        List<InspectionItem> active = items.list(null, true);
        List<String> chosenItems = PlanForm.values(form.items);
        List<String> chosenStreets = PlanForm.values(form.streets);
        List<String> chosenCategories = PlanForm.values(form.categories);
        List<String> chosenSquads = PlanForm.values(form.inspectorSquads);
        List<Choice> itemChoices = active.stream().map(i -> new Choice(i.code, i.name, i.edition + " 年版 · "
                + PlanFormats.policyName(i.samplingPolicy) + " · " + i.mode.label() + " · 适用：" + applicability(i), chosenItems.contains(i.code))).toList();
        List<Choice> editions = new TreeSet<>(active.stream().map(i -> i.edition).toList()).descendingSet().stream()
                .map(e -> new Choice(String.valueOf(e), e + " 年版", null, String.valueOf(e).equals(form.edition))).toList();
        return console.page(newPage, "plans")
                .data("form", form)
                .data("itemChoices", itemChoices)
                .data("editions", editions)
                .data("streetChoices", refs.streets().stream().map(s -> new Choice(s.code, s.name, null, chosenStreets.contains(s.code))).toList())
                .data("categoryChoices", Arrays.stream(MerchantCategory.values())
                        .map(c -> new Choice(c.name(), c.label(), null, chosenCategories.contains(c.name()))).toList())
                .data("squadChoices", refs.squads().stream().map(s -> new Choice(s.code, s.name, null, chosenSquads.contains(s.code))).toList())
                .data("keyUnitsOnly", form.keyUnitsOnly())
                .data("advanced", !chosenSquads.isEmpty() || form.usccs != null && !form.usccs.isBlank()
                        || form.seed != null && !form.seed.isBlank() || form.edition != null && !form.edition.isBlank())
                .data("preview", preview)
                .data("previewed", previewed)
                .data("error", error);
    }

    private static String applicability(InspectionItem i) {
        if (i.categories.isEmpty() && i.keyUnitTypes.isEmpty()) return "全部商户";
        List<String> parts = new java.util.ArrayList<>();
        i.categories.forEach(c -> parts.add(c.label()));
        i.keyUnitTypes.forEach(k -> parts.add(k.label()));
        return String.join("、", parts);
    }

    // ---- one plan -------------------------------------------------------------------------------

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance plan(@PathParam("id") long id, @QueryParam("status") String status, @QueryParam("overdue") String overdue,
                                 @QueryParam("squad") String squad, @QueryParam("page") @DefaultValue("0") int page,
                                 @QueryParam("created") boolean created, @QueryParam("notice") boolean notice) {
        PlanView plan = queries.view(id);
        ProgressService.Progress p = progress.progress(id);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("status", status);
        filters.put("overdue", "true".equals(overdue) ? "true" : null);
        filters.put("squad", squad);
        PageResult<VisitView> found = null;
        String visitError = null;
        try {
            found = visits.search(new VisitService.Filter(id, status, "true".equals(overdue) ? Boolean.TRUE : null, squad), page, PAGE_SIZE,
                    console.actor());
        } catch (ProblemException e) {
            visitError = e.problem().detail();
        }
        String exportQuery = Pager.query(filters);
        Map<String, String> poolNames = new LinkedHashMap<>();
        poolNames.put(cn.urbanmgmt.risk.inspection.matching.Matching.CROSS_POOL, "跨中队人员池");
        refs.squads().forEach(s -> poolNames.put(s.code, s.name));
        return console.page(planPage, "plans")
                .data("plan", plan)
                .data("poolNames", poolNames)
                .data("poolSquads", plan.inspectorSquads() == null ? List.of()
                        : plan.inspectorSquads().stream().map(c -> poolNames.getOrDefault(c, c)).toList())
                .data("phase", PlanQueries.phase(plan.periodStart(), plan.periodEnd()))
                .data("progress", p)
                .data("visits", found)
                .data("visitError", visitError)
                .data("pager", found == null ? null : Pager.of("/console/plans/" + id, filters, found))
                .data("filters", filters)
                .data("exportQuery", exportQuery.isEmpty() ? "" : exportQuery + "&")
                .data("created", created)
                .data("notice", notice);
    }

    /** 核验: recomputes the draw and the matching from the recorded inputs (GET: it changes nothing). */
    @GET
    @Path("/{id}/verify")
    @Operation(hidden = true)
    public TemplateInstance verify(@PathParam("id") long id) {
        PlanView plan = queries.view(id);
        return console.page(verifyPage, "plans").data("plan", plan).data("report", verifier.verify(id));
    }

    @GET
    @Path("/{id}/results")
    @Operation(hidden = true)
    public TemplateInstance results(@PathParam("id") long id, @QueryParam("published") String published,
                                    @QueryParam("overdue") String overdue, @QueryParam("page") @DefaultValue("0") int page,
                                    @QueryParam("done") Integer done, @QueryParam("already") Integer already) {
        PlanView plan = queries.view(id);
        Boolean only = "true".equals(published) ? Boolean.TRUE : "false".equals(published) ? Boolean.FALSE : null;
        Boolean late = "true".equals(overdue) ? Boolean.TRUE : null;
        PageResult<ResultService.ResultView> found = results.search(id, only, late, page, PAGE_SIZE);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("published", only == null ? null : only.toString());
        filters.put("overdue", late == null ? null : "true");
        ProgressService.Progress p = progress.progress(id);
        return console.page(resultsPage, "plans")
                .data("plan", plan)
                .data("progress", p)
                .data("unpublished", p.resultsRecorded() - p.resultsPublished())
                .data("results", found)
                .data("pager", Pager.of("/console/plans/" + id + "/results", filters, found))
                .data("filters", filters)
                .data("deadlineDays", ResultService.PUBLISH_WITHIN_WORKING_DAYS)
                .data("done", done)
                .data("already", already);
    }

    @POST
    @Path("/{id}/publish-notice")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response publishNotice(@PathParam("id") long id) {
        queries.publishNotice(id, console.actor());
        return PageErrors.seeOther("/console/plans/" + id + "?notice=true");
    }

    @POST
    @Path("/{id}/publish-results")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response publishResults(@PathParam("id") long id) {
        ResultService.Published r = results.publish(null, id, console.actor());
        return PageErrors.seeOther("/console/plans/" + id + "/results?done=" + r.published() + "&already=" + r.alreadyPublished());
    }

    static LocalDate today() {
        return LocalDate.now(EventService.ZONE);
    }

    @Inject
    cn.urbanmgmt.risk.inspection.plans.PlanLists lists;

    /** The recorded candidate list for people (zh-CN headers, CSV with BOM or XLSX); the API's CSV is the machine-readable original. */
    @GET
    @Path("/{id}/candidates")
    @Produces({cn.urbanmgmt.risk.common.tabular.TabularWriter.CSV_TYPE, cn.urbanmgmt.risk.common.tabular.TabularWriter.XLSX_TYPE})
    @Operation(hidden = true)
    public Response candidatesFile(@PathParam("id") long id, @QueryParam("format") @DefaultValue("csv") String format) {
        String f = cn.urbanmgmt.risk.inspection.Downloads.format(format);
        var list = lists.candidates(id); // a missing plan is a 404 page, not a broken file
        return cn.urbanmgmt.risk.inspection.Downloads.file(out -> cn.urbanmgmt.risk.inspection.plans.PlanLists.writeCandidates(list, f, out),
                "plan-" + id + "-candidates", f);
    }

    /** The drawn list for people (zh-CN headers, CSV with BOM or XLSX). */
    @GET
    @Path("/{id}/drawn")
    @Produces({cn.urbanmgmt.risk.common.tabular.TabularWriter.CSV_TYPE, cn.urbanmgmt.risk.common.tabular.TabularWriter.XLSX_TYPE})
    @Operation(hidden = true)
    public Response drawFile(@PathParam("id") long id, @QueryParam("format") @DefaultValue("csv") String format) {
        String f = cn.urbanmgmt.risk.inspection.Downloads.format(format);
        String csv = lists.draw(id);
        return cn.urbanmgmt.risk.inspection.Downloads.file(out -> cn.urbanmgmt.risk.inspection.plans.PlanLists.writeDraw(csv, f, out),
                "plan-" + id + "-drawn", f);
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
