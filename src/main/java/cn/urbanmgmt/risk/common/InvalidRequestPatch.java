package cn.urbanmgmt.risk.common;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Requests that Netty's HTTP decoder refuses (a request line over quarkus.http.limits.max-initial-line-length,
 * headers over quarkus.http.limits.max-header-size, malformed HTTP) never reach the service's routes, and
 * Vert.x answers them with an empty 414/431/400 through a default handler Quarkus offers no way to set. The
 * service ships its own copy of the Vert.x class that installs that default
 * ({@code src/main/java/io/vertx/core/http/impl/HttpServerConnectionHandler.java}, changed only to answer
 * application/problem+json in zh-CN with the limit). This customizer runs just before the HTTP server is
 * created and makes sure that copy is the one Vert.x uses (see {@link ClassPatch}).
 */
@ApplicationScoped
public class InvalidRequestPatch implements HttpServerOptionsCustomizer {

    static final String CLASS = "io.vertx.core.http.impl.HttpServerConnectionHandler";
    /** A method only the service's copy declares. */
    static final String MARK = "problemAnswer";

    private static final Logger LOG = Logger.getLogger(InvalidRequestPatch.class);

    private static volatile String problem = "not applied yet";

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply();
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply();
    }

    static synchronized void apply() {
        problem = ClassPatch.apply(io.vertx.core.http.impl.HttpServerImpl.class, CLASS, type -> ClassPatch.declares(type, MARK));
        if (problem != null) {
            LOG.warnf("Requests refused by the HTTP decoder get Vert.x's empty answer, not problem+json: %s", problem);
        }
    }

    /** Null when the patched handler is in place, else why not (for readiness details and tests). */
    public static String problem() {
        return problem;
    }
}
