package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.grading.GradeHistoryRow;
import cn.urbanmgmt.risk.grading.GradeQueryService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.registry.Merchant;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantQuery;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.registry.MerchantView;
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
import jakarta.ws.rs.GET;
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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 商户查询: the registry search (same filters as GET /api/v1/merchants) and one merchant's grade. */
@CsrfProtected
@Path("/console/merchants")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
public class MerchantPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("merchants.html")
    Template list;

    @Inject
    @Location("merchant.html")
    Template detail;

    @Inject
    MerchantService merchants;

    @Inject
    GradeQueryService grades;

    @Inject
    EventService events;

    @Inject
    ReferenceData refs;

    public record Option(String code, String name) {
    }

    public record EventRow(MerchantEvent event, String summary) {
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance search(@BeanParam MerchantQuery query) {
        Actor actor = console.actor();
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("q", query.text);
        filters.put("uscc", query.uscc);
        filters.put("street", query.street);
        filters.put("category", query.category);
        filters.put("grade", query.grade);
        filters.put("status", query.status);
        if (query.size != 20) filters.put("size", String.valueOf(query.size));
        PageResult<MerchantView> page = null;
        String error = null;
        try {
            PageResult<Merchant> found = merchants.search(query, actor);
            var badges = merchants.gradeBadges(found.items().stream().map(m -> m.id).toList());
            page = found.map(m -> MerchantView.of(m, refs, badges.get(m.id)));
        } catch (ProblemException e) {
            error = e.problem().detail();
        }
        List<Option> streets = new ArrayList<>();
        for (Street s : refs.streets()) {
            if (actor.scope().covers(s.code)) streets.add(new Option(s.code, s.name));
        }
        return console.page(list, "merchants")
                .data("filters", filters)
                .data("results", page)
                .data("pager", page == null ? null : Pager.of("/console/merchants", filters, page))
                // GET /api/v1/merchants/export takes the same filters; the session cookie works there too.
                .data("exportQuery", Pager.query(filters))
                .data("error", error)
                .data("streets", streets)
                .data("categories", options(MerchantCategory.values()))
                .data("statuses", options(MerchantStatus.values()))
                .data("grades", Arrays.stream(Grade.values()).map(g -> new Option(g.name(), GradeQueryService.gradeName(g))).toList());
    }

    @Inject
    cn.urbanmgmt.risk.inspection.visits.VisitPhotos photos;

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance merchant(@PathParam("id") long id, @jakarta.ws.rs.QueryParam("notice") String notice) {
        Actor actor = console.actor();
        Merchant m = merchants.get(id, actor);
        MerchantView view = MerchantView.of(m, refs, merchants.gradeBadges(List.of(m.id)).get(m.id));
        GradeQueryService.Explanation explanation = null;
        if (view.grade() != null) {
            explanation = grades.explain(id, actor);
        }
        List<GradeHistoryRow> history = new ArrayList<>(grades.history(id, actor));
        java.util.Collections.reverse(history); // newest first on the timeline
        List<EventRow> eventRows = events.listForMerchant(id).stream().map(e -> new EventRow(e, GradeQueryService.summary(e))).toList();
        return console.page(detail, "merchants")
                .data("m", view)
                .data("explanation", explanation)
                .data("history", history)
                .data("events", eventRows)
                // After a form of 办公 (see MerchantOfficePages): what was just done.
                .data("notice", notice == null ? null : switch (notice) {
                    case "created" -> "商户已登记。";
                    case "updated" -> "修改已保存。";
                    case "closed" -> "商户已关闭（记录全部保留）。";
                    case "held" -> "已提交审批：这条记录会降低商户等级或撤下已公示的不利结果，须由另一名有权审批的人员批准后才生效（见下方“待审批”和审批页面）。";
                    default -> null;
                })
                .data("photos", photos.ofMerchant(id));
    }

    static List<Option> options(Labelled[] values) {
        return Arrays.stream(values).map(v -> new Option(v.name(), v.label())).toList();
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
