package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/grades")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "风险等级 (grades)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class GradeResource {

    @Inject
    GradeQueryService queries;

    @Inject
    CurrentUser currentUser;


    @GET
    @Path("/distribution")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "风险等级分布（数量和占比%，按街镇或行业）", description = "不含已关闭商户；执法队只统计本辖区。")
    @APIResponse(responseCode = "200", description = "分布")
    public GradeQueryService.Distribution distribution(@QueryParam("by") @Parameter(description = "street（默认）或 category") String by,
                                                       @QueryParam("street") String street, @QueryParam("category") String category) {
        return queries.distribution(by, street, category, currentUser.actor());
    }

    @GET
    @Path("/trend")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.SQUAD_})
    @Operation(summary = "风险等级分布随时间的变化（每次全量评级后记录一次）")
    @APIResponse(responseCode = "200", description = "按日期的分布")
    public List<GradeQueryService.TrendPoint> trend(@QueryParam("from") @Parameter(description = "yyyy-MM-dd，默认 90 天前") String from,
                                                    @QueryParam("to") @Parameter(description = "yyyy-MM-dd，默认今天") String to) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        return queries.trend(date("from", from, today.minusDays(90)), date("to", to, today), currentUser.actor());
    }

    static LocalDate date(String field, String text, LocalDate fallback) {
        if (text == null || text.isBlank()) return fallback;
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "日期“" + text + "”格式不正确，应为 yyyy-MM-dd");
        }
    }
}
