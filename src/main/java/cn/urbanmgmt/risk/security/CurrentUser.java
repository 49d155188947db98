package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.registry.Squad;
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

    private Scope scope;

    public String username() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    /** The caller as domain services take it. */
    public cn.urbanmgmt.risk.common.Actor actor() {
        return new cn.urbanmgmt.risk.common.Actor(username(), scope());
    }

    public Scope scope() {
        if (scope == null) {
            scope = resolveScope();
        }
        return scope;
    }

    private Scope resolveScope() {
        if (!identity.hasRole(Role.SQUAD_)) {
            return Scope.DISTRICT;
        }
        AppUser user = AppUser.findByUsername(username());
        Squad squad = user == null || user.squadCode == null ? null : Squad.findById(user.squadCode);
        if (squad == null) {
            throw ProblemException.forbidden("该执法队账号未绑定有效的中队，请联系管理员");
        }
        return new Scope(squad.code, Set.copyOf(squad.streetCodes));
    }

    /** Streets the caller may see; {@code streets == null} means all of them. */
    public record Scope(String squadCode, Set<String> streets) {
        public static final Scope DISTRICT = new Scope(null, null);

        public boolean isDistrict() {
            return streets == null;
        }

        public boolean covers(String streetCode) {
            return streets == null || streets.contains(streetCode);
        }
    }
}
