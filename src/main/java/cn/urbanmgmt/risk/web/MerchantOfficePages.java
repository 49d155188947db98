package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.Merchant;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantColumns;
import cn.urbanmgmt.risk.registry.MerchantImportService;
import cn.urbanmgmt.risk.registry.MerchantInput;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Street;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 商户登记 for the office: register, edit and close a merchant, import a file with its per-line
 * error report, export. The same services and roles as /api/v1/merchants.
 */
@CsrfProtected
@Path("/console/office/merchants")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
public class MerchantOfficePages extends OfficeRegisterPages {

    /** Form field -> zh-CN label (the file's column headers). */
    static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.putAll(MerchantColumns.labels());
        LABELS.put("version", "版本");
    }

    private static final OfficeRegister REGISTER = new OfficeRegister("商户", "/console/office/merchants", "/api/v1/merchants",
            "/console/merchants", MerchantColumns.headers(), LABELS);

    @Override
    OfficeRegister register() {
        return REGISTER;
    }

    @Inject
    MerchantService merchants;

    @Inject
    MerchantImportService importer;

    @Inject
    ReferenceData refs;

    @Inject
    @Location("office/merchant-form.html")
    Template form;

    /** The fields of the merchant form. */
    public static class MerchantForm {
        @RestForm public String uscc;
        @RestForm public String name;
        @RestForm public String address;
        @RestForm public String street;
        @RestForm public String category;
        @RestForm public String keyUnit;
        @RestForm public String keyUnitType;
        @RestForm public String status;
        @RestForm public String openedOn;
        @RestForm public String contactName;
        @RestForm public String contactPhone;
        @RestForm public String longitude;
        @RestForm public String latitude;
        @RestForm public String version;

        Forms.Filled filled() {
            return new Forms.Filled().put("uscc", uscc).put("name", name).put("address", address).put("street", street)
                    .put("category", category).put("keyUnit", keyUnit).put("keyUnitType", keyUnitType).put("status", status)
                    .put("openedOn", openedOn).put("contactName", contactName).put("contactPhone", contactPhone)
                    .put("longitude", longitude).put("latitude", latitude).put("version", version);
        }
    }

    @GET
    @Path("/new")
    @Operation(hidden = true)
    public TemplateInstance newForm() {
        return render(new Forms.Filled().put("status", MerchantStatus.OPERATING.name()), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(@BeanParam MerchantForm f) {
        Forms.Filled filled = f.filled();
        MerchantInput input = input(filled);
        return submit(filled, x -> render(x, null),
                () -> "/console/merchants/" + merchants.create(input, console.actor()).id + "?notice=created");
    }

    @GET
    @Path("/{id}/edit")
    @Operation(hidden = true)
    public TemplateInstance editForm(@PathParam("id") long id) {
        Merchant m = merchants.get(id, console.actor());
        Forms.Filled filled = new Forms.Filled().put("uscc", m.uscc).put("name", m.name).put("address", m.address)
                .put("street", m.streetCode).put("category", m.category.name()).put("keyUnit", m.keyUnit ? "true" : "")
                .put("keyUnitType", m.keyUnitType == null ? "" : m.keyUnitType.name()).put("status", m.status.name())
                .put("openedOn", m.openedOn == null ? "" : m.openedOn.toString()).put("contactName", m.contactName)
                .put("contactPhone", m.contactPhone).put("longitude", m.longitude == null ? "" : m.longitude.toPlainString())
                .put("latitude", m.latitude == null ? "" : m.latitude.toPlainString()).put("version", String.valueOf(m.version));
        return render(filled, m);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response update(@PathParam("id") long id, @BeanParam MerchantForm f) {
        Merchant current = merchants.get(id, console.actor());
        Forms.Filled filled = f.filled();
        MerchantInput input = input(filled);
        return submit(filled, x -> render(x, current), () -> {
            merchants.update(id, input, console.actor());
            return "/console/merchants/" + id + "?notice=updated";
        });
    }

    @POST
    @Path("/{id}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response close(@PathParam("id") long id) {
        merchants.close(id, console.actor());
        return PageErrors.seeOther("/console/merchants/" + id + "?notice=closed");
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
    public Response importFile(@RestForm("file") org.jboss.resteasy.reactive.multipart.FileUpload file, @RestForm String mode,
                               @RestForm String dryRun) {
        return runImport(file, mode, dryRun, importer::importFile);
    }

    /** The form as a service input; what cannot even be parsed (a date, a number) is a field error already. */
    private static MerchantInput input(Forms.Filled f) {
        f.refuseControls();
        return new MerchantInput(f.text("uscc"), f.text("name"), f.text("address"), f.text("street"),
                f.option(MerchantCategory.class, "category"), f.checked("keyUnit"), f.option(KeyUnitType.class, "keyUnitType"),
                f.option(MerchantStatus.class, "status"), f.date("openedOn"), f.text("contactName"), f.text("contactPhone"),
                f.decimal("longitude"), f.decimal("latitude"), f.integer("version"));
    }

    private TemplateInstance render(Forms.Filled filled, Merchant current) {
        List<MerchantPages.Option> streets = new ArrayList<>();
        var scope = console.actor().scope();
        for (Street s : refs.streets()) if (scope.covers(s.code)) streets.add(new MerchantPages.Option(s.code, s.name));
        return console.page(form, "office").data("f", filled).data("m", current).data("streets", streets)
                .data("categories", MerchantPages.options(MerchantCategory.values()))
                .data("keyUnitTypes", MerchantPages.options(KeyUnitType.values()))
                .data("statuses", Arrays.stream(MerchantStatus.values()).filter(s -> s != MerchantStatus.CLOSED)
                        .map(s -> new MerchantPages.Option(s.name(), s.label())).toList());
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
