package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.RegradeJob;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.security.Role;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 后台任务: recent jobs, one job's progress bar (polling GET /api/v1/jobs/{id}), and starting a full regrade. */
@CsrfProtected
@Path("/console/jobs")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
public class JobPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("jobs.html")
    Template list;

    @Inject
    @Location("job.html")
    Template detail;

    @Inject
    JobService jobs;

    @Inject
    RegradeJob regrade;

    @GET
    @Operation(hidden = true)
    public TemplateInstance recent() {
        return console.page(list, "jobs").data("jobs", jobs.recent(null, 20));
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public TemplateInstance job(@PathParam("id") long id) {
        return console.page(detail, "jobs").data("job", jobs.progress(id));
    }

    /** 重新评级: the same job as POST /api/v1/grading/regrade, evaluated as of today. */
    @POST
    @Path("/regrade")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_})
    @Operation(hidden = true)
    public Response startRegrade() {
        String user = console.actor().username();
        Job job = regrade.start(user, LocalDate.now(EventService.ZONE), "全量重新评级（" + user + " 在管理台发起）", null);
        return PageErrors.seeOther("/console/jobs/" + job.id);
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
