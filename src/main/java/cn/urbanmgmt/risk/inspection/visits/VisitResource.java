package cn.urbanmgmt.risk.inspection.visits;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.inspection.Downloads;
import cn.urbanmgmt.risk.inspection.results.ResultInput;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inspection/visits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "检查任务与结果 (visits and results)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class VisitResource {

    @Inject
    VisitService visits;

    @Inject
    ResultRecorder recorder;

    @Inject
    CurrentUser currentUser;

    @Inject
    cn.urbanmgmt.risk.inspection.results.ResultCorrectionService corrections;

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "检查任务（所有计划）", description = "执法队账号只看到本中队负责或本中队人员参加的任务。"
            + "可按商户名称、地址中的文字或统一社会信用代码（前缀）搜索，按今天或本周的检查时段筛选，或只看本人（按账号的执法证号）参加的任务。")
    @APIResponse(responseCode = "200", description = "一页检查任务")
    @APIResponse(responseCode = "400", description = "查询参数有误（如搜索文字超过 100 个字、时间范围无效）",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PageResult<VisitView> search(@QueryParam("planId") Long planId, @QueryParam("status") @Parameter(description = "PENDING 或 DONE") String status,
                                        @QueryParam("overdue") Boolean overdue, @QueryParam("squad") String squad,
                                        @QueryParam("q") @Parameter(description = "商户名称或地址中包含的文字，或统一社会信用代码（完整或前缀），最长 100 个字") String q,
                                        @QueryParam("when") @Parameter(description = "today：检查时段包含今天；week：检查时段与本周（周一至周日）有交集") String when,
                                        @QueryParam("mine") @Parameter(description = "true：只看本人（账号的执法证号）被指派的任务") Boolean mine,
                                        @QueryParam("merchantId") @Parameter(description = "只看这户商户的检查任务") Long merchantId,
                                        @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return visits.search(new VisitService.Filter(planId, status, overdue, squad, q, when, mine, merchantId), page, size, currentUser.actor());
    }

    @GET
    @Path("/export")
    @Produces({TabularWriter.CSV_TYPE, TabularWriter.XLSX_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "导出检查任务（CSV 或 XLSX，中文表头），供现场使用")
    @APIResponse(responseCode = "200", description = "文件")
    public Response export(@QueryParam("planId") Long planId, @QueryParam("status") String status, @QueryParam("overdue") Boolean overdue,
                           @QueryParam("squad") String squad,
                           @QueryParam("q") @Parameter(description = "商户名称或地址中包含的文字，或统一社会信用代码（完整或前缀）") String q,
                           @QueryParam("when") @Parameter(description = "today 或 week") String when,
                           @QueryParam("mine") @Parameter(description = "true：只看本人被指派的任务") Boolean mine,
                           @QueryParam("format") @DefaultValue("csv") @Parameter(description = "csv 或 xlsx") String format) {
        String f = Downloads.format(format);
        Actor actor = currentUser.actor();
        VisitService.Filter filter = new VisitService.Filter(planId, status, overdue, squad, q, when, mine, null);
        visits.check(filter, actor);
        return Downloads.file(out -> visits.export(filter, actor, f, out), "inspection-visits", f);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "读取一个检查任务")
    @APIResponse(responseCode = "200", description = "检查任务")
    @APIResponse(responseCode = "404", description = "不存在或不属于本中队", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VisitView get(@PathParam("id") long id) {
        return visits.get(id, currentUser.actor());
    }

    @POST
    @Path("/{id}/result")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.SQUAD_})
    @Operation(summary = "登记检查结果（每个事项一条），并立即重新评定商户风险等级",
            description = "由负责该任务的中队登记。每个事项的结果记为一条检查结果事件（来源 double-random），随后立即重新评级；结果应在登记后 20 个工作日内由计划员公示。")
    @APIResponse(responseCode = "201", description = "已登记")
    @APIResponse(responseCode = "400", description = "结果有误（逐个字段说明）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "不存在或不属于本中队", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "已登记过", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response record(@PathParam("id") long id, ResultInput input) {
        ProblemException.requireBody(input, "检查结果");
        return Response.status(201).entity(recorder.recordAndRegrade(id, input, currentUser.actor())).build();
    }

    @POST
    @Path("/{id}/result/corrections")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.SQUAD_})
    @Operation(summary = "提交已登记检查结果的更正（四眼审批）",
            description = "由负责该任务的中队提交更正后的结果（检查结果、扣分项、检查发现、得分）和更正原因（必填）。更正作为待审批事项进入审批队列，"
                    + "须由提交人以外的法制审核或管理员批准后，检查结果、对应的检查结果事件（以更正事件替代）、商户等级和已公示的结果才会改变；驳回则一切不变。")
    @APIResponse(responseCode = "202", description = "已提交审批：待审批事项（status PENDING）")
    @APIResponse(responseCode = "400", description = "更正有误（逐个字段说明，如缺少更正原因 reason）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "不存在或不属于本中队", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "尚未登记结果，或已有待审批的更正", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response proposeCorrection(@PathParam("id") long id, cn.urbanmgmt.risk.inspection.results.ResultCorrectionInput input) {
        return Response.status(202).entity(corrections.propose(id, input, currentUser.actor())).build();
    }

    @GET
    @Path("/{id}/result/corrections")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_, Role.REVIEWER_, Role.AUDITOR_})
    @Operation(summary = "该检查任务的结果更正及其审批状态（新的在前）")
    @APIResponse(responseCode = "200", description = "更正（待审批事项，status 为 PENDING、APPROVED 或 REFUSED）")
    @APIResponse(responseCode = "404", description = "不存在或不属于本中队", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public java.util.List<cn.urbanmgmt.risk.approvals.PendingApproval> corrections(@PathParam("id") long id) {
        return corrections.list(id, currentUser.actor());
    }
}
