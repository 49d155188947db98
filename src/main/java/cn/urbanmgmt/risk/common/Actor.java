package cn.urbanmgmt.risk.common;

import cn.urbanmgmt.risk.security.CurrentUser;

/** Who is acting and what part of the district they may touch; passed to domain services. */
public record Actor(String username, CurrentUser.Scope scope) {

    public static Actor system(String name) {
        return new Actor(name, CurrentUser.Scope.DISTRICT);
    }
}
