package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** Where a complaint came in. */
public enum ComplaintChannel implements Labelled {
    HOTLINE_12345("12345热线"),
    APP("移动应用"),
    OTHER("其他渠道");

    private final String label;

    ComplaintChannel(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
