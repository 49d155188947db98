package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.StreetScope;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * The caller and what they may see. SQUAD users are confined to their squad's streets;
 * every other role sees the whole district.
 */
@RequestScoped
public class CurrentUser {

    @Inject
    SecurityIdentity identity;

    @Inject
    SquadDirectory squads;

    private StreetScope scope;

    public String username() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    /** The caller as domain services take it. */
    public Actor actor() {
        return new Actor(username(), scope());
    }

    public StreetScope scope() {
        if (scope == null) {
            scope = resolveScope();
        }
        return scope;
    }

    private StreetScope resolveScope() {
        if (!identity.hasRole(Role.SQUAD_)) {
            return StreetScope.DISTRICT;
        }
        AppUser user = AppUser.findByUsername(username());
        Set<String> streets = user == null || user.squadCode == null ? null : squads.streetsOf(user.squadCode);
        if (streets == null) {
            throw ProblemException.forbidden("该执法队账号未绑定有效的中队，请联系管理员");
        }
        return new StreetScope(user.squadCode, Set.copyOf(streets));
    }
}
