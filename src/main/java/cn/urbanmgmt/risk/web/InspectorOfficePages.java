package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularFile.Column;
import cn.urbanmgmt.risk.inspection.TabularLists;
import cn.urbanmgmt.risk.inspection.inspectors.Inspector;
import cn.urbanmgmt.risk.inspection.inspectors.InspectorColumns;
import cn.urbanmgmt.risk.inspection.inspectors.InspectorInput;
import cn.urbanmgmt.risk.inspection.inspectors.InspectorService;
import cn.urbanmgmt.risk.inspection.items.ItemService;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 执法检查人员名录: list, add, edit, import, export; the same service and roles as /api/v1/inspection/inspectors. */
@CsrfProtected
@Path("/console/office/inspectors")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_})
public class InspectorOfficePages extends OfficeRegisterPages {

    static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.putAll(Column.labels(InspectorColumns.class));
        LABELS.put("version", "版本");
    }

    private static final OfficeRegister REGISTER = new OfficeRegister("执法检查人员", "/console/office/inspectors",
            "/api/v1/inspection/inspectors", "/console/office/inspectors", InspectorColumns.headers(), LABELS);

    @Override
    OfficeRegister register() {
        return REGISTER;
    }

    @Inject
    InspectorService inspectors;

    @Inject
    ItemService items;

    @Inject
    ReferenceData refs;

    @Inject
    @Location("office/inspectors.html")
    Template list;

    @Inject
    @Location("office/inspector-form.html")
    Template form;

    public static class InspectorForm {
        @RestForm public String badgeNo;
        @RestForm public String name;
        @RestForm public String squad;
        @RestForm public String active;
        @RestForm public List<String> qualifiedItems;
        @RestForm public String conflictUsccs;
        @RestForm public String conflictPersons;
        @RestForm public String version;

        Forms.Filled filled() {
            return new Forms.Filled().put("badgeNo", badgeNo).put("name", name).put("squad", squad).put("active", active)
                    .put("qualifiedItems", qualifiedItems == null ? "" : String.join(TabularLists.SEPARATOR, qualifiedItems))
                    .put("conflictUsccs", conflictUsccs).put("conflictPersons", conflictPersons).put("version", version);
        }
    }

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(hidden = true)
    public TemplateInstance search(@QueryParam("squad") String squad, @QueryParam("active") String active, @QueryParam("q") String q,
                                   @QueryParam("page") @DefaultValue("0") int page) {
        Boolean act = active == null || active.isBlank() ? null : Boolean.valueOf(active);
        PageResult<Inspector> found = inspectors.search(squad, act, q, page, 50, console.actor());
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("squad", squad);
        filters.put("active", active);
        filters.put("q", q);
        return console.page(list, "office").data("results", found).data("filters", filters)
                .data("pager", Pager.of("/console/office/inspectors", filters, found)).data("exportQuery", Pager.query(filters))
                .data("squads", refs.squads())
                .data("squadNames", refs.squads().stream().collect(java.util.stream.Collectors.toMap(s -> s.code, s -> s.name)));
    }

    @GET
    @Path("/new")
    @Operation(hidden = true)
    public TemplateInstance newForm() {
        return render(new Forms.Filled().put("active", "true"), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@BeanParam InspectorForm f) {
        Forms.Filled filled = f.filled();
        InspectorInput input = input(filled);
        return submit(filled, x -> render(x, null),
                () -> "/console/office/inspectors?q=" + inspectors.create(input, console.actor()).badgeNo);
    }

    @GET
    @Path("/{id}/edit")
    @Operation(hidden = true)
    public TemplateInstance editForm(@PathParam("id") long id) {
        Inspector i = inspectors.get(id, console.actor());
        Forms.Filled filled = new Forms.Filled().put("badgeNo", i.badgeNo).put("name", i.name).put("squad", i.squadCode)
                .put("active", i.active ? "true" : "").put("qualifiedItems", String.join(TabularLists.SEPARATOR, i.qualifiedItems))
                .put("conflictUsccs", String.join("\n", i.conflictUsccs)).put("conflictPersons", String.join("\n", i.conflictPersons))
                .put("version", String.valueOf(i.version));
        return render(filled, i);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response update(@PathParam("id") long id, @BeanParam InspectorForm f) {
        Inspector current = inspectors.get(id, console.actor());
        Forms.Filled filled = f.filled();
        InspectorInput input = input(filled);
        return submit(filled, x -> render(x, current),
                () -> "/console/office/inspectors?q=" + inspectors.update(id, input, console.actor()).badgeNo);
    }

    @GET
    @Path("/import")
    @Operation(hidden = true)
    public TemplateInstance importForm() {
        return importView();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(hidden = true)
    public Response importFile(@RestForm("file") FileUpload file, @RestForm String mode, @RestForm String dryRun) {
        return runImport(file, mode, dryRun, inspectors::importFile);
    }

    private static InspectorInput input(Forms.Filled f) {
        f.refuseControls("conflictUsccs", "conflictPersons");
        return new InspectorInput(f.text("badgeNo"), f.text("name"), f.text("squad"), f.checked("active"),
                TabularLists.split(f.text("qualifiedItems")), TabularLists.split(f.text("conflictUsccs")),
                TabularLists.split(f.text("conflictPersons")), f.integer("version"));
    }

    private TemplateInstance render(Forms.Filled filled, Inspector current) {
        List<String> chosen = TabularLists.split(filled.values.get("qualifiedItems"));
        List<MerchantPages.Option> squads = refs.squads().stream().map(s -> new MerchantPages.Option(s.code, s.name)).toList();
        return console.page(form, "office").data("f", filled).data("i", current).data("squads", squads)
                .data("items", items.list(null, true)).data("chosen", chosen);
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
