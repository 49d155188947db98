package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Enforces quarkus.http.limits.max-body-size with a 413 problem document. Quarkus' own check
 * (route order -2) answers with an empty 413 and cuts the connection, which a client that is
 * still sending sees as a reset. This filter runs just before it: a declared Content-Length over
 * the limit is answered at once and the rest of the body is read and discarded, so the client gets
 * to read the answer. A chunked body (no Content-Length) is collected here up to the limit and
 * handed on as the request body. A console page or form (a browser: a /console address, or a form
 * posted to a page) gets the same refusal as a zh-CN HTML page naming the limit, not JSON.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Beyond this much unread body the connection is closed rather than drained. */
    private static final long MAX_DRAIN = 256L * 1024 * 1024;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        if (maxBodySize.isEmpty()) return;
        long limit = maxBodySize.get().asLongValue();
        Problem problem = problem(limit);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            long declared = declaredLength(ctx.request());
            if (declared > limit) {
                refuse(ctx, problem, declared);
            } else if (declared < 0 && isChunked(ctx.request())) {
                collect(ctx, limit, problem);
            } else {
                ctx.next();
            }
        });
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) return -1;
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Netty refuses malformed lengths before we get here
        }
    }

    private static boolean isChunked(HttpServerRequest request) {
        String te = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    /** Answers 413 before the body is read; the body is then drained (or, if huge or never coming, the connection closed). */
    private void refuse(RoutingContext ctx, Problem problem, long declared) {
        HttpServerRequest request = ctx.request();
        String expect = request.getHeader(HttpHeaders.EXPECT);
        boolean bodyWillFollow = expect == null || !expect.toLowerCase(java.util.Locale.ROOT).contains("100-continue");
        if (bodyWillFollow && declared <= MAX_DRAIN) {
            request.handler(buf -> { }); // read and forget, so that the client can finish sending and read the answer
            request.endHandler(v -> { });
            request.resume();
        } else {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.response().endHandler(v -> request.connection().close());
        }
        send(ctx, problem);
    }

    @SuppressWarnings("deprecation") // setBody is how an already-read body is handed to RESTEasy Reactive
    private void collect(RoutingContext ctx, long limit, Problem problem) {
        HttpServerRequest request = ctx.request();
        Buffer[] body = {Buffer.buffer()};
        long[] seen = {0};
        boolean[] refused = {false};
        request.handler(buf -> {
            seen[0] += buf.length();
            if (refused[0]) {
                if (seen[0] > MAX_DRAIN) request.connection().close();
            } else if (seen[0] > limit) {
                refused[0] = true;
                body[0] = null; // let go of what was collected
                send(ctx, problem);
            } else {
                body[0].appendBuffer(buf);
            }
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                ctx.setBody(body[0]);
                ctx.next();
            }
        });
        request.exceptionHandler(e -> {
            if (!refused[0] && !ctx.response().ended()) ctx.fail(400, e);
        });
        request.resume();
    }

    private void send(RoutingContext ctx, Problem problem) {
        if (isConsole(ctx.request())) {
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8").end(HttpLimits.page(problem));
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Buffer.buffer(body));
    }

    /** A person's browser: a console address, or a form posted to a page (the login form too). */
    static boolean isConsole(HttpServerRequest request) {
        String path = request.path();
        return path != null && (path.equals("/console") || path.startsWith("/console/")) || HttpLimits.isPageForm(request);
    }

    private static Problem problem(long limit) {
        String size = limit % (1024 * 1024) == 0 ? limit / (1024 * 1024) + " MB" : limit + " 字节";
        return Problem.of(413, "上传内容过大", "请求体超过了 " + size + " 的上限，未做任何处理；请压缩照片或拆分文件后分批上传");
    }
}
