package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** A change to the merchant's credit standing. */
public enum CreditAction implements Labelled {
    LISTED("列入严重失信名单"),
    DELISTED("移出严重失信名单"),
    REPAIRED("信用修复");

    private final String label;

    CreditAction(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
