package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.intake.EventIntake;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.EventSources;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.registry.Merchant;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.events.EventPermissions;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 登记事件 for the office: a complaint, a case, a non-site detection or a credit record, and the
 * correction of one; the same intake as POST /api/v1/events (EventPermissions decides who may post
 * and correct what; a refusal is shown on the form in zh-CN).
 */
@CsrfProtected
@Path("/console/office/events")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_, Role.CREDIT_})
public class EventOfficePages {

    /** The types the office enters by hand (inspection results come from the visit's result form). */
    static final List<EventType> TYPES = List.of(EventType.COMPLAINT, EventType.CASE, EventType.DETECTION, EventType.CREDIT);

    static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.putAll(cn.urbanmgmt.risk.events.EventFields.LABELS);
        LABELS.put("（CREDIT）", "");
    }

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    EventIntake intake;

    @Inject
    MerchantService merchants;

    @Inject
    SecurityIdentity identity;

    @Inject
    @Location("office/event-form.html")
    Template form;

    @Inject
    @Location("office/event-result.html")
    Template result;

    public static class EventForm {
        @RestForm public String type;
        @RestForm public String uscc;
        @RestForm public String source;
        @RestForm public String sourceId;
        @RestForm public String occurredAt;
        @RestForm public String supersedesId;
        @RestForm public String caseNo;
        @RestForm public String violationType;
        @RestForm public String severity;
        @RestForm public String fineYuan;
        @RestForm public String fromComplaint;
        @RestForm public String closedOn;
        @RestForm public String channel;
        @RestForm public String complaintCategory;
        @RestForm public String verified;
        @RestForm public String linkedCaseNo;
        @RestForm public String creditAction;
        @RestForm public String detectionSource;
        @RestForm public String detectionType;
        @RestForm public String evidenceRef;
        @RestForm public String note;

        Forms.Filled filled() {
            return new Forms.Filled().put("type", type).put("uscc", uscc).put("source", source).put("sourceId", sourceId)
                    .put("occurredAt", occurredAt).put("supersedesId", supersedesId).put("caseNo", caseNo)
                    .put("violationType", violationType).put("severity", severity).put("fineYuan", fineYuan)
                    .put("fromComplaint", fromComplaint).put("closedOn", closedOn).put("channel", channel)
                    .put("complaintCategory", complaintCategory).put("verified", verified).put("linkedCaseNo", linkedCaseNo)
                    .put("creditAction", creditAction).put("detectionSource", detectionSource).put("detectionType", detectionType)
                    .put("evidenceRef", evidenceRef).put("note", note);
        }
    }

    @GET
    @Path("/new")
    @Operation(hidden = true)
    public TemplateInstance newForm(@QueryParam("merchant") Long merchantId, @QueryParam("type") String type) {
        Forms.Filled f = new Forms.Filled().put("type", type == null ? allowedTypes().get(0).name() : type)
                .put("source", EventSources.CONSOLE).put("occurredAt", LocalDate.now(EventService.ZONE).toString());
        Merchant m = null;
        if (merchantId != null) {
            m = merchants.get(merchantId, console.actor());
            f.put("uscc", m.uscc);
        }
        return render(f, m, null);
    }

    @GET
    @Path("/{id}/correct")
    @Operation(hidden = true)
    public TemplateInstance correctForm(@PathParam("id") long id) {
        MerchantEvent e = event(id);
        Merchant m = merchants.get(e.merchantId, console.actor());
        Forms.Filled f = new Forms.Filled().put("type", e.type.name()).put("uscc", m.uscc).put("source", EventSources.CONSOLE)
                .put("occurredAt", e.occurredAt.atZoneSameInstant(EventService.ZONE).toLocalDate().toString())
                .put("supersedesId", String.valueOf(e.id)).put("caseNo", e.caseNo).put("violationType", name(e.violationType))
                .put("severity", name(e.severity)).put("fineYuan", e.fineYuan == null ? "" : e.fineYuan.toPlainString())
                .put("fromComplaint", Boolean.TRUE.equals(e.fromComplaint) ? "true" : "")
                .put("closedOn", e.closedOn == null ? "" : e.closedOn.toString()).put("channel", name(e.channel))
                .put("complaintCategory", e.complaintCategory).put("verified", e.verified == null ? "" : e.verified.toString())
                .put("linkedCaseNo", e.linkedCaseNo).put("creditAction", name(e.creditAction))
                .put("detectionSource", name(e.detectionSource)).put("detectionType", e.detectionType)
                .put("evidenceRef", e.evidenceRef).put("note", e.note);
        return render(f, m, e);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@BeanParam EventForm form) {
        Forms.Filled f = form.filled();
        f.refuseControls("note");
        EventType type = f.option(EventType.class, "type");
        Long supersedes = f.id("supersedesId");
        MerchantEvent old = supersedes == null ? null : event(supersedes);
        boolean text = type == EventType.COMPLAINT;
        EventInput input = new EventInput(type, f.text("source") == null ? EventSources.CONSOLE : f.text("source"),
                f.text("sourceId") == null ? "WEB-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase() : f.text("sourceId"),
                f.text("occurredAt"), null, f.text("uscc"), supersedes, null,
                type == EventType.CASE ? f.text("caseNo") : null, type == EventType.CASE ? f.option(ViolationType.class, "violationType") : null,
                type == EventType.CASE ? f.option(Severity.class, "severity") : null, type == EventType.CASE ? f.decimal("fineYuan") : null,
                type == EventType.CASE ? (f.checked("fromComplaint") ? Boolean.TRUE : null) : null,
                type == EventType.CASE ? f.date("closedOn") : null,
                text ? f.option(ComplaintChannel.class, "channel") : null, text ? f.text("complaintCategory") : null,
                text && f.text("verified") != null ? Boolean.valueOf(f.text("verified")) : null, text ? f.text("linkedCaseNo") : null,
                null, null, null, null, null,
                type == EventType.CREDIT ? f.option(CreditAction.class, "creditAction") : null,
                type == EventType.DETECTION ? f.option(DetectionSource.class, "detectionSource") : null,
                type == EventType.DETECTION ? f.text("detectionType") : null, type == EventType.DETECTION ? f.text("evidenceRef") : null,
                f.text("note"));
        if (f.hasErrors()) return PageErrors.html(400, render(f, null, old));
        try {
            EventIntake.Accepted accepted = intake.submit(input, console.actor());
            if (accepted.pending() != null) {
                // Four eyes: held until a second officer approves it; the merchant page lists it as 待审批.
                return Response.seeOther(java.net.URI.create("/console/merchants/" + accepted.pending().merchantId + "?notice=held")).build();
            }
            Merchant m = merchants.get(accepted.event().merchantId, console.actor());
            return PageErrors.html(accepted.duplicate() ? 200 : 201,
                    console.page(result, "office").data("a", accepted).data("m", m).data("old", old)
                            .data("summary", cn.urbanmgmt.risk.grading.GradeQueryService.summary(accepted.event()))
                            .data("canSeeMerchant", !identity.hasRole(Role.CREDIT_) || identity.getRoles().size() > 1));
        } catch (ProblemException e) {
            f.refused(e, LABELS);
            if (e.problem().status() == 403) {
                f.title = old != null ? "更正被拒绝" : "无权登记";
            } else if (old != null && f.title != null) {
                f.title = "更正未能登记：" + f.title;
            }
            return PageErrors.html(e.problem().status(), render(f, null, old));
        }
    }

    private MerchantEvent event(long id) {
        MerchantEvent e = MerchantEvent.findById(id);
        if (e == null) throw ProblemException.notFound("事件 " + id + " 不存在");
        merchants.get(e.merchantId, console.actor());
        return e;
    }

    private List<EventType> allowedTypes() {
        return TYPES.stream().filter(t -> EventPermissions.mayPost(identity.getRoles(), t)).toList();
    }

    private TemplateInstance render(Forms.Filled f, Merchant m, MerchantEvent old) {
        List<MerchantPages.Option> types = (old != null ? List.of(old.type) : allowedTypes()).stream()
                .map(t -> new MerchantPages.Option(t.name(), t.label())).toList();
        List<MerchantPages.Option> sources = EventSources.choices().entrySet().stream()
                .filter(e -> List.of(EventSources.CONSOLE, "case-system", "12345", "camera", "credit").contains(e.getKey()))
                .map(e -> new MerchantPages.Option(e.getKey(), e.getValue())).toList();
        return console.page(form, "office").data("f", f).data("m", m).data("old", old).data("types", types).data("sources", sources)
                .data("violationTypes", MerchantPages.options(ViolationType.values()))
                .data("severities", MerchantPages.options(Severity.values()))
                .data("channels", MerchantPages.options(ComplaintChannel.values()))
                .data("creditActions", MerchantPages.options(CreditAction.values()))
                .data("detectionSources", MerchantPages.options(DetectionSource.values()))
                .data("verifiedOptions", List.of(new MerchantPages.Option("", "待核实"), new MerchantPages.Option("true", "属实"),
                        new MerchantPages.Option("false", "不属实")))
                .data("type", f.values.get("type"));
    }

    private static String name(Enum<?> e) {
        return e == null ? "" : e.name();
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
