package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.security.Role;
import cn.urbanmgmt.risk.security.UserInput;
import cn.urbanmgmt.risk.security.UserService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 账号管理 (ADMIN): the accounts, a new officer account, disable/enable, password reset; the same service as /api/v1/users. */
@CsrfProtected
@Path("/console/users")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_)
public class UserPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    UserService users;

    @Inject
    ReferenceData refs;

    @Inject
    @Location("users.html")
    Template page;

    @GET
    @Operation(hidden = true)
    public TemplateInstance list() {
        return render(null, null);
    }

    private TemplateInstance render(String notice, String temporary) {
        return console.page(page, "users").data("users", users.list()).data("roles", Arrays.asList(Role.values()))
                .data("squads", refs.squads())
                .data("squadNames", refs.squads().stream().collect(java.util.stream.Collectors.toMap(s -> s.code, s -> s.name))).data("notice", notice).data("temporary", temporary);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public TemplateInstance create(@FormParam("username") String username, @FormParam("displayName") String displayName,
                                   @FormParam("badgeNo") String badgeNo, @FormParam("roles") List<String> roles,
                                   @FormParam("squad") String squad) {
        UserService.Created c = users.create(new UserInput(username, displayName, badgeNo, roles,
                squad == null || squad.isBlank() ? null : squad, null), console.actor());
        return render("已创建账号 " + c.user().username() + "，临时密码只显示这一次，请当面交给本人；首次登录须修改密码。", c.temporaryPassword());
    }

    @POST
    @Path("/{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public TemplateInstance disable(@PathParam("id") long id) {
        return render("已停用账号 " + users.setEnabled(id, false, console.actor()).username(), null);
    }

    @POST
    @Path("/{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public TemplateInstance enable(@PathParam("id") long id) {
        return render("已启用账号 " + users.setEnabled(id, true, console.actor()).username(), null);
    }

    @POST
    @Path("/{id}/reset-password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public TemplateInstance reset(@PathParam("id") long id) {
        UserService.Created c = users.resetPassword(id, console.actor());
        return render("已重置账号 " + c.user().username() + " 的密码，临时密码只显示这一次；该账号须先修改密码。", c.temporaryPassword());
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
