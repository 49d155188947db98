package cn.urbanmgmt.risk.inspection.results;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inspection/results")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "检查任务与结果 (visits and results)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ResultResource {

    @Inject
    ResultService results;

    @Inject
    CurrentUser currentUser;

    @GET
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "检查结果及其公示期限", description = "公示期限为结果登记后 20 个工作日；publicationOverdue=true 表示已逾期未公示。按期限排序。")
    @APIResponse(responseCode = "200", description = "一页结果")
    public PageResult<ResultService.ResultView> search(@QueryParam("planId") Long planId,
                                                      @QueryParam("published") @Parameter(description = "已公示（true）或未公示（false）") Boolean published,
                                                      @QueryParam("overdue") @Parameter(description = "只看逾期未公示的（true）") Boolean overdue,
                                                      @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return results.search(planId, published, overdue, page, size);
    }

    public record PublishRequest(List<Long> ids) {
    }

    @POST
    @Path("/publish")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_})
    @Operation(summary = "公示检查结果（按编号）", description = "公示后匿名用户可在 /api/v1/public/results 查询（商户名称、统一社会信用代码、事项、日期、结果）。")
    @APIResponse(responseCode = "200", description = "公示了多少条")
    @APIResponse(responseCode = "400", description = "编号有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ResultService.Published publish(PublishRequest request) {
        if (request == null) throw ProblemException.invalidField("ids", "请给出要公示的检查结果编号");
        return results.publish(request.ids(), null, currentUser.actor());
    }
}
