package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.Labelled;

/**
 * The roles. String constants are for {@code @RolesAllowed}. A user has a main role (SQUAD users
 * are bound to a squad) and may hold further roles, e.g. PLANNER and REVIEWER.
 */
public enum Role implements Labelled {
    ADMIN("系统管理员"), PLANNER("抽查计划员"), RULE_AUTHOR("规则编写员"), SQUAD("执法队员"),
    /** 法制审核: reviews and approves what one person must not do alone. */
    REVIEWER("法制审核"),
    /** 信用管理: lists merchants on, and repairs them off, credit lists. */
    CREDIT("信用管理"),
    /**
     * 纪检监察 / social supervisors: read plans, their verify reports and the full candidate files with
     * strata, which the public does not get (docs/double-random.md); change nothing.
     */
    AUDITOR("纪检监察（审计）");

    public static final String ADMIN_ = "ADMIN";
    public static final String PLANNER_ = "PLANNER";
    public static final String RULE_AUTHOR_ = "RULE_AUTHOR";
    public static final String SQUAD_ = "SQUAD";
    public static final String REVIEWER_ = "REVIEWER";
    public static final String CREDIT_ = "CREDIT";
    public static final String AUDITOR_ = "AUDITOR";

    private final String label;

    Role(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
