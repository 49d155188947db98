package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/merchants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "商户名录 (merchant registry)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MerchantResource {


    @Inject
    MerchantService merchants;

    @Inject
    MerchantImportService importer;

    @Inject
    MerchantExportService exporter;

    @Inject
    ReferenceData refs;

    @Inject
    GradeFilter grades;

    @Inject
    CurrentUser currentUser;


    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "查询商户（分页、筛选）", description = "执法队账号只能看到本中队辖区的商户。")
    @APIResponse(responseCode = "200", description = "一页商户")
    @APIResponse(responseCode = "400", description = "筛选条件有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageResult<MerchantView> search(@BeanParam MerchantQuery query) {
        var page = merchants.search(query, currentUser.actor());
        var badges = merchants.gradeBadges(page.items().stream().map(m -> m.id).toList());
        return page.map(m -> MerchantView.of(m, refs, badges.get(m.id)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "按编号读取商户")
    @APIResponse(responseCode = "200", description = "商户")
    @APIResponse(responseCode = "404", description = "不存在或不在辖区内", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MerchantView get(@PathParam("id") long id) {
        Merchant m = merchants.get(id, currentUser.actor());
        return MerchantView.of(m, refs, merchants.gradeBadges(List.of(m.id)).get(m.id));
    }

    @GET
    @Path("/by-uscc/{uscc}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "按统一社会信用代码读取商户")
    @APIResponse(responseCode = "200", description = "商户")
    @APIResponse(responseCode = "404", description = "不存在或不在辖区内", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MerchantView getByUscc(@PathParam("uscc") String uscc) {
        return MerchantView.of(merchants.getByUscc(uscc, currentUser.actor()), refs);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "登记商户")
    @APIResponse(responseCode = "201", description = "已登记")
    @APIResponse(responseCode = "400", description = "输入有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "统一社会信用代码已登记", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(MerchantInput input) {
        requireBody(input);
        Merchant m = merchants.create(input, currentUser.actor());
        return Response.created(URI.create("/api/v1/merchants/" + m.id)).entity(MerchantView.of(m, refs)).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "修改商户", description = "带上 version 可防止覆盖他人的修改。")
    @APIResponse(responseCode = "200", description = "已修改")
    @APIResponse(responseCode = "400", description = "输入有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "不存在或不在辖区内", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "版本冲突", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MerchantView update(@PathParam("id") long id, MerchantInput input) {
        requireBody(input);
        return MerchantView.of(merchants.update(id, input, currentUser.actor()), refs);
    }

    @POST
    @Path("/{id}/close")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "关闭商户（不删除，保留全部记录）")
    @APIResponse(responseCode = "200", description = "已关闭")
    @APIResponse(responseCode = "404", description = "不存在或不在辖区内", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MerchantView close(@PathParam("id") long id) {
        return MerchantView.of(merchants.close(id, currentUser.actor()), refs);
    }

    @GET
    @Path("/{id}/audit")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "商户的变更记录（谁、何时、改了什么）")
    @APIResponse(responseCode = "200", description = "变更记录，按时间排序")
    public List<MerchantAudit> audit(@PathParam("id") long id) {
        return merchants.history(id, currentUser.actor());
    }

    @GET
    @Path("/export")
    @Produces({TabularWriter.CSV_TYPE, TabularWriter.XLSX_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "导出商户（CSV 或 XLSX，中文表头）", description = "筛选条件与查询相同；format=csv（默认）或 xlsx。")
    @APIResponse(responseCode = "200", description = "文件")
    public Response export(@BeanParam MerchantQuery query,
                           @QueryParam("format") @DefaultValue("csv") @Parameter(description = "csv 或 xlsx") String format) {
        String f = format.toLowerCase(java.util.Locale.ROOT);
        if (!f.equals("csv") && !f.equals("xlsx")) {
            throw ProblemException.invalidField("format", "导出格式“" + format + "”不支持，可选：csv、xlsx");
        }
        Actor actor = currentUser.actor();
        query.where(actor.scope(), refs, grades); // validate filters before the response starts streaming
        StreamingOutput body = out -> exporter.export(query, actor, f, out);
        String filename = "merchants-" + LocalDate.now() + "." + f;
        return Response.ok(body, f.equals("xlsx") ? TabularWriter.XLSX_TYPE : TabularWriter.CSV_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }

    @POST
    @Path("/import")
    @Consumes({"text/csv", "application/octet-stream", TabularWriter.XLSX_TYPE, "application/vnd.ms-excel", MediaType.TEXT_PLAIN})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "批量导入商户（CSV/XLSX，按统一社会信用代码新增或更新）",
            description = "请求体为文件本身。CSV 支持 UTF-8 与 GBK（自动识别，或用 encoding 指定）。默认全部正确才导入；"
                    + "mode=PARTIAL 时只导入正确的行并报告其余行。dryRun=true 只校验不写入。重复导入同一文件不会产生变化。")
    @APIResponse(responseCode = "200", description = "导入结果")
    @APIResponse(responseCode = "400", description = "文件有误（逐行列出）；未导入任何数据", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "文件超过请求体大小上限（quarkus.http.limits.max-body-size）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImportReport importFile(InputStream body,
                                   @QueryParam("mode") @DefaultValue("ALL_OR_NOTHING") @Parameter(description = "ALL_OR_NOTHING 或 PARTIAL") String mode,
                                   @QueryParam("encoding") @Parameter(description = "UTF-8 或 GBK；不填自动识别") String encoding,
                                   @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        return importer.importFile(TabularFile.readAll(body), encoding, ImportMode.parse(mode), dryRun, currentUser.actor());
    }


    private static void requireBody(Object body) {
        ProblemException.requireBody(body, "商户信息");
    }
}
