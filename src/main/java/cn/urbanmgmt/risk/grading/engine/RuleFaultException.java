package cn.urbanmgmt.risk.grading.engine;

/**
 * A rule failed while grading one merchant: it looped, ran too long or threw. Names the rule so
 * that validation, tests and simulations can point the author at it.
 */
public class RuleFaultException extends RuntimeException {
    private final String rule;
    private final RuleProblem.Kind kind;

    public RuleFaultException(RuleProblem.Kind kind, String rule, String message, Throwable cause) {
        super(message, cause);
        this.rule = rule;
        this.kind = kind;
    }

    public String rule() {
        return rule;
    }

    public RuleProblem.Kind kind() {
        return kind;
    }
}
