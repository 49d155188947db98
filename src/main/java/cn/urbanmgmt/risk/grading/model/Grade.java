package cn.urbanmgmt.risk.grading.model;

/** Risk colour grade, lowest first. */
public enum Grade {
    GREEN("绿", "低风险"),
    YELLOW("黄", "中风险"),
    RED("红", "高风险");

    private final String colour;
    private final String label;

    Grade(String colour, String label) {
        this.colour = colour;
        this.label = label;
    }

    public String colour() {
        return colour;
    }

    public String label() {
        return label;
    }

    public Grade atLeast(Grade other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
