package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.security.LoginLock;
import cn.urbanmgmt.risk.security.PasswordChange;
import cn.urbanmgmt.risk.security.PasswordIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The login form posts to Quarkus' form-authentication endpoint, a Vert.x route that the console's
 * CSRF filter (a REST filter) never sees. The login page puts the CSRF token in the form's action
 * URL; this route checks it against the CSRF cookie before authentication runs (double-submit
 * cookie, as {@link CsrfFilter} does for the other forms). It also turns a failed login into the
 * login page with an error message (a lock-out after too many failures with its own message).
 */
@ApplicationScoped
public class LoginCsrfCheck {

    @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check")
    String postLocation;

    @ConfigProperty(name = "quarkus.http.auth.form.error-page", defaultValue = "/login?error=true")
    String errorPage;

    void install(@Observes Router router) {
        // Right after the body handler and before the authentication handlers.
        router.route(HttpMethod.POST, postLocation).order(Integer.MIN_VALUE + 2).handler(rc -> {
            Cookie cookie = rc.request().getCookie(CsrfToken.COOKIE);
            String sent = rc.request().getParam(CsrfToken.FIELD);
            if (cookie == null || sent == null || !MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8),
                    sent.getBytes(StandardCharsets.UTF_8))) {
                rc.response().setStatusCode(303).putHeader("Location", "/login?csrf=true").end();
                return;
            }
            rc.next();
        }).failureHandler(rc -> {
            // A wrong password: back to the login form. Without this, the failure would reach the
            // API's exception mappers and end as Basic's 401 problem+json.
            LoginLock locked = LoginLock.of(rc.failure());
            if (locked != null) {
                rc.response().setStatusCode(302).putHeader("Location", "/login?locked=" + locked.retryAfterMinutes()).end();
                return;
            }
            if (PasswordChange.required(rc.failure())) {
                rc.response().setStatusCode(302).putHeader("Location", "/login?change=true").end();
                return;
            }
            String unusable = PasswordIdentityProvider.unusableField(rc.failure());
            if (unusable != null) {
                // A control character or an oversized value: said on the login form, naming the field.
                rc.response().setStatusCode(303).putHeader("Location", "/login?invalid=" + unusable).end();
                return;
            }
            if (rc.failure() instanceof AuthenticationFailedException) {
                rc.response().setStatusCode(302).putHeader("Location", errorPage).end();
                return;
            }
            rc.next();
        });
    }
}
