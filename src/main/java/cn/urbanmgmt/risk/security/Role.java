package cn.urbanmgmt.risk.security;

/**
 * The roles. String constants are for {@code @RolesAllowed}. AUDITOR (纪检监察 / social supervisors) reads plans,
 * their verify reports and the full candidate files with strata, which the public does not get (docs/double-random.md).
 */
public enum Role {
    ADMIN, PLANNER, RULE_AUTHOR, SQUAD, AUDITOR;

    public static final String ADMIN_ = "ADMIN";
    public static final String PLANNER_ = "PLANNER";
    public static final String RULE_AUTHOR_ = "RULE_AUTHOR";
    public static final String SQUAD_ = "SQUAD";
    public static final String AUDITOR_ = "AUDITOR";
}
