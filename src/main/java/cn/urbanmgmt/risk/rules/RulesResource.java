package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The old path of the grading rules: an alias of /api/v1/rule-sets/grading (same endpoints, same code). */
@Path("/api/v1/rules")
@Tag(name = "规则编写 (rule authoring)", description = "旧路径，等同于 /api/v1/rule-sets/grading")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
public class RulesResource extends RuleSetEndpoints {

    @Inject
    GradingRuleKind grading;

    @Override
    protected RuleKind<?, ?> kind() {
        return grading;
    }
}
