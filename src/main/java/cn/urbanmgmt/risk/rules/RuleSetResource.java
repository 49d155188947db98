package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every rule kind's authoring loop at one path, /api/v1/rule-sets/{kind} (grading, sampling); an
 * unknown kind is a 404. Request scoped for the {kind} field; the endpoints are those of
 * {@link RuleSetEndpoints}. The old paths /api/v1/rules and /api/v1/inspection/sampling-rules are
 * aliases of it.
 */
@Path("/api/v1/rule-sets/{kind}")
@RequestScoped
@Tag(name = "规则集 (rule sets)", description = "风险分级规则（grading）和抽查规则（sampling）的编写、审核、模拟、启用和回滚；"
        + "/api/v1/rules 和 /api/v1/inspection/sampling-rules 是 grading 和 sampling 的旧路径（别名）")
@RolesAllowed({Role.ADMIN_, Role.PLANNER_, Role.RULE_AUTHOR_, Role.REVIEWER_})
@APIResponse(responseCode = "401", description = "未登录", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "角色无权", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RuleSetResource extends RuleSetEndpoints<ScenarioOutcome> {

    /** The path of every kind's API, followed by {@link RuleKind#pathName()}. */
    public static final String BASE = "/api/v1/rule-sets/";

    /** The kind's name; documented by {@link RuleSetOpenApiFilter}. */
    @PathParam("kind")
    String kindName;

    @Inject
    RuleKinds kinds;

    /** Any kind: its scenario outcomes are read (serialised) only, never written, so seeing them as ScenarioOutcome is safe. */
    @Override
    @SuppressWarnings("unchecked")
    protected RuleKind<?, ScenarioOutcome> kind() {
        return (RuleKind<?, ScenarioOutcome>) kinds.byPathName(kindName);
    }
}
