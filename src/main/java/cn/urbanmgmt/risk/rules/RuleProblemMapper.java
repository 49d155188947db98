package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused rule set leaves the API as application/problem+json, status 422, with every problem placed. */
public class RuleProblemMapper {

    @ServerExceptionMapper
    public Response rejected(RuleSetRejectedException e) {
        List<Problem.FieldError> errors = e.problems().stream().filter(RuleProblem::isError)
                .map(p -> new Problem.FieldError(p.line(), p.file(), p.rule(), p.message())).toList();
        var body = new RuleSetRejectedException.Body("about:blank", "规则集未通过检查", 422, e.getMessage(), e.version(), errors, e.problems());
        return Response.status(422).type(Problem.PROBLEM_JSON).entity(body).build();
    }
}
