package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.visits.VisitPrints;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 打印: a squad's visit list for a day and a visit's inspection record, as PDF (logged-in, the visit pages' roles). */
@Path("/console/print")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
public class PrintPages {

    static final String PDF = "application/pdf";

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    VisitPrints prints;

    @GET
    @Path("/visits.pdf")
    @Produces(PDF)
    @Operation(hidden = true)
    public Response dayList(@QueryParam("squad") String squad, @QueryParam("date") String date) {
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? LocalDate.now(EventService.ZONE) : LocalDate.parse(date.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("date", "日期“" + date + "”格式不正确，应为 yyyy-MM-dd");
        }
        byte[] pdf = prints.dayList(squad, day, console.actor());
        return file(pdf, "visits-" + day + ".pdf");
    }

    @GET
    @Path("/visits/{id}/record.pdf")
    @Produces(PDF)
    @Operation(hidden = true)
    public Response record(@PathParam("id") long id) {
        return file(prints.record(id, console.actor()), "visit-" + id + "-record.pdf");
    }

    private static Response file(byte[] pdf, String name) {
        // inline: the browser opens its PDF viewer, from which the page is printed.
        return Response.ok(pdf, PDF).header("Content-Disposition", "inline; filename=\"" + name + "\"").build();
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
