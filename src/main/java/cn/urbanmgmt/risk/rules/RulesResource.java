package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The old path of the grading rules: an alias of /api/v1/rule-sets/grading (same endpoints, same code). */
@Path("/api/v1/rules")
@Tag(name = "规则编写 (rule authoring)", description = "旧路径，等同于 /api/v1/rule-sets/grading")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RulesResource extends RuleSetEndpoints<ScenarioRunner.Result> {

    @Inject
    GradingRuleKind grading;

    @Override
    protected RuleKind<?, ScenarioRunner.Result> kind() {
        return grading;
    }
}
