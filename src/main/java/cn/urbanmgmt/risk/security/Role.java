package cn.urbanmgmt.risk.security;

/** The four roles. String constants are for {@code @RolesAllowed}. */
public enum Role {
    ADMIN, PLANNER, RULE_AUTHOR, SQUAD;

    public static final String ADMIN_ = "ADMIN";
    public static final String PLANNER_ = "PLANNER";
    public static final String RULE_AUTHOR_ = "RULE_AUTHOR";
    public static final String SQUAD_ = "SQUAD";
}
