package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Labelled;

/** Garbage-sorting key places (垃圾分类重点单位), checked weekly. */
public enum KeyUnitType implements Labelled {
    STAR_HOTEL("星级宾馆"),
    MEDICAL_INSTITUTION("医疗机构"),
    RESTAURANT("餐饮单位"),
    TRANSPORT_HUB("交通枢纽");

    private final String label;

    KeyUnitType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
