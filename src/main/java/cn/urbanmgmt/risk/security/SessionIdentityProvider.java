package cn.urbanmgmt.risk.security;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Web-console sessions: form login's encrypted cookie names a user whose password was checked at
 * login; each request rebuilds the identity from app_user, so a disabled account or a changed role
 * takes effect at once instead of when the cookie expires.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            AppUser user = QuarkusTransaction.requiringNew().call(() -> AppUser.findByUsername(request.getPrincipal()));
            if (user == null || !user.enabled) {
                throw new AuthenticationFailedException("session of an unknown or disabled user");
            }
            if (user.mustChangePassword) {
                throw PasswordChange.requiredException();
            }
            return PasswordIdentityProvider.identityOf(user);
        });
    }
}
