package cn.urbanmgmt.risk.common;

import java.util.Set;

/** The streets a caller may see: a squad's streets, or ({@code streets == null}) the whole district. */
public record StreetScope(String squadCode, Set<String> streets) {
    public static final StreetScope DISTRICT = new StreetScope(null, null);

    public boolean isDistrict() {
        return streets == null;
    }

    public boolean covers(String streetCode) {
        return streets == null || streets.contains(streetCode);
    }
}
