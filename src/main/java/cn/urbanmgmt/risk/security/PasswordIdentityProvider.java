package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.TextRules;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks user name and password (HTTP Basic and form login) against app_user's bcrypt hashes. A
 * bcrypt check costs tens of milliseconds of CPU by design, so an API client sending the same
 * credentials on every request is verified once and then remembered for a minute (keyed by a
 * SHA-256 of the password, never the password itself). Failures are never cached.
 *
 * <p>Hardening: {@link LoginThrottle} locks a name or a client address out after repeated failures;
 * an unknown or disabled user costs the same bcrypt check as a wrong password (against a dummy hash
 * of the same cost), so response times do not tell which user names exist.
 */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    static final long CACHE_MILLIS = 60_000;

    /** Longest user name or password taken (far longer than any account's). */
    public static final int MAX_CREDENTIAL_CHARS = 256;
    private static final String UNUSABLE = "cn.urbanmgmt.risk.unusable-credential";

    /** "username" or "password" when one holds a control character or is over {@value #MAX_CREDENTIAL_CHARS} characters; else null. */
    static String unusable(String username, String password) {
        if (TextRules.formFieldProblem(username, MAX_CREDENTIAL_CHARS, false) != null) return "username";
        if (TextRules.formFieldProblem(password, MAX_CREDENTIAL_CHARS, false) != null) return "password";
        return null;
    }

    /** For a login refused for an unusable user name or password: which one ("username", "password"); else null. */
    public static String unusableField(Throwable failure) {
        return failure instanceof AuthenticationFailedException e && e.getAttribute(UNUSABLE) instanceof String f ? f : null;
    }

    private record Cached(SecurityIdentity identity, long until) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** Checked when the user does not exist, so that an unknown name costs what a known one does. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash(java.util.UUID.randomUUID().toString());

    @Inject
    LoginThrottle throttle;

    @Inject
    AuditChain audit;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        String username = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        String unusable = unusable(username, password);
        if (unusable != null) {
            // No account has such a name or password: refused before the look-up (PostgreSQL refuses U+0000 in
            // text, which used to end as a 500); not counted as a failed login, nothing to audit.
            return Uni.createFrom().failure(new AuthenticationFailedException("unusable " + unusable, Map.of(UNUSABLE, unusable)));
        }
        String address = clientAddress(request);
        try {
            throttle.check(username, address);
        } catch (AuthenticationFailedException e) {
            return context.runBlocking(() -> {
                audit.login(username, address, "LOCKED");
                throw e;
            });
        }
        String key = username + '\u0000' + sha256(password);
        Cached hit = cache.get(key);
        if (hit != null && hit.until() > System.currentTimeMillis()) {
            throttle.succeeded(username); // the right password, remembered: clears the name's failure count
            return Uni.createFrom().item(hit.identity());
        }
        return context.runBlocking(() -> {
            AppUser user = QuarkusTransaction.requiringNew().call(() -> AppUser.findByUsername(username));
            // Always one bcrypt check: unknown users and wrong passwords take the same time.
            boolean matches = BcryptUtil.matches(password, user == null ? DUMMY_HASH : user.passwordHash);
            if (user == null || !user.enabled || !matches) {
                throttle.failed(username, address);
                audit.login(username, address, "FAILED");
                throw new AuthenticationFailedException("invalid credentials");
            }
            throttle.succeeded(username);
            audit.login(username, address, "OK");
            if (user.mustChangePassword && !PasswordChange.allowedWhilePending(rc(request))) {
                // The password an ADMIN reset works for one thing only: choosing a new one.
                throw PasswordChange.requiredException();
            }
            SecurityIdentity identity = identityOf(user);
            if (user.mustChangePassword) return identity;
            if (cache.size() > 10_000) cache.clear();
            cache.put(key, new Cached(identity, System.currentTimeMillis() + CACHE_MILLIS));
            return identity;
        });
    }

    /** The identity of a verified user: its roles, and the squad for SQUAD users. */
    static SecurityIdentity identityOf(AppUser user) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user.username))
                .addRoles(user.roles()).addAttribute("role", user.role).addAttribute("squad", user.squadCode == null ? "" : user.squadCode)
                .addAttribute("displayName", user.displayName == null ? "" : user.displayName).build();
    }

    /** Forgets remembered logins, e.g. after a password or role change. */
    public void forget(String username) {
        cache.keySet().removeIf(k -> k.startsWith(username + '\u0000'));
    }

    private static RoutingContext rc(UsernamePasswordAuthenticationRequest request) {
        return HttpSecurityUtils.getRoutingContextAttribute(request);
    }

    private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
        RoutingContext rc = rc(request);
        if (rc == null || rc.request().remoteAddress() == null) return null;
        return rc.request().remoteAddress().hostAddress();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
