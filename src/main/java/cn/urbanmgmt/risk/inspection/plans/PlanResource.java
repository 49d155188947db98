package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.inspection.Downloads;
import cn.urbanmgmt.risk.inspection.results.ResultService;
import cn.urbanmgmt.risk.inspection.verify.VerifyReport;
import cn.urbanmgmt.risk.inspection.verify.VerifyService;
import cn.urbanmgmt.risk.inspection.visits.ProgressService;
import cn.urbanmgmt.risk.inspection.visits.VisitService;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inspection/plans")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "双随机抽查计划 (inspection plans)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class PlanResource {

    @Inject
    PlanService plans;

    @Inject
    PlanQueries queries;

    @Inject
    VerifyService verifier;

    @Inject
    VisitService visits;

    @Inject
    ProgressService progress;

    @Inject
    ResultService results;

    @Inject
    PlanLifecycle lifecycle;

    @Inject
    CurrentUser currentUser;

    @Inject
    SecurityIdentity identity;

    private boolean planner() {
        return identity.hasRole(Role.PLANNER_) || identity.hasRole(Role.ADMIN_);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "生成抽查计划：按抽查规则分层随机抽取商户、合并为检查任务并随机匹配检查人员",
            description = "随机种子（256 位）不填时由系统用安全随机数生成；种子与候选名单一起记录，任何人可按 docs/double-random.md 复算。"
                    + "dryRun=true 只预览各分层数量，不保存。约束无法满足（无候选对象、检查人员不足）时返回 422 并逐项说明，计划不会被缩减后保存。")
    @APIResponse(responseCode = "201", description = "已生成")
    @APIResponse(responseCode = "200", description = "预览（dryRun=true），未保存")
    @APIResponse(responseCode = "400", description = "输入有误（逐个字段说明）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "约束无法满足，计划未生成", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(PlanInput input, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        ProblemException.requireBody(input, "抽查计划");
        PlanView view = plans.create(input, dryRun, currentUser.actor());
        if (dryRun) return Response.ok(view).build();
        return Response.created(URI.create("/api/v1/inspection/plans/" + view.id())).entity(view).build();
    }

    @POST
    @Path("/what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "假设分析：计划与若干假设方案（其他比例或检查期）各需要多少检查任务，各中队各周所需人次与检查力量对比",
            description = "不保存任何内容。各方案使用同一随机种子，差别只来自所改的比例或检查期。comparedWithPlan 列出超出力量的中队周，如“绿色 3 % → 5 %：静安寺街道中队 第 2 周 100 % → 140 %（超出）”。")
    @APIResponse(responseCode = "200", description = "各方案的分层、任务数和检查力量")
    @APIResponse(responseCode = "400", description = "输入有误（逐个字段说明）", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlanService.WhatIf whatIf(PlanService.WhatIfRequest req) {
        return plans.whatIf(req);
    }

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_, Role.AUDITOR_})
    @Operation(summary = "抽查计划列表")
    @APIResponse(responseCode = "200", description = "计划，新的在前")
    public List<PlanQueries.PlanListItem> list(@QueryParam("published") @Parameter(description = "只看已公示（true）或未公示（false）的计划") Boolean published) {
        return queries.list(published);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_, Role.AUDITOR_})
    @Operation(summary = "读取抽查计划：事项、范围、各分层的数量与比例、人员工作量、摘要", description = "随机种子只对计划员和管理员显示。")
    @APIResponse(responseCode = "200", description = "计划")
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlanView get(@PathParam("id") long id) {
        PlanView v = queries.view(id);
        return planner() ? v : v.withoutSeed();
    }

    @GET
    @Path("/{id}/verify")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.AUDITOR_})
    @Operation(summary = "核验计划：按记录的种子、候选名单和匹配输入重新抽取和匹配，与库中的计划逐户比对，并逐字段与公示登记册上的摘要比对",
            description = "identical=true 表示库中计划与重新计算的结果完全相同、各字段与登记一致；否则 differences 列出被改动之处，changedFields 列出被改动的字段。"
                    + "无需登录的核验：GET /api/v1/public/plans/{id}/verify。")
    @APIResponse(responseCode = "200", description = "核验结果")
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VerifyReport verify(@PathParam("id") long id) {
        return verifier.verify(id);
    }

    @GET
    @Path("/{id}/candidates.csv")
    @Produces({TabularWriter.CSV_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.AUDITOR_})
    @Operation(summary = "下载记录的候选名单（CSV：item_code,stratum,percent,weekly,uscc；含分层即风险等级，不对公众公开）", description = "与种子一起即可按 docs/double-random.md 复算抽取结果；其 SHA-256 即计划摘要中的 candidates。")
    @APIResponse(responseCode = "200", description = "CSV")
    public Response candidates(@PathParam("id") long id) {
        PlanQueries.Recorded rec = queries.recorded(id);
        return Response.ok((jakarta.ws.rs.core.StreamingOutput) out -> cn.urbanmgmt.risk.inspection.draw.CandidateList.fromCompact(rec.candidates()).writeCsv(out),
                "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"plan-" + id + "-candidates.csv\"").build();
    }

    @GET
    @Path("/{id}/draw.csv")
    @Produces({TabularWriter.CSV_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.AUDITOR_})
    @Operation(summary = "抽取名单（CSV：item_code,stratum,week,uscc），由库中的检查任务生成", description = "未被改动时其 SHA-256 等于计划摘要中的 draw。")
    @APIResponse(responseCode = "200", description = "CSV")
    public Response draw(@PathParam("id") long id) {
        byte[] csv = queries.storedDrawCsv(id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return Response.ok(csv, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"plan-" + id + "-draw.csv\"").build();
    }

    @GET
    @Path("/{id}/visits")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "计划的检查任务（每户一次，含检查事项和检查人员）", description = "执法队账号只看到本中队负责或本中队人员参加的任务。")
    @APIResponse(responseCode = "200", description = "一页检查任务")
    public PageResult<VisitView> visits(@PathParam("id") long id, @QueryParam("status") @Parameter(description = "PENDING 或 DONE") String status,
                                        @QueryParam("overdue") Boolean overdue, @QueryParam("squad") String squad,
                                        @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return visits.search(new VisitService.Filter(id, status, overdue, squad), page, size, currentUser.actor());
    }

    @GET
    @Path("/{id}/visits/export")
    @Produces({TabularWriter.CSV_TYPE, TabularWriter.XLSX_TYPE, MediaType.APPLICATION_JSON})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.SQUAD_})
    @Operation(summary = "导出计划的检查任务（CSV 或 XLSX，中文表头），供现场使用", description = "执法队账号只导出本中队的任务。")
    @APIResponse(responseCode = "200", description = "文件")
    public Response exportVisits(@PathParam("id") long id, @QueryParam("status") String status, @QueryParam("overdue") Boolean overdue,
                                 @QueryParam("squad") String squad,
                                 @QueryParam("format") @DefaultValue("csv") @Parameter(description = "csv 或 xlsx") String format) {
        String f = Downloads.format(format);
        Actor actor = currentUser.actor();
        VisitService.Filter filter = new VisitService.Filter(id, status, overdue, squad);
        visits.check(filter, actor);
        return Downloads.file(out -> visits.export(filter, actor, f, out), "plan-" + id + "-visits", f);
    }

    @GET
    @Path("/{id}/progress")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "计划进度：已完成、待检查、逾期的任务（按中队），结果公示情况")
    @APIResponse(responseCode = "200", description = "进度")
    public ProgressService.Progress progress(@PathParam("id") long id) {
        return progress.progress(id);
    }

    @POST
    @Path("/{id}/publish-notice")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "公示计划（一公开）：公开事项、范围、数量和摘要；检查期结束前不公开商户名单")
    @APIResponse(responseCode = "200", description = "已公示")
    public PlanView publishNotice(@PathParam("id") long id) {
        return queries.publishNotice(id, currentUser.actor());
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "取消计划（尚未登记任何检查结果时）：理由和经办人在公示登记册上公开", description = "待检查的任务随之取消。已有结果的计划只能作废。")
    @APIResponse(responseCode = "200", description = "已取消")
    @APIResponse(responseCode = "409", description = "已取消或作废，或已有检查结果", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlanView cancel(@PathParam("id") long id, PlanLifecycle.StatusChange change) {
        return lifecycle.cancel(id, change, currentUser.actor());
    }

    @POST
    @Path("/{id}/void")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "作废计划（任何时候）：理由和经办人在公示登记册上公开", description = "已登记的结果保留；待检查的任务随之取消。")
    @APIResponse(responseCode = "200", description = "已作废")
    @APIResponse(responseCode = "409", description = "已取消或作废", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlanView voidPlan(@PathParam("id") long id, PlanLifecycle.StatusChange change) {
        return lifecycle.voidPlan(id, change, currentUser.actor());
    }

    @POST
    @Path("/{id}/visits/{visitNo}/replace-inspector")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "替换某户次的一名检查人员（因病、新申报回避等）：在计划记录的人员池中按种子随机重新匹配，记录并公示，核验可复算",
            description = "现在已离岗或已对该商户申报回避的人员自动排除并记入替换记录。")
    @APIResponse(responseCode = "200", description = "已替换")
    @APIResponse(responseCode = "422", description = "没有符合条件的替换人员", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PlanLifecycle.Replaced replaceInspector(@PathParam("id") long id, @PathParam("visitNo") int visitNo, PlanLifecycle.ReplaceRequest req) {
        return lifecycle.replaceInspector(id, visitNo, req, currentUser.actor());
    }

    @POST
    @Path("/{id}/publish-results")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "公示本计划已登记的全部检查结果", description = "应在结果登记后 20 个工作日内公示；逾期未公示的在结果列表中标记。")
    @APIResponse(responseCode = "200", description = "公示了多少条")
    public ResultService.Published publishResults(@PathParam("id") long id) {
        return results.publish(null, id, currentUser.actor());
    }
}
