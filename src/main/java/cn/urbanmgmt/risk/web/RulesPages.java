package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.security.Role;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 规则管理, read-only for now: the active rule set (as GET /api/v1/grading/rules/active) with its DRL
 * files in the editor component. Editing, validation, scenarios, simulation, activation, rollback
 * and diff come with the rule-authoring API.
 */
@CsrfProtected
@Path("/console/rules")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Role.ADMIN_, Role.RULE_AUTHOR_})
public class RulesPages {

    @Inject
    Console console;

    @Inject
    PageErrors errors;

    @Inject
    @Location("rules.html")
    Template rules;

    @Inject
    RuleSetService ruleSets;

    public record DrlFile(String name, String text, int lines) {
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance rules() {
        CompiledRules active = ruleSets.active();
        List<DrlFile> files = active.source().files().entrySet().stream()
                .map(e -> new DrlFile(e.getKey(), e.getValue(), (int) e.getValue().lines().count())).toList();
        return console.page(rules, "rules")
                .data("version", active.version())
                .data("ruleNames", active.ruleNames())
                .data("files", files)
                .data("degraded", ruleSets.degradedReason());
    }

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        return errors.problem(e);
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        return errors.forbidden();
    }

    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e) {
        return errors.unauthorized();
    }
}
