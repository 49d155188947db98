package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.engine.RuleLoopException;

/** The rules failed for one merchant: names the merchant and, where known, the rule. */
public class GradingFailedException extends RuntimeException {

    private final long merchantId;
    private final String uscc;

    public GradingFailedException(long merchantId, String uscc, RuntimeException cause) {
        super("评级商户 " + uscc + "（编号 " + merchantId + "）时规则执行失败：" + describe(cause), cause);
        this.merchantId = merchantId;
        this.uscc = uscc;
    }

    public long merchantId() {
        return merchantId;
    }

    public String uscc() {
        return uscc;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof RuleLoopException) return e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : "：" + root.getMessage());
    }
}
