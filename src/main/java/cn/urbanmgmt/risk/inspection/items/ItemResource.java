package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
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
import jakarta.ws.rs.DELETE;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inspection/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "抽查事项清单 (inspection items)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ItemResource {

    @Inject
    ItemService items;

    @Inject
    CurrentUser currentUser;

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "抽查事项清单", description = "按年度版本（edition）和是否启用（active）筛选。")
    @APIResponse(responseCode = "200", description = "事项列表")
    public List<InspectionItem> list(@QueryParam("edition") @Parameter(description = "年度版本，如 2021") Integer edition,
                                     @QueryParam("active") @Parameter(description = "只看启用（true）或停用（false）的事项") Boolean active) {
        return items.list(edition, active);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "读取一个抽查事项")
    @APIResponse(responseCode = "200", description = "事项")
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InspectionItem get(@PathParam("id") long id) {
        return items.get(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "新增抽查事项")
    @APIResponse(responseCode = "201", description = "已新增")
    @APIResponse(responseCode = "400", description = "输入有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "同一年度版本中事项代码已存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(ItemInput input) {
        ProblemException.requireBody(input, "抽查事项");
        InspectionItem i = items.create(input, currentUser.actor());
        return Response.created(URI.create("/api/v1/inspection/items/" + i.id)).entity(i).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "修改抽查事项", description = "已生成的抽查计划保存了当时的事项内容，修改不影响它们。")
    @APIResponse(responseCode = "200", description = "已修改")
    @APIResponse(responseCode = "400", description = "输入有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "版本冲突或代码重复", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InspectionItem update(@PathParam("id") long id, ItemInput input) {
        ProblemException.requireBody(input, "抽查事项");
        return items.update(id, input, currentUser.actor());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "删除未被任何计划使用的抽查事项", description = "已被计划使用的事项不能删除，只能停用。")
    @APIResponse(responseCode = "204", description = "已删除")
    @APIResponse(responseCode = "409", description = "已被计划使用", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public void delete(@PathParam("id") long id) {
        items.delete(id);
    }

    @GET
    @Path("/export")
    @Produces({TabularWriter.CSV_TYPE, TabularWriter.XLSX_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "导出抽查事项清单（CSV 或 XLSX，中文表头）")
    @APIResponse(responseCode = "200", description = "文件")
    public Response export(@QueryParam("edition") Integer edition,
                           @QueryParam("format") @DefaultValue("csv") @Parameter(description = "csv 或 xlsx") String format) {
        String f = Downloads.format(format);
        return Downloads.file(out -> items.export(edition, f, out), "inspection-items" + (edition == null ? "" : "-" + edition), f);
    }

    @POST
    @Path("/import")
    @Consumes({"text/csv", "application/octet-stream", TabularWriter.XLSX_TYPE, "application/vnd.ms-excel", MediaType.TEXT_PLAIN})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "批量导入抽查事项（CSV/XLSX，按年度版本和事项代码新增或更新）",
            description = "表头可用中文（与导出相同）或字段名。列表型单元格用“、”或逗号分隔。默认全部正确才导入；mode=PARTIAL 只导入正确的行。")
    @APIResponse(responseCode = "200", description = "导入结果")
    @APIResponse(responseCode = "400", description = "文件有误（逐行列出）；未导入任何数据", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImportReport importFile(InputStream body,
                                   @QueryParam("mode") @DefaultValue("ALL_OR_NOTHING") String mode,
                                   @QueryParam("encoding") String encoding,
                                   @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        return items.importFile(TabularFile.readAll(body), encoding, ImportMode.parse(mode), dryRun, currentUser.actor());
    }
}
