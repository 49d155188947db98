package cn.urbanmgmt.risk.security;

import java.time.OffsetDateTime;
import java.util.List;

/** An account as the user API shows it (never the password hash). */
public record UserView(long id, String username, String displayName, String badgeNo, List<String> roles, String squad,
                       boolean enabled, boolean mustChangePassword, Long inspectorId, OffsetDateTime updatedAt, String updatedBy) {

    static UserView of(AppUser u, Long inspectorId) {
        return new UserView(u.id, u.username, u.displayName, u.badgeNo, List.copyOf(u.roles()), u.squadCode, u.enabled,
                u.mustChangePassword, inspectorId, u.updatedAt, u.updatedBy);
    }
}
