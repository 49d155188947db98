package cn.urbanmgmt.risk.publication;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.plans.PlanQueries;
import jakarta.annotation.security.PermitAll;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Anonymous read-only endpoints: the only part of the API that needs no login. */
@Path("/api/v1/public")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "公开信息 (public, no login)")
public class PublicResource {

    @Inject
    PublicationService publication;

    @Inject
    PlanQueries plans;

    @Inject
    cn.urbanmgmt.risk.inspection.register.PlanRegister register;

    @Inject
    cn.urbanmgmt.risk.inspection.verify.VerifyService verifier;

    @GET
    @Path("/register")
    @Operation(summary = "公示登记册：每个正式抽查计划自生成起即登记（编号、事项、范围、检查期、种子承诺值、记录摘要、状态），含已取消、作废的计划及其理由和经办人",
            description = "由哈希链登记（/register/entries）生成；headSha256 是最新一条登记的哈希，保存它即可日后发现任何已有登记被改写。")
    @APIResponse(responseCode = "200", description = "登记册，新的计划在前")
    public PublicRegister register() {
        return PublicRegister.of(register.all());
    }

    @GET
    @Path("/register/entries")
    @Operation(summary = "公示登记册的全部登记（哈希链）", description = "entrySha256 = SHA-256(prevSha256 + \"\\n\" + bodyText)，第一条的 prevSha256 为 64 个 0。见 docs/double-random.md。")
    @APIResponse(responseCode = "200", description = "登记，按顺序")
    public List<PublicRegister.Entry> registerEntries(@QueryParam("planId") Long planId) {
        return (planId == null ? register.all() : register.ofPlan(planId)).stream().map(PublicRegister::entry).toList();
    }

    @GET
    @Path("/plans/{id}/verify")
    @Operation(summary = "核验任一正式计划（无需登录）：重新抽取和匹配，并逐字段与公示登记册比对",
            description = "与计划员的核验相同的检查；不列出具体户次内容（检查期结束前不公开商户）。")
    @APIResponse(responseCode = "200", description = "核验结果")
    @APIResponse(responseCode = "404", description = "不存在", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public cn.urbanmgmt.risk.inspection.verify.VerifyReport verify(@PathParam("id") long id) {
        return verifier.verify(id).forPublic();
    }

    @GET
    @Path("/plans")
    @Operation(summary = "已公示的抽查计划（事项、范围、数量；检查期结束后公开随机种子与名单）")
    @APIResponse(responseCode = "200", description = "计划公示")
    public List<PublicNotice> notices() {
        return publication.notices();
    }

    @GET
    @Path("/plans/{id}")
    @Operation(summary = "一个已公示的抽查计划")
    @APIResponse(responseCode = "200", description = "计划公示")
    @APIResponse(responseCode = "404", description = "不存在或未公示", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PublicNotice notice(@PathParam("id") long id) {
        return publication.notice(id);
    }

    @GET
    @Path("/plans/{id}/draw.csv")
    @Produces({"text/csv; charset=UTF-8", MediaType.APPLICATION_JSON})
    @Operation(summary = "抽取名单（CSV：item_code,week,uscc，不含分层），检查期结束后公开",
            description = "不含分层（分层即风险等级，不公开）；含分层的完整名单（其 SHA-256 等于 digests.draw）只向纪检监察（AUDITOR）角色提供。")
    @APIResponse(responseCode = "200", description = "CSV")
    @APIResponse(responseCode = "403", description = "检查期尚未结束", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response draw(@PathParam("id") long id) {
        publication.endedPlan(id);
        byte[] csv = PublicationService.withoutStrata(plans.storedDrawCsv(id)).getBytes(StandardCharsets.UTF_8);
        return Response.ok(csv, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"plan-" + id + "-draw.csv\"").build();
    }

    @GET
    @Path("/plans/{id}/candidates.csv")
    @Produces({"text/csv; charset=UTF-8", MediaType.APPLICATION_JSON})
    @Operation(summary = "候选对象（CSV：item_code,uscc，不含分层），检查期结束后公开",
            description = "只列出哪些商户参与了哪个事项的抽取；各商户的分层（即风险等级）不公开。含分层的候选名单（可复算抽取，其 SHA-256 等于 digests.candidates）"
                    + "只向纪检监察（AUDITOR）角色提供：GET /api/v1/inspection/plans/{id}/candidates.csv。")
    @APIResponse(responseCode = "200", description = "CSV")
    @APIResponse(responseCode = "403", description = "检查期尚未结束", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response candidates(@PathParam("id") long id) {
        publication.endedPlan(id);
        PlanQueries.Recorded rec = plans.recorded(id);
        StreamingOutput body = out -> PublicationService.writeCandidatesWithoutStrata(CandidateList.fromCompact(rec.candidates()), out);
        return Response.ok(body, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"plan-" + id + "-candidates.csv\"").build();
    }

    @GET
    @Path("/results")
    @Operation(summary = "已公示的检查结果（商户名称、统一社会信用代码、事项、日期、结果、检查人员姓名和执法证号）",
            description = "只含计划员已公示、仍在公示期内（检查日起 3 年）的结果；不合格结果在商户信用修复后不再显示。")
    @APIResponse(responseCode = "200", description = "一页结果")
    public PageResult<PublicResult> results(@QueryParam("q") @Parameter(description = "商户名称中包含的文字") String text,
                                            @QueryParam("uscc") @Parameter(description = "统一社会信用代码（或前缀）") String uscc,
                                            @QueryParam("planId") Long planId,
                                            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        return publication.results(text, uscc, planId, page, size);
    }
}
