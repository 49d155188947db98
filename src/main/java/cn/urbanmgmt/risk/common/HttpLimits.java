package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.TooLongFrameException;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Oversized or malformed requests get an application/problem+json answer that states the limit,
 * also when they are refused below the REST layer:
 * <ul>
 * <li>a request URI longer than {@code app.http.max-uri-length} characters: 414;</li>
 * <li>request headers larger than {@code app.http.max-header-size} bytes in all: 431;</li>
 * <li>failures of the HTTP layer (a form field over quarkus.http.limits.max-form-attribute-size,
 *     a body that cannot be decoded, ...): their 4xx status as a problem document.</li>
 * </ul>
 * Netty's own decoder limits (quarkus.http.limits.max-initial-line-length and max-header-size) are
 * set well above these, so that it is this check that a client meets; a request beyond Netty's limits
 * is answered by the decoder's own handler, also as a problem document ({@link InvalidRequestPatch}).
 */
@ApplicationScoped
public class HttpLimits {

    private static final Logger LOG = Logger.getLogger(HttpLimits.class);

    @ConfigProperty(name = "app.http.max-uri-length", defaultValue = "8192")
    int maxUriLength;

    @ConfigProperty(name = "app.http.max-header-size", defaultValue = "20480")
    int maxHeaderSize;

    @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size")
    io.quarkus.runtime.configuration.MemorySize maxFormAttribute;

    @Inject
    ObjectMapper json;

    @Inject
    DatabaseGate databaseGate;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkSizes).failureHandler(this::failure);
    }

    private void checkSizes(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String uri = request.uri();
        if (uri != null && uri.length() > maxUriLength) {
            refuse(ctx, Problem.of(414, "请求地址过长", "请求地址（含查询参数）有 " + uri.length() + " 个字符，超过了 " + maxUriLength
                    + " 个字符的上限；请缩短参数，大量数据请放在请求体中提交"));
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderSize) {
            refuse(ctx, Problem.of(431, "请求头过大", "请求头共 " + headerBytes + " 字节，超过了 " + maxHeaderSize
                    + " 字节的上限；请删除多余的请求头或 Cookie 后重试"));
            return;
        }
        ctx.next();
    }

    /** Failures below the REST layer: a problem document for client errors; security failures go on to their handlers. */
    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (!ctx.response().ended() && !ctx.response().headWritten() && DatabaseGate.isUnavailable(failure)) {
            // e.g. the user look-up of a login while PostgreSQL is down: not a wrong password
            databaseGate.markDown(failure);
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseGate.RETRY_AFTER_SECONDS));
            refuse(ctx, DatabaseGate.problem());
            return;
        }
        if (ctx.response().ended() || ctx.response().headWritten() || failure instanceof AuthenticationException
                || failure instanceof UnauthorizedException || failure instanceof ForbiddenException
                || (failure != null && failure.getClass().getName().contains(".security."))) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        String message = failure == null ? "" : String.valueOf(failure.getMessage());
        if (failure instanceof TooLongFrameException || message.contains("Size exceed allowed maximum capacity")
                || message.contains("exceeds the maximum")) {
            status = 413;
        }
        Problem p;
        switch (status) {
            case 413 -> p = tooLarge();
            case 400 -> p = Problem.of(400, "请求有误", "请求格式有误，无法解析：请检查请求的编码、内容类型与内容");
            case 404 -> p = Problem.of(404, "未找到", "请求的资源不存在");
            case 405 -> p = Problem.of(405, "不支持的请求方法", "该地址不支持此请求方法");
            case 414, 431 -> p = Problem.of(status, status == 414 ? "请求地址过长" : "请求头过大", "请求地址或请求头超过了上限");
            default -> {
                if (status >= 400 && status < 500) {
                    p = Problem.of(status, "请求有误", "请求有误，无法处理（HTTP " + status + "）");
                } else {
                    if (failure != null && (failure.getClass().getName().contains("Closed") || message.contains("Connection was closed"))) {
                        ctx.next(); // the client went away: nothing to answer
                        return;
                    }
                    LOG.error("Request failed in the HTTP layer", failure);
                    p = Problem.of(500, "服务器内部错误", "服务器内部错误，请稍后重试或联系管理员");
                }
            }
        }
        refuse(ctx, p);
    }

    private void refuse(RoutingContext ctx, Problem p) {
        if (isPageForm(ctx.request())) {
            // A console or login form (a browser): the same refusal as a page, not JSON.
            ctx.response().setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                    .putHeader(HttpHeaders.CONNECTION, "close").end(page(p));
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(p);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(Buffer.buffer(body));
    }

    /** A body or form field over its limit. */
    Problem tooLarge() {
        return Problem.of(413, "上传内容过大", "请求体或表单字段超过了上限（表单字段最大 "
                + maxFormAttribute.asLongValue() / 1024 + " KB，请求体见 quarkus.http.limits.max-body-size）；请拆分后重试");
    }

    /** The refusal of a form posted to a page, as a page. */
    static jakarta.ws.rs.core.Response pageResponse(Problem p) {
        return jakarta.ws.rs.core.Response.status(p.status()).type("text/html;charset=UTF-8").entity(page(p)).build();
    }

    /** A form posted to a page (not to the API or the platform endpoints). */
    static boolean isPageForm(HttpServerRequest request) {
        String path = request.path();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return path != null && !path.startsWith("/api/") && !path.startsWith("/q/") && type != null
                && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"));
    }

    /** A minimal zh-CN page for a refusal below the page resources (no layout: the request never reached them). */
    static String page(Problem p) {
        return "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"UTF-8\"><title>" + escape(p.title()) + "</title></head><body>"
                + "<h1 id=\"error-title\">" + escape(p.title()) + "</h1><p id=\"error-detail\" data-status=\"" + p.status() + "\">"
                + escape(p.detail()) + "</p><p>操作未执行。请<a href=\"javascript:history.back()\">返回</a>修改后重试。</p></body></html>";
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
