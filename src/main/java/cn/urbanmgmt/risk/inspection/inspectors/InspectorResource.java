package cn.urbanmgmt.risk.inspection.inspectors;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.inspection.Downloads;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inspection/inspectors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "执法检查人员名录库 (inspectors)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class InspectorResource {

    @Inject
    InspectorService inspectors;

    @Inject
    CurrentUser currentUser;

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "查询执法检查人员", description = "执法队账号只能看到本中队的人员。")
    @APIResponse(responseCode = "200", description = "一页人员")
    public PageResult<Inspector> search(@QueryParam("squad") @Parameter(description = "中队代码或名称") String squad,
                                        @QueryParam("active") Boolean active,
                                        @QueryParam("q") @Parameter(description = "姓名或执法证号中包含的文字") String text,
                                        @QueryParam("page") @DefaultValue("0") int page,
                                        @QueryParam("size") @DefaultValue("50") int size) {
        return inspectors.search(squad, active, text, page, size, currentUser.actor());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "读取一名执法检查人员")
    @APIResponse(responseCode = "200", description = "人员")
    @APIResponse(responseCode = "404", description = "不存在或不属于本中队", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Inspector get(@PathParam("id") long id) {
        return inspectors.get(id, currentUser.actor());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "登记执法检查人员")
    @APIResponse(responseCode = "201", description = "已登记")
    @APIResponse(responseCode = "400", description = "输入有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "执法证号已登记", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(InspectorInput input) {
        ProblemException.requireBody(input, "人员信息");
        Inspector i = inspectors.create(input, currentUser.actor());
        return Response.created(URI.create("/api/v1/inspection/inspectors/" + i.id)).entity(i).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "修改执法检查人员（含资格、回避和在岗状态）", description = "人员不删除：离岗请设置 active=false，已有计划的记录保持不变。")
    @APIResponse(responseCode = "200", description = "已修改")
    @APIResponse(responseCode = "400", description = "输入有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "版本冲突", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Inspector update(@PathParam("id") long id, InspectorInput input) {
        ProblemException.requireBody(input, "人员信息");
        return inspectors.update(id, input, currentUser.actor());
    }

    @GET
    @Path("/export")
    @Produces({TabularWriter.CSV_TYPE, TabularWriter.XLSX_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "导出执法检查人员名录（CSV 或 XLSX，中文表头）")
    @APIResponse(responseCode = "200", description = "文件")
    public Response export(@QueryParam("squad") String squad, @QueryParam("active") Boolean active,
                           @QueryParam("format") @DefaultValue("csv") @Parameter(description = "csv 或 xlsx") String format) {
        String f = Downloads.format(format);
        Actor actor = currentUser.actor();
        if (squad != null && !squad.isBlank() && inspectors.resolveSquad(squad) == null) {
            throw ProblemException.invalidField("squad", "中队“" + squad + "”不存在，可选：" + inspectors.allowedSquads());
        }
        return Downloads.file(out -> inspectors.export(squad, active, actor, f, out), "inspectors", f);
    }

    @POST
    @Path("/import")
    @Consumes({"text/csv", "application/octet-stream", TabularWriter.XLSX_TYPE, "application/vnd.ms-excel", MediaType.TEXT_PLAIN})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "批量导入执法检查人员（CSV/XLSX，按执法证号新增或更新）",
            description = "列表型单元格（检查资格事项、回避商户、回避人员）用“、”或逗号分隔。默认全部正确才导入；mode=PARTIAL 只导入正确的行。")
    @APIResponse(responseCode = "200", description = "导入结果")
    @APIResponse(responseCode = "400", description = "文件有误（逐行列出）；未导入任何数据", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImportReport importFile(InputStream body,
                                   @QueryParam("mode") @DefaultValue("ALL_OR_NOTHING") String mode,
                                   @QueryParam("encoding") String encoding,
                                   @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        return inspectors.importFile(TabularFile.readAll(body), encoding, ImportMode.parse(mode), dryRun, currentUser.actor());
    }
}
