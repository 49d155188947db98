package cn.urbanmgmt.risk.grading.engine;

/** A rule kept firing past the limit for one merchant: almost always a rule that re-triggers itself. */
public class RuleLoopException extends RuleFaultException {

    public RuleLoopException(String rule, int firings) {
        super(RuleProblem.Kind.LOOP, rule, "规则“" + rule + "”对同一商户触发了 " + firings
                + " 次，疑似死循环（例如在结论中用 update/modify/insert 修改了自身条件所依赖的事实）", null);
    }
}
