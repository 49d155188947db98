package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.outcomes.OutcomeService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 成效看板: the outcome measures of GET /api/v1/outcomes on one page, with charts and the Excel export. */
@CsrfProtected
@Path("/console/outcomes")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
public class OutcomePages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    OutcomeService outcomes;

    @Inject
    ReferenceData refs;

    @Inject
    ObjectMapper json;

    @Inject
    @Location("outcomes.html")
    Template page;

    public record Option(String value, String label) {
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance dashboard(@RestQuery String from, @RestQuery String to, @RestQuery String street, @RestQuery String category,
                                      @RestQuery String gradeBasis,
                                      @RestQuery String target) throws JsonProcessingException {
        OutcomeService.Report r = outcomes.report(outcomes.query(from, to, street, category, gradeBasis, target));
        String query = "from=" + r.from() + "&to=" + r.to() + (r.street() == null ? "" : "&street=" + r.street())
                + (r.category() == null ? "" : "&category=" + r.category())
                + "&gradeBasis=" + r.gradeBasis() + (target == null || target.isBlank() ? "" : "&target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        return console.page(page, "outcomes")
                .data("r", r)
                .data("target", target == null ? "" : target)
                .data("streets", refs.streets().stream().map(s -> new Option(s.code, s.name)).toList())
                .data("categories", Arrays.stream(MerchantCategory.values()).map(c -> new Option(c.name(), c.label())).toList())
                .data("exportUrl", "/api/v1/outcomes/export?" + query)
                .data("chartJson", json.writeValueAsString(r).replace("<", "\\u003c"));
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
