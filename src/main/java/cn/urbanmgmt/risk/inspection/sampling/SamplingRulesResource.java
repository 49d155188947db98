package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.RuleSetEndpoints;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The old path of the sampling rules: an alias of /api/v1/rule-sets/sampling (same endpoints, same code). */
@Path(SamplingRuleKind.API)
@Tag(name = "抽查规则 (sampling rules)", description = "旧路径，等同于 /api/v1/rule-sets/sampling")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
public class SamplingRulesResource extends RuleSetEndpoints {

    @Inject
    SamplingRuleKind sampling;

    @Override
    protected RuleKind<?, ?> kind() {
        return sampling;
    }
}
