package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** Device that detected a violation without an officer on site. */
public enum DetectionSource implements Labelled {
    CAMERA("视频监控"),
    BODY_CAMERA("执法记录仪");

    private final String label;

    DetectionSource(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
