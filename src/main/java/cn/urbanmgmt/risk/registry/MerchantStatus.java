package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Labelled;

public enum MerchantStatus implements Labelled {
    OPERATING("营业"),
    SUSPENDED("停业"),
    CLOSED("关闭");

    private final String label;

    MerchantStatus(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
