package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Log in (the form posts to Quarkus' j_security_check), log out, and the entry redirects. */
@CsrfProtected
// Reachable without a role (deny-unannotated-endpoints is on): the pages decide what to show.
@jakarta.annotation.security.PermitAll
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class AuthPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("login.html")
    Template login;

    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(hidden = true)
    public Response root() {
        return PageErrors.seeOther("/console");
    }

    @GET
    @Path("console")
    @Operation(hidden = true)
    public Response home() {
        return PageErrors.seeOther("/console/merchants");
    }

    @GET
    @Path("login")
    @Operation(hidden = true)
    public TemplateInstance login(@QueryParam("error") boolean error, @QueryParam("logout") boolean logout,
                                  @QueryParam("csrf") boolean csrf, @QueryParam("locked") String locked, @QueryParam("change") boolean change,
                                  @QueryParam("invalid") String invalid) {
        Integer minutes = locked != null && locked.matches("\\d{1,4}") ? Math.max(1, Integer.parseInt(locked)) : null;
        return login.data("error", error).data("logout", logout).data("csrf", csrf).data("locked", minutes).data("change", change)
                .data("invalid", "username".equals(invalid) ? "用户名" : "password".equals(invalid) ? "密码" : null);
    }

    /** A form post (with the CSRF token), so another site cannot log the user out. */
    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response logout() {
        if (!identity.isAnonymous()) {
            FormAuthenticationMechanism.logout(identity);
        }
        return PageErrors.seeOther("/login?logout=true");
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
