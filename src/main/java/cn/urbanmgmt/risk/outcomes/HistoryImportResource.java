package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/history/inspections/import")
@Tag(name = "回测与成效 (backtest and outcomes)")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class HistoryImportResource {

    @Inject
    HistoryImportService history;

    @Inject
    CurrentUser currentUser;

    @POST
    @Consumes({"text/csv", "application/octet-stream", TabularWriter.XLSX_TYPE, "application/vnd.ms-excel", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "导入历史检查记录（CSV/XLSX），供回测使用",
            description = "列：统一社会信用代码（establishmentId，商户须已在名录库）、检查日期、检查结果（未发现问题/当场整改/责令限期整改/立案查处/未找到商户），"
                    + "可选：检查事项、检查类型、违规项数、扣分、得分、检查人员、记录编号、名称。每行记为当日已录入的检查结果。全部正确才导入；重复导入同一文件不会重复记录。见 docs/outcomes.md。")
    @APIResponse(responseCode = "200", description = "导入结果")
    @APIResponse(responseCode = "400", description = "文件有误（逐行列出）；未导入任何数据", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HistoryImportService.Report importFile(InputStream body, @QueryParam("encoding") String encoding,
                                                  @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        return history.importFile(TabularFile.readAll(body), encoding, dryRun, currentUser.username());
    }
}
