package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.security.Role;

/**
 * The signed-in person as the console shows them, and which parts of the console their role opens.
 * Built from the security identity alone, so error pages can show it without a database call.
 */
public record Viewer(String username, String displayName, String role, String squadName) {

    public String roleName() {
        return switch (role) {
            case Role.ADMIN_ -> "系统管理员";
            case Role.PLANNER_ -> "抽查计划员";
            case Role.RULE_AUTHOR_ -> "规则编写员";
            case Role.SQUAD_ -> "执法队";
            case Role.AUDITOR_ -> "纪检监察（审计）";
            case Role.REVIEWER_ -> "法制审核";
            case Role.CREDIT_ -> "信用管理";
            default -> role;
        };
    }

    public boolean isSquad() {
        return Role.SQUAD_.equals(role);
    }

    /** Rule pages and full regrades: the same roles as POST /api/v1/grading/regrade. */
    public boolean canManageRules() {
        return Role.ADMIN_.equals(role) || Role.RULE_AUTHOR_.equals(role);
    }

    /** Job progress: the same roles as GET /api/v1/jobs. */
    public boolean canSeeJobs() {
        return !isSquad();
    }

    /** 抽查计划 pages: the same roles as POST /api/v1/inspection/plans. */
    public boolean canPlan() {
        return Role.ADMIN_.equals(role) || Role.PLANNER_.equals(role);
    }

    /** 检查任务 in the menu: squads carry out visits (administrators may record for them). */
    public boolean canSeeVisits() {
        return Role.ADMIN_.equals(role) || isSquad();
    }

    /** 账号管理: the same role as /api/v1/users. */
    public boolean canManageUsers() {
        return Role.ADMIN_.equals(role);
    }

    /** 办公: registry, inspectors, items and events are entered by these roles (the API's roles for those writes). */
    public boolean canUseOffice() {
        return Role.ADMIN_.equals(role) || Role.PLANNER_.equals(role) || isSquad() || Role.CREDIT_.equals(role);
    }

    /** Registering and editing merchants: the same roles as POST /api/v1/merchants. */
    public boolean canEditMerchants() {
        return Role.ADMIN_.equals(role) || Role.PLANNER_.equals(role) || isSquad();
    }

    /** Entering events: the same roles as POST /api/v1/events (EventPermissions decides the types). */
    public boolean canEnterEvents() {
        return canUseOffice();
    }

    /** Recording a visit's result: the same roles as POST /api/v1/inspection/visits/{id}/result. */
    public boolean canRecordResults() {
        return Role.ADMIN_.equals(role) || isSquad();
    }
}
