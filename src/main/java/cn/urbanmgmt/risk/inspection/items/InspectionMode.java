package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.common.Labelled;

/** How an item is checked: by officers on site, or from camera and other non-site evidence (非现场). */
public enum InspectionMode implements Labelled {
    ON_SITE("现场检查"),
    NON_SITE("非现场检查");

    private final String label;

    InspectionMode(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
