package cn.urbanmgmt.risk.grading.engine;

/** Grading one merchant took longer than the limit; names the rule that used most of the time. */
public class RuleTimeoutException extends RuleFaultException {

    public RuleTimeoutException(String rule, long limitMillis) {
        super(RuleProblem.Kind.TIMEOUT, rule, "评一个商户的等级超过了 " + limitMillis + " 毫秒的时限，已中止；耗时最多的规则是“" + rule
                + "”（请检查它是否做了过多的组合匹配或在结论中做了耗时操作）", null);
    }
}
