package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Labelled;

/** Business category (行业类别) of a street-front merchant. */
public enum MerchantCategory implements Labelled {
    CATERING("餐饮"),
    RETAIL("零售"),
    HOTEL("住宿"),
    MEDICAL("医疗"),
    ENTERTAINMENT("娱乐"),
    EDUCATION("教育培训"),
    TRANSPORT_HUB("交通枢纽"),
    MARKET("集贸市场"),
    SERVICE("生活服务"),
    OTHER("其他");

    private final String label;

    MerchantCategory(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
