package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.TextRules;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Double-submit-cookie CSRF protection for the console's forms: a random token in an HttpOnly,
 * SameSite=Strict cookie, the same token in every form (hidden field) or in the X-CSRF-Token header;
 * a POST whose two values differ is refused. Name-bound to {@link CsrfProtected} resources, so the
 * REST API is untouched (quarkus-rest-csrf would filter every endpoint, set a cookie on every API
 * answer and refuse API calls that carry a stale cookie).
 */
public class CsrfFilter {

    private static final int TOKEN_BYTES = 16;
    private final SecureRandom random = new SecureRandom();

    @Inject
    CsrfToken csrf;

    @Inject
    PageErrors pageErrors;

    @ServerRequestFilter
    @WithFormRead
    @CsrfProtected
    public Response check(ResteasyReactiveContainerRequestContext context, HttpServerRequest request) {
        String cookie = valid(request.getCookie(CsrfToken.COOKIE));
        String method = context.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            if (cookie != null) {
                csrf.use(cookie, false);
            } else {
                byte[] bytes = new byte[TOKEN_BYTES];
                random.nextBytes(bytes);
                csrf.use(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
            }
            return null;
        }
        String sent = context.getHeaderString(CsrfToken.HEADER);
        if (sent == null && isForm(context.getMediaType())) {
            Object field = ((ResteasyReactiveRequestContext) context.getServerRequestContext()).getFormParameter(CsrfToken.FIELD, true, false);
            sent = field == null ? null : field.toString();
        }
        if (cookie == null || sent == null
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity("<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"UTF-8\"><title>页面已过期</title>"
                            + "<p>页面已过期或表单来源不明，操作未执行。请<a href=\"javascript:history.back()\">返回</a>并刷新页面后重试。</p></html>")
                    .build();
        }
        csrf.use(cookie, false);
        return isForm(context.getMediaType()) ? checkFields((ResteasyReactiveRequestContext) context.getServerRequestContext()) : null;
    }

    /**
     * Every text field of a console form, checked in this one place before any page sees it: too
     * long or holding a control character (PostgreSQL refuses U+0000) gives the error page naming
     * the field, in HTML; uploaded files are checked by what reads them.
     */
    private Response checkFields(ResteasyReactiveRequestContext context) {
        FormData form = context.getFormData();
        if (form == null) return null;
        // The office pages (办公) check control characters themselves and show the error under the field, with
        // the form kept as typed (and their services refuse them again); the length limit holds for them too.
        boolean checksOwnFields = context.getPath().startsWith("/console/office/");
        for (String name : form) {
            for (FormValue value : form.get(name)) {
                if (value.isFileItem()) continue;
                String text = value.getValue();
                String problem = checksOwnFields && text != null && text.length() <= TextRules.MAX_FORM_FIELD_CHARS ? null
                        : TextRules.formFieldProblem(text, TextRules.MAX_FORM_FIELD_CHARS, true);
                if (problem == null) problem = TextRules.formFieldProblem(name, 200, false);
                if (problem != null) {
                    return pageErrors.page(400, "表单内容有误", "表单字段“" + TextRules.visible(name) + "”" + problem + "。操作未执行。");
                }
            }
        }
        return null;
    }

    @ServerResponseFilter
    @CsrfProtected
    public void issue(HttpServerRequest request, HttpServerResponse response) {
        if (csrf.isFresh()) {
            Cookie cookie = Cookie.cookie(CsrfToken.COOKIE, csrf.getToken()).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(request.isSSL());
            response.addCookie(cookie);
        }
    }

    /**
     * For pages rendered without this filter having run (a request refused by its role check): the
     * token of the browser's cookie, if it has a valid one; false when there is none.
     */
    static boolean adoptCookie(CsrfToken csrf, HttpServerRequest request) {
        if (csrf.isAvailable()) return true;
        String cookie = valid(request.getCookie(CsrfToken.COOKIE));
        if (cookie != null) csrf.use(cookie, false);
        return cookie != null;
    }

    private static String valid(Cookie cookie) {
        if (cookie == null) return null;
        try {
            return Base64.getUrlDecoder().decode(cookie.getValue()).length == TOKEN_BYTES ? cookie.getValue() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isForm(MediaType type) {
        return type != null && (MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(type) && !type.isWildcardType()
                || MediaType.MULTIPART_FORM_DATA_TYPE.getType().equals(type.getType())
                && MediaType.MULTIPART_FORM_DATA_TYPE.getSubtype().equals(type.getSubtype()));
    }
}
