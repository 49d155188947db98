package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * No JSON reaches a person using the console: an application/problem+json answer on a /console address
 * (an unknown address (404), a method the address does not take (405), a bad parameter, a server fault
 * (500), which the API's global mappers produce) is turned into the console's zh-CN error page with the
 * same status, title and detail. The API's addresses keep their problem+json answers.
 */
public class ConsoleErrorPages {

    @Inject
    PageErrors errors;

    @ServerResponseFilter
    public void toPage(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/console") || path.startsWith("/console/")) || !(response.getEntity() instanceof Problem p)) return;
        var page = errors.page(p.status(), title(p), p.detail());
        response.setEntity(page.getEntity(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8").toString());
    }

    /** The English reason phrases some mappers use as titles, in Chinese. */
    private static String title(Problem p) {
        return switch (p.status()) {
            case 404 -> "页面不存在";
            case 405 -> "不支持的操作";
            case 500 -> "服务器内部错误";
            default -> p.title() != null && p.title().chars().anyMatch(c -> c > 0x2E80) ? p.title() : "请求有误";
        };
    }
}
