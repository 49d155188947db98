package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.security.Role;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 办公: the office's daily work without the API — where each register, import, export and printout is. */
@CsrfProtected
@Path("/console/office")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_, Role.CREDIT_})
public class OfficePages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    cn.urbanmgmt.risk.registry.ReferenceData refs;

    @Inject
    @Location("office/index.html")
    Template index;

    @GET
    @Operation(hidden = true)
    public TemplateInstance index() {
        return console.page(index, "office").data("today", java.time.LocalDate.now(cn.urbanmgmt.risk.events.EventService.ZONE))
                .data("squads", refs.squads());
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
