package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.RuleSetEndpoints;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The old path of the sampling rules: an alias of /api/v1/rule-sets/sampling (same endpoints, same code). */
@Path(SamplingRuleKind.API)
@Tag(name = "抽查规则 (sampling rules)", description = "旧路径，等同于 /api/v1/rule-sets/sampling")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SamplingRulesResource extends RuleSetEndpoints<SamplingScenarioRunner.SamplingScenarioResult> {

    @Inject
    SamplingRuleKind sampling;

    @Override
    protected RuleKind<?, SamplingScenarioRunner.SamplingScenarioResult> kind() {
        return sampling;
    }
}
