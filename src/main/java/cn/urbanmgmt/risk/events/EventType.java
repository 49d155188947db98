package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** What happened to a merchant. */
public enum EventType implements Labelled {
    CASE("案件"),
    COMPLAINT("投诉工单"),
    INSPECTION("检查结果"),
    CREDIT("信用记录"),
    DETECTION("非现场执法发现");

    private final String label;

    EventType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
