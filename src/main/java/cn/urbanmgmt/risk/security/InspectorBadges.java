package cn.urbanmgmt.risk.security;

/**
 * The inspector (检查人员 register, inspection) behind an account's badge number, shown with the account.
 * Implemented by the inspection module, which keeps the register.
 */
public interface InspectorBadges {

    /** The id of the inspector with this badge number, or null when there is none. */
    Long inspectorIdOf(String badgeNo);
}
