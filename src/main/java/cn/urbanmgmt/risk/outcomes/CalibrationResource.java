package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/calibration")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "回测与成效 (backtest and outcomes)")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
@APIResponse(responseCode = "400", description = "目标分布有误", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class CalibrationResource {

    @Inject
    CalibrationService calibration;

    @Inject
    CurrentUser currentUser;

    public record CalibrationRequest(@Schema(description = "目标分布（%），如 GREEN:90,YELLOW:8,RED:2（也可写 绿/黄/红），合计 100") String target,
                                     @Schema(description = "生成候选版本时的说明（可选）") String comment) {
    }

    @POST
    @Path("/preview")
    @Operation(summary = "分数线校准（只计算）：按今天名录库的分数，给出使各等级占比最接近目标的黄色、红色分数线，以及由此引起的等级变化矩阵",
            description = "保底等级（如严重失信、半年内严重案件）保持不变。不改变任何东西。定义见 docs/outcomes.md。")
    public CalibrationService.Result preview(CalibrationRequest request) {
        return calibration.calibrate(request == null ? null : request.target(), false, null, currentUser.username());
    }

    @POST
    @Path("/candidate")
    @RolesAllowed(Role.RULE_AUTHOR_)
    @Operation(summary = "分数线校准并生成候选版本：生效规则只改分数线，保存为候选版本（不会启用）",
            description = "候选版本随后照常校验、测试、模拟、回测，再提交启用。")
    @APIResponse(responseCode = "201", description = "结果与候选版本（candidate）")
    @APIResponse(responseCode = "409", description = "没有生效规则、没有已评级商户，或规则中分数线写法无法自动修改", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response candidate(CalibrationRequest request) {
        CalibrationService.Result r = calibration.calibrate(request == null ? null : request.target(), true, request == null ? null : request.comment(),
                currentUser.username());
        return Response.status(r.candidate().created() ? 201 : 200).entity(r).build();
    }
}
