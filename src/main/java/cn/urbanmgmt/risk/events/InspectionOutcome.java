package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** Outcome of an inspection (检查结果). */
public enum InspectionOutcome implements Labelled {
    NO_PROBLEM("未发现问题"),
    RECTIFIED_ON_SPOT("当场整改"),
    ORDERED_TO_RECTIFY("责令限期整改"),
    CASE_OPENED("立案查处"),
    NOT_FOUND("未找到商户");

    private final String label;

    InspectionOutcome(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
