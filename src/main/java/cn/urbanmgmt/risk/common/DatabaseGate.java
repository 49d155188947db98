package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Fails fast while PostgreSQL is unreachable. The first request that meets the outage (a connection
 * that cannot be made or broke) marks the database down; from then on every request that needs it
 * is answered at once with 503 application/problem+json and {@code Retry-After}, instead of each
 * waiting for its own connection attempt. A probe tries one connection every second and opens the
 * gate again as soon as the database answers: recovery needs no restart. Readiness
 * (/q/health/ready, Agroal's datasource check) is DOWN meanwhile.
 */
@ApplicationScoped
public class DatabaseGate {

    private static final Logger LOG = Logger.getLogger(DatabaseGate.class);
    /** Seconds a client is asked to wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final AtomicLong downSince = new AtomicLong();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    public boolean isDown() {
        return downSince.get() != 0;
    }

    public void markDown(Throwable cause) {
        if (downSince.compareAndSet(0, System.currentTimeMillis())) {
            LOG.warnf("Database unavailable, answering 503 until it is back: %s", cause == null ? "" : rootMessage(cause));
        }
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        if (!isDown()) return;
        try {
            dataSource.flush(AgroalDataSource.FlushMode.INVALID);
            try (Connection c = dataSource.getConnection()) {
                if (c.isValid(2)) {
                    long since = downSince.getAndSet(0);
                    LOG.infof("Database available again after %d ms", System.currentTimeMillis() - since);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // still down
        }
    }

    void install(@Observes Router router) {
        // After HttpLimits, before the body is read and before anything touches the database.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::gate);
    }

    private void gate(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (isDown() && path != null && (path.startsWith("/api/") || path.startsWith("/console") || path.equals("/login")
                || path.equals("/j_security_check"))) {
            ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                    .end(Buffer.buffer(problemBytes()));
            return;
        }
        ctx.next();
    }

    public static Problem problem() {
        return Problem.of(503, "数据库暂时不可用", "数据库暂时无法连接，本次请求未做任何处理；请 " + RETRY_AFTER_SECONDS
                + " 秒后重试，如持续出现请联系管理员");
    }

    private byte[] problemBytes() {
        try {
            return json.writeValueAsBytes(problem());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a failure means the database cannot be reached (rather than a bad statement): a
     * connection that could not be made or obtained from the pool, or one that broke (SQLState class 08,
     * or 57P01-57P03: the server is shutting down or starting).
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return true;
                String m = String.valueOf(s.getMessage());
                if (m.contains("acquisition timeout") || m.contains("Connection refused") || m.contains("This connection has been closed")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException) return true;
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
