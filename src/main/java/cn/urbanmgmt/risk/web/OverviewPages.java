package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.GradeQueryService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 风险分布: the grade distribution by street and by category and its trend, from the same queries as
 * GET /api/v1/grades/distribution and /trend (aggregated in SQL, so it costs the same at any size).
 */
@CsrfProtected
@Path("/console/overview")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
public class OverviewPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("overview.html")
    Template overview;

    @Inject
    GradeQueryService grades;

    @Inject
    ObjectMapper json;

    /** One row of a distribution table. */
    public record Row(String key, String name, long total, long green, long yellow, long red,
                      double greenShare, double yellowShare, double redShare) {
        static Row of(String key, String name, GradeQueryService.GradeCounts c) {
            return new Row(key, name, c.total(), c.counts().get(Grade.GREEN), c.counts().get(Grade.YELLOW), c.counts().get(Grade.RED),
                    c.shares().get(Grade.GREEN), c.shares().get(Grade.YELLOW), c.shares().get(Grade.RED));
        }
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance overview() throws JsonProcessingException {
        Actor actor = console.actor();
        GradeQueryService.Distribution byStreet = grades.distribution("street", null, null, actor);
        GradeQueryService.Distribution byCategory = grades.distribution("category", null, null, actor);
        LocalDate today = LocalDate.now(EventService.ZONE);
        List<GradeQueryService.TrendPoint> trend = grades.trend(today.minusYears(1), today, actor);
        Map<String, Object> chartData = new LinkedHashMap<>();
        chartData.put("street", byStreet);
        chartData.put("category", byCategory);
        chartData.put("trend", trend);
        return console.page(overview, "overview")
                .data("overall", Row.of("all", "全部", byStreet.overall()))
                .data("streetRows", byStreet.groups().stream().map(g -> Row.of(g.key(), g.name(), g.grades())).toList())
                .data("categoryRows", byCategory.groups().stream().map(g -> Row.of(g.key(), g.name(), g.grades())).toList())
                .data("trendDays", trend.size())
                // Inside a <script> element: escape '<' so no data can close it.
                .data("chartJson", json.writeValueAsString(chartData).replace("<", "\\u003c"));
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
