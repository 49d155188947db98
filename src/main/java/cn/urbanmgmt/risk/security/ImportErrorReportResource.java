package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.ImportErrorReports;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The full error list of an import whose answer showed only the first errors (errorReport in the answer).
 * Kept here rather than next to {@link ImportErrorReports} (common) because it needs the roles.
 */
@Path("/api/v1/import-error-reports")
@Tag(name = "导入错误报告 (import error reports)")
public class ImportErrorReportResource {

    @Inject
    ImportErrorReports reports;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/{id}")
    @Produces({TabularWriter.CSV_TYPE, TabularWriter.XLSX_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "下载导入的完整错误报告（CSV 或 XLSX，中文表头：行号、字段、内容、错误说明）",
            description = "导入结果只列出前 " + Problem.MAX_ERRORS + " 条错误；errorReport 给出本地址。保留 "
                    + ImportErrorReports.KEEP_DAYS + " 天，只有导入人和管理员可以下载。")
    @APIResponse(responseCode = "200", description = "文件")
    @APIResponse(responseCode = "404", description = "不存在、已过期或无权查看", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response download(@PathParam("id") String id,
                             @QueryParam("format") @DefaultValue("csv") @Parameter(description = "csv 或 xlsx") String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("xlsx")) {
            throw ProblemException.invalidField("format", "格式“" + format + "”不支持，可选：csv、xlsx");
        }
        String subject = reports.check(id, identity.getPrincipal().getName(), identity.hasRole(Role.ADMIN_));
        StreamingOutput body = out -> reports.write(id, f, out);
        return Response.ok(body, f.equals("xlsx") ? TabularWriter.XLSX_TYPE : TabularWriter.CSV_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + subject + "-import-errors." + f + "\"").build();
    }
}
