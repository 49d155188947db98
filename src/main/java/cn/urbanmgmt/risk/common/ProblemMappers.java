package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the API as application/problem+json with a zh-CN detail. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final java.util.regex.Pattern QUOTED_VALUE = java.util.regex.Pattern.compile("value \\(([^)]{1,200})\\) out of range");

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(null, fieldName(v), stringValue(v.getInvalidValue()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String fields = errors.stream().map(Problem.FieldError::field).distinct().collect(Collectors.joining("、"));
        return Problem.of(400, "输入校验未通过", "以下字段有误，请更正后重试：" + fields).withErrors(errors).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : null;
        if (e instanceof InputCoercionException c) return outOfRange(c, field);
        if (e.getCause() instanceof InputCoercionException c) return outOfRange(c, field); // wrapped with the field's path
        String detail;
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            String allowed = Arrays.stream(f.getTargetType().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
            detail = "字段 " + field + " 的取值 \"" + stringValue(f.getValue()) + "\" 不在允许范围内，可选值：" + allowed;
        } else if (e instanceof InvalidFormatException f && f.getTargetType() == String.class) {
            detail = "字段 " + field + " " + f.getOriginalMessage(); // TextRules: a control character
        } else if (e instanceof InvalidFormatException f) {
            detail = "字段 " + field + " 的取值 \"" + stringValue(f.getValue()) + "\" 格式不正确，应为"
                    + typeName(f.getTargetType());
        } else if (field != null && !field.isEmpty()) {
            detail = "字段 " + field + " 的类型或格式不正确";
        } else {
            detail = "请求体不是有效的 JSON：" + e.getOriginalMessage();
        }
        Problem p = Problem.of(400, "请求体格式有误", detail);
        if (field != null && !field.isEmpty()) {
            String value = e instanceof InvalidFormatException f ? stringValue(f.getValue()) : null;
            p = p.withErrors(List.of(new Problem.FieldError(null, field, value, detail)));
        }
        return p.toResponse();
    }

    // Quarkus ships mappers for these subtypes; the most specific mapper wins, so name them all.
    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response jsonParse(com.fasterxml.jackson.core.JsonParseException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response streamRead(StreamReadException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response inputCoercion(InputCoercionException e) {
        return json(e);
    }

    /**
     * A JSON number that does not fit the field's Java type (99999999999 or 1e40 for an int field). Jackson
     * reports it from the parser; the field is the path of the mapping exception that wraps it, or else the
     * parser's position (the field being read when the number did not fit).
     */
    static Response outOfRange(InputCoercionException e, String mappedField) {
        JsonParser parser = e.getProcessor();
        String field = mappedField != null && !mappedField.isEmpty() ? mappedField : parser == null ? null : path(parser.getParsingContext());
        // Jackson's message quotes the value: "Numeric value (99999999999) out of range of int (…)".
        java.util.regex.Matcher m = QUOTED_VALUE.matcher(String.valueOf(e.getOriginalMessage()));
        String value = m.find() ? m.group(1) : null;
        String range = range(e.getTargetType());
        String detail = (field == null || field.isEmpty() ? "数值" : "字段 " + field + " 的取值") + (value == null ? "" : " " + value)
                + " 超出范围" + (range == null ? "" : "：应为 " + range);
        Problem p = Problem.of(400, "请求体格式有误", detail);
        if (field != null && !field.isEmpty()) p = p.withErrors(List.of(new Problem.FieldError(null, field, value, detail)));
        return p.toResponse();
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) return Integer.MIN_VALUE + " 到 " + Integer.MAX_VALUE + " 之间的整数";
        if (type == Long.class || type == long.class) return Long.MIN_VALUE + " 到 " + Long.MAX_VALUE + " 之间的整数";
        if (type == Short.class || type == short.class) return Short.MIN_VALUE + " 到 " + Short.MAX_VALUE + " 之间的整数";
        if (type == Byte.class || type == byte.class) return Byte.MIN_VALUE + " 到 " + Byte.MAX_VALUE + " 之间的整数";
        return null;
    }

    /** "plan.scope.streets[0]": the same form as the field names the services report. */
    static String path(JsonStreamContext context) {
        StringBuilder sb = new StringBuilder();
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            else if (c.getCurrentName() != null) parts.addFirst("." + c.getCurrentName());
        }
        parts.forEach(sb::append);
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return challenge();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        if (DatabaseGate.isUnavailable(e)) {
            databaseGate.markDown(e);
            return unavailable();
        }
        // A lock-out (429) or a required password change (403): security's own refusals.
        Response refusal = authenticationRefusal.problem(e);
        return refusal != null ? refusal : challenge();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "无权访问", "当前账号的角色无权执行此操作").toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, io.vertx.core.http.HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status == 413) {
            // A form field over quarkus.http.limits.max-form-attribute-size, found while the form was read;
            // a console or login form gets the refusal as a page.
            Problem p = httpLimits.tooLarge();
            return HttpLimits.isPageForm(request) ? HttpLimits.pageResponse(p) : p.toResponse();
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException j) {
            // Quarkus's JSON body reader wraps what Jackson reports from the parser or with a wrapped cause
            // (a number too large for its field, a broken document): answered like every other JSON error.
            return json(j);
        }
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            // A query or path parameter that did not convert (RequestParams names most of these first).
            return Problem.of(400, "请求参数有误", "请求参数的格式不正确：" + stringValue(e.getCause().getMessage())).toResponse();
        }
        String detail = switch (status) {
            case 404 -> "请求的资源不存在";
            case 405 -> "该地址不支持此请求方法";
            case 406 -> "无法以请求的格式返回结果";
            case 413 -> "上传内容过大";
            case 415 -> "不支持的内容类型：" + e.getMessage();
            default -> status >= 500 ? "服务器内部错误，请稍后重试或联系管理员" : "请求有误：" + e.getMessage();
        };
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        return Problem.of(status, Response.Status.fromStatusCode(status) == null ? "错误"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), detail).toResponse();
    }

    @jakarta.inject.Inject
    DatabaseGate databaseGate;

    @jakarta.inject.Inject
    AuthenticationRefusal authenticationRefusal;

    @jakarta.inject.Inject
    HttpLimits httpLimits;

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (DatabaseGate.isUnavailable(e)) {
            databaseGate.markDown(e);
            return unavailable();
        }
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "服务器内部错误", "服务器内部错误，请稍后重试或联系管理员").toResponse();
    }

    /** 503 with Retry-After: the database cannot be reached. */
    public static Response unavailable() {
        return Response.fromResponse(DatabaseGate.problem().toResponse())
                .header(HttpHeaders.RETRY_AFTER, DatabaseGate.RETRY_AFTER_SECONDS).build();
    }

    static Response challenge() {
        return Response.fromResponse(Problem.of(401, "需要登录", "请使用有效的用户名和密码登录").toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"merchant-risk\", charset=\"UTF-8\"").build();
    }

    private static String fieldName(ConstraintViolation<?> v) {
        // "create.input.name" -> "name": the method and parameter names mean nothing to a client.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", Arrays.copyOfRange(parts, 2, parts.length)) : parts[parts.length - 1];
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            else sb.append('[').append(r.getIndex()).append(']');
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) return "正确的格式";
        if (type == java.time.LocalDate.class) return "日期（yyyy-MM-dd）";
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) return "数字";
        if (type == Boolean.class) return "true 或 false";
        return type.getSimpleName();
    }

    private static String stringValue(Object value) {
        if (value == null) return null;
        String s = value.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
