package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.jobs.JobService;
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
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The rule author's loop: versions, validate, test, simulate, activate, roll back, diff, export,
 * audit. Reading is open to ADMIN, PLANNER and RULE_AUTHOR; every step that creates a version, runs
 * the rules or changes the active set needs RULE_AUTHOR; ADMIN may also roll back (an emergency
 * brake when no rule author is at hand), but not activate new rules. SQUAD has no access.
 */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "规则编写 (rule authoring)")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RulesResource {

    private static final String PROBLEM = Problem.MEDIA_TYPE;

    @Inject
    RuleAuthoringService authoring;

    @Inject
    GradingRuleKind grading;

    @Inject
    RuleReview review;

    @Inject
    CurrentUser currentUser;

    public record UploadRequest(@Schema(description = "文件路径（相对于 rules/）到文件内容，如 grading/20-cases.drl、tests/20-cases.yaml") Map<String, String> files,
                                @Schema(description = "说明，记入审计日志") String comment) {
    }

    public record CommentRequest(@Schema(description = "为什么这样做，记入审计日志（必填）") String comment) {
    }

    public record RollbackRequest(@Schema(description = "回滚到的版本（完整版本号或开头部分）；不填则回到上一个生效的版本") String version,
                                  @Schema(description = "为什么回滚，记入审计日志（必填）") String comment) {
    }

    @GET
    @Path("/active")
    @Operation(summary = "生效的规则集版本", description = "数据库中的生效版本、本实例正在使用的版本（多实例时二者在 5 秒内一致）和降级原因。")
    public RuleAuthoringService.ActiveInfo active() {
        return authoring.active(grading);
    }

    @GET
    @Path("/versions")
    @Operation(summary = "规则集版本列表，新的在前")
    public List<RuleAuthoringService.VersionSummary> versions(@QueryParam("limit") @DefaultValue("50") int limit) {
        return authoring.versions(grading, RuleResources.limit(limit, 500));
    }

    @GET
    @Path("/versions/{version}")
    @Operation(summary = "一个版本：文件、测试场景文件和规则名（含所在文件和行号）")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.VersionDetail version(@Parameter(description = "完整版本号或开头至少 6 位") @PathParam("version") String version) {
        return authoring.version(grading, version);
    }

    @POST
    @Path("/versions/reload")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "从磁盘重新读取规则（rules/grading 和 rules/tests）作为候选版本",
            description = "保存并校验，不会启用。同样的内容已存在时返回已有版本（created=false）。")
    @APIResponse(responseCode = "200", description = "版本和校验结果")
    public RuleAuthoringService.Stored reload(CommentRequest request) {
        return authoring.reload(grading, currentUser.username(), request == null ? null : request.comment());
    }

    @POST
    @Path("/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "上传规则文件作为候选版本", description = "保存并校验，不会启用；校验结果（错误所在的文件、行、列、规则）随响应返回。")
    @APIResponse(responseCode = "201", description = "新版本")
    @APIResponse(responseCode = "200", description = "内容相同的版本已存在")
    @APIResponse(responseCode = "400", description = "文件路径或内容有误", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response upload(UploadRequest request) {
        if (request == null) throw ProblemException.invalidField("files", "请求体不能为空");
        return RuleResources.stored(grading, authoring.upload(grading, request.files(), request.comment(), currentUser.username()));
    }

    @POST
    @Path("/versions")
    @Consumes({"application/zip", "application/octet-stream"})
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "以 zip 上传规则文件作为候选版本", description = "zip 内为 grading/... 和 tests/...（可以在 rules/ 目录下）；其他文件忽略。说明用查询参数 comment。")
    @APIResponse(responseCode = "201", description = "新版本")
    public Response uploadZip(byte[] zip, @QueryParam("comment") String comment) {
        if (zip == null || zip.length == 0) throw ProblemException.badRequest("请求体为空：请上传 zip 压缩包");
        return RuleResources.stored(grading, authoring.uploadZip(grading, zip, comment, currentUser.username()));
    }

    @POST
    @Path("/versions/{version}/validate")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "校验：编译并报告每个问题（文件、行、列、规则、中文说明）",
            description = "也报告永远不会触发的规则、重名规则，并在试运行中发现死循环或运行过久的规则。只记审计日志，不改变任何东西。")
    @APIResponse(responseCode = "200", description = "校验结果（ok=false 时 problems 中有错误）")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.ValidationReport validate(@PathParam("version") String version) {
        return authoring.validate(grading, version, currentUser.username());
    }

    @POST
    @Path("/versions/{version}/test")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "运行该版本的测试场景（tests/*.yaml）", description = "每个场景的期望与实际结果；未通过的场景说明原因。")
    @APIResponse(responseCode = "200", description = "测试结果")
    public RuleAuthoringService.TestReport<ScenarioRunner.Result> test(@PathParam("version") String version) {
        return authoring.test(grading, version, currentUser.username());
    }

    @POST
    @Path("/versions/{version}/simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "模拟：用候选版本给全部商户（或某街镇、某行业）评级，不改变任何东西",
            description = "后台任务；用 GET /api/v1/jobs/{id} 查看进度和结果：当前→候选等级的 3x3 变化矩阵、前后各等级数量和占比（总体、按街镇、按行业）、"
                    + "每个变化格子最多 20 个商户及其新的原因、评级出错的规则。baseline=ACTIVE（默认）用生效规则在同一日期重新评级作对比，STORED 用当前保存的等级。")
    @APIResponse(responseCode = "202", description = "任务已启动")
    @APIResponse(responseCode = "422", description = "版本无法编译", content = @Content(mediaType = PROBLEM))
    public Response simulate(@PathParam("version") String version, RuleAuthoringService.SimulationRequest request) {
        JobService.Progress job = authoring.simulate(version, request, currentUser.username());
        return Response.accepted(job).location(URI.create("/api/v1/jobs/" + job.id())).build();
    }

    @POST
    @Path("/versions/{version}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "启用版本", description = "必须编译通过、测试场景全部通过；原子地替换生效规则集（进行中的评级用旧版本完成），"
            + "所有实例在 5 秒内生效，随后启动全量重新评级任务。未通过检查时返回 422，生效规则集不变。")
    @APIResponse(responseCode = "200", description = "已启用；regrade 为重新评级任务")
    @APIResponse(responseCode = "409", description = "已是生效版本，或版本尚未经法制审核批准", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "未通过检查（errors/problems 给出文件、行、规则）", content = @Content(mediaType = PROBLEM))
    public RuleAuthoringService.Activation activate(@PathParam("version") String version, CommentRequest request) {
        return authoring.activate(grading, version, request == null ? null : request.comment(), currentUser.username());
    }

    @POST
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_) // four eyes: the one-person switch of the active rules is the administrator's emergency action only
    @Operation(summary = "回滚到更早的版本（默认：上一个生效的版本）", description = "与启用相同的检查和保证；只能回到已批准的版本，无需再审核。只有系统管理员可以回滚（一人即可的紧急措施，记入审计）。")
    @APIResponse(responseCode = "200", description = "已回滚；regrade 为重新评级任务")
    @APIResponse(responseCode = "409", description = "没有可回滚的版本或已是生效版本", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "目标版本未通过检查", content = @Content(mediaType = PROBLEM))
    public RuleAuthoringService.Activation rollback(RollbackRequest request) {
        if (request == null) throw ProblemException.invalidField("comment", "请填写回滚说明");
        return authoring.rollback(grading, request.version(), request.comment(), currentUser.username());
    }

    @GET
    @Path("/diff")
    @Operation(summary = "两个版本的差异：每个文件的统一格式文本差异，以及新增、删除、修改的规则")
    @APIResponse(responseCode = "200", description = "差异")
    @APIResponse(responseCode = "400", description = "缺少 from/to", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleDiff.Result diff(@Parameter(description = "旧版本") @QueryParam("from") String from,
                                @Parameter(description = "新版本") @QueryParam("to") String to) {
        return authoring.diff(grading, from, to);
    }

    @GET
    @Path("/versions/{version}/export")
    @Produces({MediaType.APPLICATION_JSON, "application/zip"})
    @Operation(summary = "导出版本的文件", description = "JSON（files 与 tests）；Accept: application/zip 或 format=zip 时为 zip，解压到 rules/ 即可使用。")
    @APIResponse(responseCode = "200", description = "文件")
    public Response export(@PathParam("version") String version, @QueryParam("format") String format,
                           @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        return RuleResources.export(authoring, grading, version, format, accept);
    }

    @GET
    @Path("/audit")
    @Operation(summary = "审计日志：每次读取、上传、校验、测试、模拟、启用、回滚（谁、何时、哪个版本、结果、说明）")
    @APIResponse(responseCode = "200", description = "新的在前")
    public List<RuleAuthoringService.AuditEntry> audit(@QueryParam("version") String version, @QueryParam("action") String action,
                                                       @QueryParam("limit") @DefaultValue("100") int limit) {
        return authoring.audit(grading, version, RuleResources.action(action), RuleResources.limit(limit, 1000));
    }

    @GET
    @Path("/versions/{version}/review")
    @Operation(summary = "审核视图：版本的审批状态、与生效版本的差异、测试场景和模拟的链接", description = "法制审核据此审核；评级规则还给出全区模拟是否无错误。")
    @APIResponse(responseCode = "200", description = "审核视图")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleReview.Review review(@PathParam("version") String version) {
        return review.review(grading, version);
    }

    @POST
    @Path("/versions/{version}/propose")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "提交法制审核（四眼原则）", description = "规则编写员提交；只有经规则编写员以外的法制审核人员批准的版本才能启用。")
    @APIResponse(responseCode = "200", description = "已提交，附审核视图")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "已提交或已批准", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleReview.Review propose(@PathParam("version") String version, CommentRequest request) {
        return review.propose(grading, version, request == null ? null : request.comment(), currentUser.username());
    }

    @POST
    @Path("/versions/{version}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.REVIEWER_)
    @Operation(summary = "法制审核批准", description = "不能审核自己编写或提交的版本（403）。批准后规则编写员可以启用。")
    @APIResponse(responseCode = "200", description = "已批准")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "版本未提交审核或已审核", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleReview.Review approve(@PathParam("version") String version, CommentRequest request) {
        return review.decide(grading, version, true, request == null ? null : request.comment(), currentUser.username());
    }

    @POST
    @Path("/versions/{version}/return")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.REVIEWER_)
    @Operation(summary = "法制审核退回（须填写审核意见 comment）")
    @APIResponse(responseCode = "200", description = "已退回")
    @APIResponse(responseCode = "400", description = "缺少审核意见", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "版本未提交审核或已审核", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleReview.Review returnVersion(@PathParam("version") String version, CommentRequest request) {
        return review.decide(grading, version, false, request == null ? null : request.comment(), currentUser.username());
    }
}
