package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.outcomes.BacktestJob;
import cn.urbanmgmt.risk.outcomes.BacktestService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.rules.RuleSetRejectedException;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 规则回测: the form that starts a backtest ({@link BacktestService}, as POST /api/v1/backtests) and
 * the page of one backtest: progress, then the figures of both versions side by side.
 */
@CsrfProtected
@Path("/console/backtests")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
public class BacktestPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    BacktestService backtests;

    @Inject
    JobService jobs;

    @Inject
    ReferenceData refs;

    @Inject
    ObjectMapper json;

    @Inject
    @Location("backtests.html")
    Template listPage;

    @Inject
    @Location("backtest.html")
    Template resultPage;

    public record Option(String value, String label) {
    }

    /** The form's values, shown again with the message when the request is refused. */
    public record Form(String version, String compareWith, String asOf, String horizonDays, String street, String category) {
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance list(@RestQuery String version, @RestQuery String compareWith) {
        LocalDate lastYear = LocalDate.now(EventService.ZONE).minusYears(1);
        return form(new Form(version == null ? "ACTIVE" : version, compareWith == null ? "" : compareWith, lastYear.toString(), "365", "", ""), null);
    }

    private TemplateInstance form(Form form, String error) {
        return console.page(listPage, "rules")
                .data("form", form)
                .data("error", error)
                .data("canStart", console.viewer() != null && !Role.PLANNER_.equals(console.viewer().role()))
                .data("streets", refs.streets().stream().map(s -> new Option(s.code, s.name)).toList())
                .data("categories", Arrays.stream(MerchantCategory.values()).map(c -> new Option(c.name(), c.label())).toList())
                .data("recent", jobs.recent(BacktestJob.TYPE, 20));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Role.RULE_AUTHOR_, Role.ADMIN_})
    @Operation(hidden = true)
    public Response start(@RestForm String version, @RestForm String compareWith, @RestForm String asOf, @RestForm String horizonDays,
                          @RestForm String street, @RestForm String category) {
        Form form = new Form(version, compareWith, asOf, horizonDays, street, category);
        try {
            Integer horizon = null;
            if (horizonDays != null && !horizonDays.isBlank()) {
                try {
                    horizon = Integer.valueOf(horizonDays.trim());
                } catch (NumberFormatException e) {
                    throw ProblemException.invalidField("horizonDays", "观察期“" + horizonDays + "”不是整数天数");
                }
            }
            JobService.Progress job = backtests.start(new BacktestService.BacktestRequest(version, compareWith, asOf, horizon, street, category),
                    console.actor().username());
            return PageErrors.seeOther("/console/backtests/" + job.id());
        } catch (ProblemException e) {
            return Response.status(e.problem().status()).entity(form(form, message(e.problem()))).type(MediaType.TEXT_HTML).build();
        } catch (RuleSetRejectedException e) {
            return Response.status(422).entity(form(form, e.getMessage())).type(MediaType.TEXT_HTML).build();
        }
    }

    private static String message(Problem p) {
        if (p.errors() == null || p.errors().isEmpty()) return p.detail();
        return p.errors().stream().map(Problem.FieldError::message).reduce((a, b) -> a + "；" + b).orElse(p.detail());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Days(Integer problemVisits, Double mean, Double standardError) {
        public String text() {
            if (mean == null) return "—";
            return String.format("%.1f 天", mean) + (standardError == null ? "" : String.format("（标准误 %.1f）", standardError));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GradeRow(Grade grade, long merchants, long visits, long problemVisits, Double hitRate, Double shareOfProblems, Double lift) {
        public String hit() {
            return pct(hitRate);
        }

        public String share() {
            return pct(shareOfProblems);
        }

        public String liftText() {
            return lift == null ? "—" : String.format("%.2f", lift);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VersionResult(String version, long merchants, long faults, long visits, long problemVisits, Double hitRate,
                                List<GradeRow> byGrade, Double aucScore, Double aucGradeThenScore, Days daysSooner, Days daysSoonerGradeOnly) {
        public String hit() {
            return pct(hitRate);
        }

        public String auc() {
            return aucScore == null ? "—" : String.format("%.3f", aucScore);
        }

        public String aucRisk() {
            return aucGradeThenScore == null ? "—" : String.format("%.3f", aucGradeThenScore);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(String asOf, int horizonDays, String horizonEnd, long visitsOfUngradedMerchants, List<VersionResult> versions) {
    }

    static String pct(Double share) {
        return share == null ? "—" : String.format("%.1f%%", share * 100);
    }

    @GET
    @Path("/{job}")
    @Operation(hidden = true)
    public TemplateInstance result(@RestPath long job) {
        Job j = Job.findById(job);
        if (j == null || !j.type.equals(BacktestJob.TYPE)) throw ProblemException.notFound("回测任务 " + job + " 不存在");
        JobService.Progress p = jobs.progress(j);
        Result result = p.status() == Job.Status.DONE && p.result() != null ? json.convertValue(p.result(), Result.class) : null;
        Map<String, Object> params = p.params();
        String street = (String) params.get("street");
        String category = (String) params.get("category");
        MerchantCategory c = category == null ? null : Labelled.parse(MerchantCategory.class, category);
        return console.page(resultPage, "rules")
                .data("job", p)
                .data("versions", params.get("versions"))
                .data("asOf", params.get("asOf"))
                .data("horizonDays", params.get("horizonDays"))
                .data("streetName", street == null ? null : refs.streetName(street))
                .data("categoryName", c == null ? null : c.label())
                .data("result", result);
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
