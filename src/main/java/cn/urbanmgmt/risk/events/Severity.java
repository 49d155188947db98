package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** Severity of a case. */
public enum Severity implements Labelled {
    MINOR("轻微"),
    ORDINARY("一般"),
    SERIOUS("严重");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
