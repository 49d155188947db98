package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.CurrentUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inspection/sampling-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "抽查规则 (sampling rules)")
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SamplingRulesResource {

    @Inject
    SamplingEngine engine;

    @Inject
    CurrentUser currentUser;

    public record Active(String version, List<String> rules, java.util.Map<String, String> files, String degradedReason) {
    }

    @GET
    @Path("/active")
    @RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_})
    @Operation(summary = "当前生效的抽查规则（版本、规则名、文件内容）")
    @APIResponse(responseCode = "200", description = "生效的规则")
    @APIResponse(responseCode = "503", description = "抽查规则不可用", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Active active() {
        SamplingRules r = engine.active();
        return new Active(r.version(), r.ruleNames(), r.source().files(), engine.degradedReason());
    }

    @POST
    @Path("/reload")
    @RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_})
    @Operation(summary = "重新读取 rules/sampling 并编译；无错误时立即生效", description = "有错误时返回 400 及文件、行号，原规则继续生效。改规则后可用生成计划的 dryRun=true 预览各分层数量。")
    @APIResponse(responseCode = "200", description = "已生效")
    @APIResponse(responseCode = "400", description = "规则有错误，未生效")
    public Response reload() {
        SamplingEngine.CompileReport r = engine.reload(currentUser.username());
        if (!r.ok()) {
            throw cn.urbanmgmt.risk.common.ProblemException.validation("抽查规则有错误，未生效（原规则继续生效）：" + SamplingEngine.describe(r.problems()),
                    r.problems().stream().filter(p -> p.level() == cn.urbanmgmt.risk.grading.engine.RuleProblem.Level.ERROR)
                            .map(p -> new Problem.FieldError(p.line(), p.file() == null ? "rules/sampling" : p.file(), p.rule(), p.message())).toList());
        }
        return Response.ok(r).build();
    }
}
