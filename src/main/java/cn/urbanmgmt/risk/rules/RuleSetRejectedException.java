package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A candidate was refused (it does not compile, a rule loops, a scenario fails): nothing changed.
 * Sent as application/problem+json with status 422, the usual {@code errors} (file as field, line,
 * rule as value) and, as an extension member, the full {@code problems} with column, rule and kind.
 */
public class RuleSetRejectedException extends RuntimeException {

    private final String version;
    private final List<RuleProblem> problems;

    public RuleSetRejectedException(String version, String detail, List<RuleProblem> problems) {
        super(detail);
        this.version = version;
        this.problems = problems;
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    /** RFC 9457 document with the rule problems as an extension member. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String type, String title, int status, String detail, String version, List<Problem.FieldError> errors,
                       List<RuleProblem> problems) {
    }

    String version() {
        return version;
    }
}
