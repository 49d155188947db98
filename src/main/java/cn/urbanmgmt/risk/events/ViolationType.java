package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Labelled;

/** Violation type of a case (案件违法类型). */
public enum ViolationType implements Labelled {
    UNLICENSED("无照经营"),
    STREET_OCCUPATION("跨门营业/占道经营"),
    GARBAGE_SORTING("垃圾分类违规"),
    ILLEGAL_SIGN("违法户外招牌"),
    CONSTRUCTION_NUISANCE("施工扰民"),
    NOISE("噪声扰民"),
    OTHER("其他");

    private final String label;

    ViolationType(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
