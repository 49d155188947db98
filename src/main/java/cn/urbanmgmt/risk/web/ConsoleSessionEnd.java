package cn.urbanmgmt.risk.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;

/**
 * An htmx request (header {@code HX-Request}) to /console after the session ended: the form login answers
 * with a redirect to the login page, which the XMLHttpRequest would follow and htmx would swap the login
 * page into a fragment (or do nothing visible). Instead the answer becomes {@code HX-Redirect:
 * /login?expired=true}, so the whole page goes to the login page with a zh-CN note, and after login the
 * officer comes back to the page they were on ({@code HX-Current-URL}), not to the fragment's address.
 */
@ApplicationScoped
public class ConsoleSessionEnd {

    static final String LOGIN = "/login?expired=true";
    static final String LOCATION_COOKIE = "quarkus-redirect-location";

    void install(@Observes Router router) {
        router.route("/console/*").order(Integer.MIN_VALUE + 3).handler(rc -> {
            if (rc.request().getHeader("HX-Request") != null) rc.addHeadersEndHandler(v -> toHtmxRedirect(rc));
            rc.next();
        });
    }

    private static void toHtmxRedirect(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        String location = response.headers().get("Location");
        if (response.getStatusCode() != 302 || location == null || !location.contains("/login")) return;
        response.setStatusCode(200);
        response.headers().remove("Location");
        response.headers().set("HX-Redirect", LOGIN);
        String page = rc.request().getHeader("HX-Current-URL");
        if (page != null && sameOrigin(page, rc.request().absoluteURI())) {
            response.addCookie(Cookie.cookie(LOCATION_COOKIE, page).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(rc.request().isSSL()));
        }
    }

    private static boolean sameOrigin(String a, String b) {
        try {
            URI x = URI.create(a);
            URI y = URI.create(b);
            return x.getHost() != null && x.getHost().equals(y.getHost()) && x.getPort() == y.getPort()
                    && x.getPath() != null && x.getPath().startsWith("/console");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
