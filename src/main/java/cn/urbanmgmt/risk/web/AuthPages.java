package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import cn.urbanmgmt.risk.common.TextRules;
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
    VisitPages visitPages;

    @Inject
    io.vertx.core.http.HttpServerRequest request;

    @Inject
    SessionTimeout timeout;

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
        // A squad starts with this week's visits (its officers' own ones when the account has a badge number).
        Viewer v = console.viewer();
        if (v != null && v.isSquad()) return PageErrors.seeOther("/console/visits?when=week" + (visitPages.hasBadge() ? "&mine=true" : ""));
        return PageErrors.seeOther("/console/merchants");
    }

    /**
     * Whether the browser's session is still valid (console.js asks before a form is posted, and when the
     * officer chooses to stay signed in, which renews the session). Outside /console and /api/v1: an
     * ended session gets neither the login redirect (and a remembered return address) nor a Basic challenge.
     */
    @GET
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response session() {
        boolean active = !identity.isAnonymous();
        return Response.ok("{\"active\":" + active + ",\"timeoutSeconds\":" + timeout.getSeconds() + "}")
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("login")
    @Operation(hidden = true)
    public Response login(@QueryParam("error") boolean error, @QueryParam("logout") boolean logout,
                                  @QueryParam("csrf") boolean csrf, @QueryParam("locked") String locked, @QueryParam("change") boolean change,
                                  @QueryParam("expired") boolean expired, @QueryParam("back") String back,
                                  @QueryParam("invalid") String invalid) {
        Integer minutes = locked != null && locked.matches("\\d{1,4}") ? Math.max(1, Integer.parseInt(locked)) : null;
        String page = login.data("error", error).data("logout", logout).data("csrf", csrf).data("locked", minutes).data("change", change)
                .data("expired", expired)
                .data("invalid", "username".equals(invalid) ? "用户名" : "password".equals(invalid) ? "密码" : null).render();
        Response.ResponseBuilder answer = Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        // The session ended on a console page (console.js): after login the form login sends the officer back there.
        if (back != null && back.startsWith("/console/") && !back.startsWith("//") && back.length() <= 2000 && TextRules.firstControl(back, false) < 0) {
            String origin = request.scheme() + "://" + request.getHeader("Host");
            answer.cookie(new NewCookie.Builder(ConsoleSessionEnd.LOCATION_COOKIE).value(origin + back).path("/").httpOnly(true)
                    .sameSite(NewCookie.SameSite.STRICT).secure(request.isSSL()).build());
        }
        return answer.build();
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
