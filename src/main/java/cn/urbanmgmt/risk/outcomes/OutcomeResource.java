package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/outcomes")
@Tag(name = "回测与成效 (backtest and outcomes)")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
@APIResponse(responseCode = "400", description = "参数有误（指明参数）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class OutcomeResource {

    @Inject
    OutcomeService outcomes;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "成效指标：各等级、各抽查分层、各执法队和检查人员的检查与发现问题情况，投诉与诉转案，案件与罚款，计划完成，等级占比与目标",
            description = "定义见 docs/outcomes.md。执法队和检查人员旁给出按其所查商户的等级预期的发现问题次数，以区分“查得细”与“商户风险高”。")
    public OutcomeService.Report report(@Parameter(description = "开始日期，默认结束日期前一年") @QueryParam("from") String from,
                                        @Parameter(description = "结束日期（含），默认今天") @QueryParam("to") String to,
                                        @Parameter(description = "街镇（名称或代码），默认全区") @QueryParam("street") String street,
                                        @Parameter(description = "行业类别（名称或代码），默认全部") @QueryParam("category") String category,
                                        @Parameter(description = "等级口径：AT_VISIT 检查当日之前的等级（默认），CURRENT 当前等级") @QueryParam("gradeBasis") String gradeBasis,
                                        @Parameter(description = "目标分布，如 GREEN:98.9,YELLOW:1,RED:0.1；默认取配置 app.outcomes.target-shares") @QueryParam("target") String target) {
        return outcomes.report(outcomes.query(from, to, street, category, gradeBasis, target));
    }

    @GET
    @Path("/export")
    @Produces(TabularWriter.XLSX_TYPE)
    @Operation(summary = "成效指标导出为 Excel（中文表头，每个表一个工作表）", description = "参数同 GET /api/v1/outcomes。")
    public Response export(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("street") String street,
                           @QueryParam("category") String category, @QueryParam("gradeBasis") String gradeBasis, @QueryParam("target") String target) {
        OutcomeService.Report r = outcomes.report(outcomes.query(from, to, street, category, gradeBasis, target));
        StreamingOutput body = out -> OutcomeWorkbook.write(r, out);
        return Response.ok(body, TabularWriter.XLSX_TYPE)
                .header("Content-Disposition", "attachment; filename=\"outcomes-" + r.from() + "-" + r.to() + ".xlsx\"").build();
    }
}
