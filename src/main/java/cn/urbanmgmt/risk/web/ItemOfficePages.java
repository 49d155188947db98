package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularFile.Column;
import cn.urbanmgmt.risk.inspection.TabularLists;
import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.inspection.items.ItemColumns;
import cn.urbanmgmt.risk.inspection.items.ItemInput;
import cn.urbanmgmt.risk.inspection.items.ItemService;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 随机抽查事项清单: list, add, edit, delete (unused ones), import, export; the same service and roles as /api/v1/inspection/items. */
@CsrfProtected
@Path("/console/office/items")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_})
public class ItemOfficePages extends OfficeRegisterPages {

    static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("active=false", "“启用”不勾选");
        LABELS.putAll(Column.labels(ItemColumns.class));
        LABELS.put("version", "版本");
    }

    private static final OfficeRegister REGISTER = new OfficeRegister("抽查事项", "/console/office/items", "/api/v1/inspection/items",
            "/console/office/items", ItemColumns.headers(), LABELS);

    @Override
    OfficeRegister register() {
        return REGISTER;
    }

    @Inject
    ItemService items;

    @Inject
    @Location("office/items.html")
    Template list;

    @Inject
    @Location("office/item-form.html")
    Template form;

    public static class ItemForm {
        @RestForm public String edition;
        @RestForm public String code;
        @RestForm public String name;
        @RestForm public String legalBasis;
        @RestForm public List<String> categories;
        @RestForm public List<String> keyUnitTypes;
        @RestForm public String mode;
        @RestForm public String samplingPolicy;
        @RestForm public String description;
        @RestForm public String active;
        @RestForm public String version;
        @RestForm public String checklist;

        Forms.Filled filled() {
            return new Forms.Filled().put("edition", edition).put("code", code).put("name", name).put("legalBasis", legalBasis)
                    .put("categories", categories == null ? "" : String.join(TabularLists.SEPARATOR, categories))
                    .put("keyUnitTypes", keyUnitTypes == null ? "" : String.join(TabularLists.SEPARATOR, keyUnitTypes))
                    .put("mode", mode).put("samplingPolicy", samplingPolicy).put("description", description).put("active", active)
                    .put("version", version).put("checklist", checklist);
        }
    }

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(hidden = true)
    public TemplateInstance list(@QueryParam("edition") Integer edition) {
        return console.page(list, "office").data("items", items.list(edition, null)).data("edition", edition);
    }

    @GET
    @Path("/new")
    @Operation(hidden = true)
    public TemplateInstance newForm() {
        return render(new Forms.Filled().put("edition", String.valueOf(LocalDate.now().getYear())).put("active", "true")
                .put("mode", InspectionMode.ON_SITE.name()).put("samplingPolicy", "RISK_BASED"), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@BeanParam ItemForm f) {
        Forms.Filled filled = f.filled();
        ItemInput input = input(filled);
        return submit(filled, x -> render(x, null), () -> {
            items.create(input, console.actor());
            return "/console/office/items?edition=" + input.edition();
        });
    }

    @GET
    @Path("/{id}/edit")
    @Operation(hidden = true)
    public TemplateInstance editForm(@PathParam("id") long id) {
        InspectionItem i = items.get(id);
        Forms.Filled filled = new Forms.Filled().put("edition", String.valueOf(i.edition)).put("code", i.code).put("name", i.name)
                .put("legalBasis", i.legalBasis).put("categories", names(i.categories)).put("keyUnitTypes", names(i.keyUnitTypes))
                .put("mode", i.mode.name()).put("samplingPolicy", i.samplingPolicy).put("description", i.description)
                .put("active", i.active ? "true" : "").put("version", String.valueOf(i.version))
                .put("checklist", cn.urbanmgmt.risk.inspection.items.CheckPoint.format(i.checklist));
        return render(filled, i);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response update(@PathParam("id") long id, @BeanParam ItemForm f) {
        InspectionItem current = items.get(id);
        Forms.Filled filled = f.filled();
        ItemInput input = input(filled);
        return submit(filled, x -> render(x, current), () -> {
            items.update(id, input, console.actor());
            return "/console/office/items?edition=" + input.edition();
        });
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response delete(@PathParam("id") long id) {
        InspectionItem i = items.get(id);
        try {
            items.delete(id);
            return PageErrors.seeOther("/console/office/items?edition=" + i.edition);
        } catch (ProblemException e) {
            return errors.page(e.problem().status(), "不能删除", Forms.humanize(e.problem().detail(), LABELS));
        }
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
        return runImport(file, mode, dryRun, items::importFile);
    }

    private static ItemInput input(Forms.Filled f) {
        f.refuseControls("legalBasis", "description", "checklist");
        // The form always shows the whole checklist: an empty box clears it.
        List<cn.urbanmgmt.risk.common.Problem.FieldError> bad = new ArrayList<>();
        String text = f.text("checklist");
        List<cn.urbanmgmt.risk.inspection.items.CheckPoint> checklist = cn.urbanmgmt.risk.inspection.items.CheckPoint.parse(text == null ? "" : text, null, bad);
        if (!bad.isEmpty()) f.error("checklist", bad.get(0).message());
        return new ItemInput(f.integer("edition"), f.text("code"), f.text("name"), f.text("legalBasis"),
                options(f, MerchantCategory.class, "categories"), options(f, KeyUnitType.class, "keyUnitTypes"),
                f.option(InspectionMode.class, "mode"), f.text("samplingPolicy"), f.text("description"), f.checked("active"),
                f.integer("version"), checklist);
    }

    private static <E extends Enum<E> & Labelled> List<E> options(Forms.Filled f, Class<E> type, String field) {
        List<E> out = new ArrayList<>();
        for (String v : TabularLists.split(f.values.get(field))) {
            E e = Labelled.parse(type, v);
            if (e == null) f.error(field, "取值“" + v + "”无效");
            else out.add(e);
        }
        return out;
    }

    private static String names(List<? extends Enum<?>> values) {
        return String.join(TabularLists.SEPARATOR, values.stream().map(Enum::name).toList());
    }

    private TemplateInstance render(Forms.Filled filled, InspectionItem current) {
        return console.page(form, "office").data("f", filled).data("i", current)
                .data("categories", MerchantPages.options(MerchantCategory.values()))
                .data("keyUnitTypes", MerchantPages.options(KeyUnitType.values()))
                .data("modes", MerchantPages.options(InspectionMode.values()))
                .data("policies", List.of(new MerchantPages.Option("RISK_BASED", "按风险等级抽查"),
                        new MerchantPages.Option("KEY_UNIT_WEEKLY", "重点单位每周抽查")))
                .data("chosenCategories", TabularLists.split(filled.values.get("categories")))
                .data("chosenKeyUnitTypes", TabularLists.split(filled.values.get("keyUnitTypes")));
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
