package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The rule author's loop for one rule kind: versions, validate, test, simulate, activate, roll back,
 * diff, export, audit, review. The one copy of every endpoint: {@link RuleSetResource} serves it at
 * /api/v1/rule-sets/{kind}, and the old paths ({@link RulesResource} for grading, the sampling
 * alias) are subclasses that fix the kind.
 *
 * <p>Reading is open to ADMIN, PLANNER, RULE_AUTHOR and REVIEWER; every step that creates a version,
 * runs the rules or changes the active set needs RULE_AUTHOR; a kind may let more roles simulate
 * ({@link RuleKind#simulatorRoles()}: PLANNER for sampling); ADMIN alone may roll back (an emergency
 * brake), REVIEWER alone approves or returns (four eyes). SQUAD has no access. Every method names its
 * roles itself, so that no subclass depends on class-level annotations being inherited; for the same
 * reason each subclass documents the 401 and 403 answers of all its endpoints.
 *
 * @param <T> the outcome of one test scenario of the kind (what /test documents)
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class RuleSetEndpoints<T extends ScenarioOutcome> {

    static final String PROBLEM = Problem.MEDIA_TYPE;

    @Inject
    protected RuleAuthoringService authoring;

    @Inject
    protected RuleReview review;

    @Inject
    protected CurrentUser currentUser;

    @Inject
    protected SecurityIdentity identity;

    /** The kind this request is about (a 404 problem when there is no such kind). */
    protected abstract RuleKind<?, T> kind();

    public record UploadRequest(@Schema(description = "文件路径（相对于 rules/）到文件内容，如 grading/20-cases.drl、tests/20-cases.yaml、sampling/20-risk-strata.drl、tests/sampling/20-risk-strata.yaml") Map<String, String> files,
                                @Schema(description = "说明，记入审计日志") String comment) {
    }

    public record CommentRequest(@Schema(description = "为什么这样做，记入审计日志（必填）") String comment) {
    }

    public record RollbackRequest(@Schema(description = "回滚到的版本（完整版本号或开头部分）；不填则回到上一个生效的版本") String version,
                                  @Schema(description = "为什么回滚，记入审计日志（必填）") String comment) {
    }

    /** What GET …/active answers for sampling: the shared fields plus the rule names and files in use here. */
    @Schema(name = "RuleSetActive", description = "生效版本。风险分级规则为 ActiveInfo 的字段；抽查规则另有 rules（规则名）和 files（文件内容）")
    public record ActiveSchema(@Schema(description = "数据库中的生效版本") String version,
                               @Schema(description = "本实例正在使用的版本（多实例时与数据库在数秒内一致）") String instanceVersion,
                               boolean inSync,
                               @Schema(description = "降级原因；正常时为空") String degraded,
                               RuleAuthoringService.VersionSummary details,
                               @Schema(description = "仅抽查规则：本实例使用的规则名") List<String> rules,
                               @Schema(description = "仅抽查规则：本实例使用的文件内容") Map<String, String> files) {
    }

    @GET
    @Path("/active")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "生效的规则集版本", description = "数据库中的生效版本、本实例正在使用的版本（多实例时二者在数秒内一致）和降级原因"
            + "（磁盘上的规则有错误而使用最后一个可用版本，或没有可用的规则）；抽查规则另给出规则名和文件内容。")
    @APIResponse(responseCode = "200", description = "生效版本", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ActiveSchema.class)))
    public Object active() {
        RuleKind<?, ?> kind = kind();
        return kind.activeView(authoring.active(kind));
    }

    @GET
    @Path("/versions")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "规则集版本列表，新的在前")
    @APIResponse(responseCode = "200", description = "版本")
    public List<RuleAuthoringService.VersionSummary> versions(@QueryParam("limit") @DefaultValue("50") int limit) {
        return authoring.versions(kind(), RuleResources.limit(limit, 500));
    }

    @GET
    @Path("/versions/{version}")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "一个版本：规则文件、测试场景文件和规则名（含所在文件和行号）")
    @APIResponse(responseCode = "200", description = "版本")
    @APIResponse(responseCode = "400", description = "版本号格式不对", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.VersionDetail version(@Parameter(description = "完整版本号或开头至少 6 位") @PathParam("version") String version) {
        return authoring.version(kind(), version);
    }

    @POST
    @Path("/versions/reload")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "从磁盘重新读取规则（如 rules/grading 和 rules/tests，rules/sampling 和 rules/tests/sampling）作为候选版本",
            description = "保存并校验，不会启用（启用用 /versions/{version}/activate）。同样的内容已存在时返回已有版本（created=false）。")
    @APIResponse(responseCode = "200", description = "版本和校验结果（validation.problems 给出文件、行、规则）")
    @APIResponse(responseCode = "409", description = "无法读取规则目录", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.Stored reload(CommentRequest request) {
        return authoring.reload(kind(), currentUser.username(), request == null ? null : request.comment());
    }

    @POST
    @Path("/reload")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "从磁盘重新读取规则作为候选版本（与 /versions/reload 相同）", description = "保存并校验，不会启用。")
    @APIResponse(responseCode = "200", description = "版本和校验结果")
    @APIResponse(responseCode = "409", description = "无法读取规则目录", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.Stored reloadShort(CommentRequest request) {
        return reload(request);
    }

    @POST
    @Path("/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "上传规则文件作为候选版本",
            description = "files：路径（相对于 rules/）到文件内容。保存并校验，不会启用；校验结果（错误所在的文件、行、列、规则）随响应返回。")
    @APIResponse(responseCode = "201", description = "新版本")
    @APIResponse(responseCode = "200", description = "内容相同的版本已存在")
    @APIResponse(responseCode = "400", description = "文件路径或内容有误", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response upload(UploadRequest request) {
        if (request == null) throw ProblemException.invalidField("files", "请求体不能为空");
        RuleKind<?, ?> kind = kind();
        return RuleResources.stored(kind, authoring.upload(kind, request.files(), request.comment(), currentUser.username()));
    }

    @POST
    @Path("/versions")
    @Consumes({"application/zip", "application/octet-stream"})
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "以 zip 上传规则文件作为候选版本",
            description = "zip 内为该类规则的文件（如 grading/... 和 tests/...，sampling/... 和 tests/sampling/...，可以在 rules/ 目录下）；其他文件（包括其他类规则）忽略。说明用查询参数 comment。")
    @APIResponse(responseCode = "201", description = "新版本")
    @APIResponse(responseCode = "200", description = "内容相同的版本已存在")
    @APIResponse(responseCode = "400", description = "不是有效的 zip 或文件有误", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response uploadZip(byte[] zip, @QueryParam("comment") String comment) {
        if (zip == null || zip.length == 0) throw ProblemException.badRequest("请求体为空：请上传 zip 压缩包");
        RuleKind<?, ?> kind = kind();
        return RuleResources.stored(kind, authoring.uploadZip(kind, zip, comment, currentUser.username()));
    }

    @POST
    @Path("/versions/{version}/validate")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "校验：编译并报告每个问题（文件、行、列、规则、中文说明）",
            description = "也报告永远不会触发的规则、重名规则，并在试运行中发现死循环或运行过久的规则；抽查规则还用各种模拟商户试运行，"
                    + "结论出错、同一分层给出不同比例（STRATUM_CONFLICT）都是错误。只记审计日志，不改变任何东西。")
    @APIResponse(responseCode = "200", description = "校验结果（ok=false 时 problems 中有错误）")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.ValidationReport validate(@PathParam("version") String version) {
        return authoring.validate(kind(), version, currentUser.username());
    }

    @POST
    @Path("/versions/{version}/test")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "运行该版本的测试场景（tests/*.yaml 或 tests/sampling/*.yaml）",
            description = "每个场景的期望与实际结果（等级和原因，或排除、必查、分层和比例）；未通过的场景说明原因。")
    @APIResponse(responseCode = "200", description = "测试结果")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleAuthoringService.TestReport<T> test(@PathParam("version") String version) {
        return authoring.test(kind(), version, currentUser.username());
    }

    @POST
    @Path("/versions/{version}/simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.RULE_AUTHOR_, Role.PLANNER_})
    @Operation(summary = "模拟：比较候选版本与生效版本，不改变任何东西",
            description = "后台任务；用 GET /api/v1/jobs/{id} 查看进度和结果。风险分级规则（请求体 SimulationRequest，只有规则编写员）："
                    + "用候选版本给全部商户（或某街镇、某行业）评级，当前→候选等级的 3x3 变化矩阵、前后各等级数量和占比（总体、按街镇、按行业）、"
                    + "每个变化格子最多 20 个商户及其新的原因、评级出错的规则；baseline=ACTIVE（默认）用生效规则在同一日期重新评级作对比，STORED 用当前保存的等级。"
                    + "抽查规则（请求体 Request，规则编写员和计划制定人员）：对给定的事项、范围和日期，每个事项各分层前后的候选数、比例和抽取数，"
                    + "抽查决定发生变化的对象，会导致计划被拒绝的分层比例冲突，规则执行出错，以及各中队各周所需人次与检查力量对照；"
                    + "检查期不填为下周一起 28 天（days 可改天数），每户检查人数 inspectorsPerVisit 不填为 2。")
    // The sampling body's class lives in inspection, above this package: the description names both bodies instead.
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            description = "风险分级规则：SimulationRequest（evaluationDate、street、category、baseline）；抽查规则：items、edition、scope、"
                    + "evaluationDate、periodStart、periodEnd、days、inspectorsPerVisit")))
    @APIResponse(responseCode = "202", description = "任务已启动")
    @APIResponse(responseCode = "400", description = "请求参数有误（逐个字段说明）", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "版本无法编译", content = @Content(mediaType = PROBLEM))
    public Response simulate(@PathParam("version") String version, JsonNode request) throws JsonProcessingException {
        RuleKind<?, ?> kind = kind();
        if (kind.simulatorRoles().stream().noneMatch(identity::hasRole)) throw new ForbiddenException();
        JobService.Progress job = kind.simulate(version, request, currentUser.username());
        return Response.accepted(job).location(URI.create("/api/v1/jobs/" + job.id())).build();
    }

    @POST
    @Path("/versions/{version}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "启用版本", description = "必须编译通过、测试场景全部通过、经法制审核批准并有一次完整的模拟；原子地替换生效规则集，所有实例在数秒内生效。"
            + "风险分级规则随后启动全量重新评级任务（进行中的评级用旧版本完成）；抽查规则此后生成的计划使用新版本，进行中的计划按开始时的版本完成。"
            + "未通过检查时返回 422，生效规则集不变。")
    @APIResponse(responseCode = "200", description = "已启用；regrade 为重新评级任务（仅风险分级规则）")
    @APIResponse(responseCode = "400", description = "缺少说明", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "已是生效版本，或版本尚未经法制审核批准", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "未通过检查（errors/problems 给出文件、行、规则）", content = @Content(mediaType = PROBLEM))
    public RuleAuthoringService.Activation activate(@PathParam("version") String version, CommentRequest request) {
        return authoring.activate(kind(), version, request == null ? null : request.comment(), currentUser.username());
    }

    @POST
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_) // four eyes: the one-person switch of the active rules is the administrator's emergency action only
    @Operation(summary = "回滚到更早的版本（默认：上一个生效的版本）", description = "与启用相同的检查和保证；只能回到已批准的版本，无需再审核。只有系统管理员可以回滚（一人即可的紧急措施，记入审计）。")
    @APIResponse(responseCode = "200", description = "已回滚；regrade 为重新评级任务（仅风险分级规则）")
    @APIResponse(responseCode = "400", description = "缺少说明", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "没有可回滚的版本或已是生效版本", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "目标版本未通过检查", content = @Content(mediaType = PROBLEM))
    public RuleAuthoringService.Activation rollback(RollbackRequest request) {
        if (request == null) throw ProblemException.invalidField("comment", "请填写回滚说明");
        return authoring.rollback(kind(), request.version(), request.comment(), currentUser.username());
    }

    @GET
    @Path("/diff")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "两个版本的差异：每个文件的统一格式文本差异，以及新增、删除、修改的规则")
    @APIResponse(responseCode = "200", description = "差异")
    @APIResponse(responseCode = "400", description = "缺少 from/to", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleDiff.Result diff(@Parameter(description = "旧版本") @QueryParam("from") String from,
                                @Parameter(description = "新版本") @QueryParam("to") String to) {
        return authoring.diff(kind(), from, to);
    }

    @GET
    @Path("/versions/{version}/export")
    @Produces({MediaType.APPLICATION_JSON, "application/zip"})
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "导出版本的文件", description = "JSON（files 与 tests）；Accept: application/zip 或 format=zip 时为 zip，解压到 rules/ 即可使用。")
    @APIResponse(responseCode = "200", description = "文件")
    @APIResponse(responseCode = "400", description = "格式无效", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Response export(@PathParam("version") String version, @QueryParam("format") String format, @HeaderParam("Accept") String accept) {
        return RuleResources.export(authoring, kind(), version, format, accept);
    }

    @GET
    @Path("/audit")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "审计日志：每次读取、上传、校验、测试、模拟、启用、回滚（谁、何时、哪个版本、结果、说明）")
    @APIResponse(responseCode = "200", description = "新的在前")
    @APIResponse(responseCode = "400", description = "操作类型无效", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public List<RuleAuthoringService.AuditEntry> audit(@QueryParam("version") String version, @QueryParam("action") String action,
                                                       @QueryParam("limit") @DefaultValue("100") int limit) {
        return authoring.audit(kind(), version, RuleResources.action(action), RuleResources.limit(limit, 1000));
    }

    @GET
    @Path("/versions/{version}/review")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
    @Operation(summary = "审核视图：版本的审批状态、与生效版本的差异、测试场景和模拟的链接", description = "法制审核据此审核；评级规则还给出全区模拟是否无错误。")
    @APIResponse(responseCode = "200", description = "审核视图")
    @APIResponse(responseCode = "404", description = "版本不存在", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    public RuleReview.Review review(@PathParam("version") String version) {
        return review.review(kind(), version);
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
        return review.propose(kind(), version, request == null ? null : request.comment(), currentUser.username());
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
        return review.decide(kind(), version, true, request == null ? null : request.comment(), currentUser.username());
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
        return review.decide(kind(), version, false, request == null ? null : request.comment(), currentUser.username());
    }
}
