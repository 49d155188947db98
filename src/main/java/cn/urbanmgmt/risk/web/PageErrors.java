package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Errors of the console as HTML pages in Chinese, where the API answers application/problem+json.
 * Each page resource declares its own @ServerExceptionMapper methods (those apply to that class only,
 * so the API's global mappers stay as they are) and delegates here.
 */
@ApplicationScoped
public class PageErrors {

    @Inject
    Console console;

    @Inject
    CsrfToken csrf;

    @Inject
    HttpServerRequest request;

    @Inject
    @Location("error.html")
    Template errorPage;

    public Response problem(ProblemException e) {
        return page(e.problem().status(), e.problem().title(), e.problem().detail());
    }

    public Response forbidden() {
        return page(403, "无权访问", "当前账号的角色无权打开此页面。");
    }

    /** The session ended while the page was open: log in again. */
    public Response unauthorized() {
        return Response.seeOther(URI.create("/login")).build();
    }

    public Response page(int status, String title, String detail) {
        // A request refused by its role check never reached the CSRF filter: use the browser's token,
        // and leave the forms (the logout button) out if it has none.
        boolean forms = CsrfFilter.adoptCookie(csrf, request);
        var page = console.page(errorPage, null).data("status", status).data("title", title).data("detail", detail);
        String html = (forms ? page : page.data("noForms", true)).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
    }

    /** A rendered page with the given status (a form shown again with its errors, an import report). */
    public static Response html(int status, io.quarkus.qute.TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
    }

    /** Redirect after a form post, so that a reload does not post again. */
    public static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
