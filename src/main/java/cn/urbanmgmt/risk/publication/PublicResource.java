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
    @Operation(summary = "抽取名单（CSV：item_code,stratum,week,uscc），检查期结束后公开", description = "其 SHA-256 等于公示的 digests.draw。")
    @APIResponse(responseCode = "200", description = "CSV")
    @APIResponse(responseCode = "403", description = "检查期尚未结束", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response draw(@PathParam("id") long id) {
        publication.endedPlan(id);
        byte[] csv = plans.storedDrawCsv(id).getBytes(StandardCharsets.UTF_8);
        return Response.ok(csv, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"plan-" + id + "-draw.csv\"").build();
    }

    @GET
    @Path("/plans/{id}/candidates.csv")
    @Produces({"text/csv; charset=UTF-8", MediaType.APPLICATION_JSON})
    @Operation(summary = "候选名单（CSV：item_code,stratum,percent,weekly,uscc），检查期结束后公开",
            description = "与公开的随机种子一起，任何人可按公开的方法复算抽取名单；其 SHA-256 等于公示的 digests.candidates。")
    @APIResponse(responseCode = "200", description = "CSV")
    @APIResponse(responseCode = "403", description = "检查期尚未结束", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response candidates(@PathParam("id") long id) {
        publication.endedPlan(id);
        PlanQueries.Recorded rec = plans.recorded(id);
        StreamingOutput body = out -> CandidateList.fromCompact(rec.candidates()).writeCsv(out);
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
