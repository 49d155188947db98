package cn.urbanmgmt.risk.common;

/** Who is acting and what part of the district they may touch; passed to domain services. */
public record Actor(String username, StreetScope scope) {

    public static Actor system(String name) {
        return new Actor(name, StreetScope.DISTRICT);
    }
}
