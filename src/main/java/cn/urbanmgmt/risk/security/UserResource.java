package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Accounts per officer (ADMIN), and an officer's own account. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "账号与角色 (users)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class UserResource {

    @Inject
    UserService users;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/users")
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "全部账号")
    public List<UserView> list() {
        return users.list();
    }

    @GET
    @Path("/users/{id}")
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "一个账号")
    public UserView get(@PathParam("id") long id) {
        return users.get(id);
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "新建账号（每位执法人员一个）", description = "不给 password 时生成临时密码并在应答中返回一次；首次使用须修改密码。")
    @APIResponse(responseCode = "201", description = "已创建")
    public Response create(UserInput input) {
        requireBody(input);
        UserService.Created c = users.create(input, currentUser.actor());
        return Response.created(URI.create("/api/v1/users/" + c.user().id())).entity(c).build();
    }

    @PUT
    @Path("/users/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "修改姓名、执法证号、角色、中队")
    public UserView update(@PathParam("id") long id, UserInput input) {
        requireBody(input);
        return users.update(id, input, currentUser.actor());
    }

    @POST
    @Path("/users/{id}/disable")
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "停用账号（立即生效，会话随之失效）")
    public UserView disable(@PathParam("id") long id) {
        return users.setEnabled(id, false, currentUser.actor());
    }

    @POST
    @Path("/users/{id}/enable")
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "重新启用账号")
    public UserView enable(@PathParam("id") long id) {
        return users.setEnabled(id, true, currentUser.actor());
    }

    @POST
    @Path("/users/{id}/reset-password")
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "重置密码", description = "返回一次性的临时密码；该账号下次使用前须修改密码；同时解除登录锁定。")
    public UserService.Created resetPassword(@PathParam("id") long id) {
        return users.resetPassword(id, currentUser.actor());
    }

    @GET
    @Path("/users/{id}/audit")
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "账号的变更记录")
    public List<UserService.AuditEntry> audit(@PathParam("id") long id) {
        return users.audit(id);
    }

    @POST
    @Path("/users/import")
    @Consumes({"text/csv", "application/octet-stream", TabularWriter.XLSX_TYPE, MediaType.TEXT_PLAIN})
    @RolesAllowed(Role.ADMIN_)
    @Operation(summary = "导入账号名单（CSV 或 XLSX：用户名、姓名、执法证号、角色、中队）",
            description = "全部正确才创建；每个新账号的临时密码只在本应答中返回一次。")
    public List<UserService.Created> importUsers(InputStream body, @QueryParam("encoding") String encoding) {
        return users.importUsers(TabularFile.readAll(body), encoding, currentUser.actor());
    }

    @GET
    @Path("/account")
    @Authenticated
    @Operation(summary = "当前登录的账号")
    public UserView me() {
        return users.byUsername(currentUser.username());
    }

    @POST
    @Path("/account/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(summary = "修改自己的密码", description = "密码至少 10 位，须同时包含字母和数字，不能包含用户名。管理员重置密码后只能先调用本接口。")
    @APIResponse(responseCode = "204", description = "已修改")
    public Response changePassword(PasswordChangeInput input) {
        users.changeOwnPassword(currentUser.username(), input);
        return Response.noContent().build();
    }

    private static void requireBody(UserInput input) {
        cn.urbanmgmt.risk.common.ProblemException.requireBody(input, "账号信息");
    }
}
