package cn.urbanmgmt.risk.grading.engine;

/** A rule kept firing past the limit for one merchant: almost always a rule that re-triggers itself. */
public class RuleLoopException extends RuntimeException {
    private final String rule;

    public RuleLoopException(String rule, int firings) {
        super("规则“" + rule + "”对同一商户触发超过 " + firings + " 次，疑似死循环（例如在结论中修改了自身条件所依赖的事实）");
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
