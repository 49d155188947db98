package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.publication.PublicNotice;
import cn.urbanmgmt.risk.publication.PublicResult;
import cn.urbanmgmt.risk.publication.PublicationService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 公示: open to everyone, no login. The published plan notices (items, scope, counts; the seed and the
 * drawn list only once the period has ended) and the published results, paged, from the same service
 * as /api/v1/public: nothing unpublished, no inspector data beyond name and badge number.
 */
// Reachable without a role (deny-unannotated-endpoints is on): the pages decide what to show.
@jakarta.annotation.security.PermitAll
@Path("/public")
@Produces(MediaType.TEXT_HTML)
public class PublicPages {

    static final int NOTICES_PER_PAGE = 10;
    static final int RESULTS_PER_PAGE = 20;

    @Inject
    PageErrors errors;

    @Inject
    @Location("public.html")
    Template noticesPage;

    @Inject
    @Location("public-plan.html")
    Template noticePage;

    @Inject
    @Location("public-results.html")
    Template resultsPage;

    @Inject
    PublicationService publication;

    @GET
    @Operation(hidden = true)
    public TemplateInstance index(@QueryParam("page") @DefaultValue("0") int page) {
        PageResult<PublicNotice> notices = publication.notices(page, NOTICES_PER_PAGE);
        return noticesPage.data("notices", notices).data("pager", Pager.of("/public", Map.of(), notices)).data("tab", "plans");
    }

    @GET
    @Path("/plans/{id}")
    @Operation(hidden = true)
    public TemplateInstance notice(@PathParam("id") long id) {
        PublicNotice n = publication.notice(id);
        PageResult<PublicResult> results = publication.results(null, null, id, 0, RESULTS_PER_PAGE);
        return noticePage.data("n", n).data("results", results).data("tab", "plans");
    }

    @GET
    @Path("/results")
    @Operation(hidden = true)
    public TemplateInstance results(@QueryParam("q") String text, @QueryParam("uscc") String uscc, @QueryParam("planId") String planId,
                                    @QueryParam("page") @DefaultValue("0") int page) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("q", text);
        filters.put("uscc", uscc);
        filters.put("planId", planId);
        PageResult<PublicResult> found = null;
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
            found = publication.results(text, uscc, plan, page, RESULTS_PER_PAGE);
        } catch (ProblemException e) {
            error = e.problem().detail();
        }
        return resultsPage.data("results", found).data("pager", found == null ? null : Pager.of("/public/results", filters, found))
                .data("filters", filters).data("error", error).data("tab", "results");
    }

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        return errors.problem(e);
    }
}
