package cn.urbanmgmt.risk.common;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks every query and path parameter before the resource method sees it, so that a wrong value
 * is a 400 problem that names the parameter (not a 404 from a failed conversion, not a boolean
 * silently read as false, not a 500 from the database):
 * <ul>
 * <li>no control characters (U+0000 to U+001F, U+007F to U+009F) in any parameter;</li>
 * <li>a parameter declared as a number or boolean must be one ({@code true}/{@code false} only);</li>
 * <li>{@code page} ≥ 0; {@code size} and {@code limit} ≥ 1 (a larger size than the operation's
 *     maximum is cut down to it by the operation, as the answer's {@code size} shows); page × size at most {@value #MAX_OFFSET}
 *     (deeper pages: narrow the filters or use the export);</li>
 * <li>{@code @Min}/{@code @Max} on a parameter are honoured.</li>
 * </ul>
 * A page past the last one is refused by {@link PageResult}.
 */
public class RequestParams {

    /** The deepest row a page may start at (page × size). Documented in the README. */
    public static final long MAX_OFFSET = 1_000_000;
    /** The largest page size or limit of a parameter without its own {@code @Max}. */
    public static final long DEFAULT_MAX_SIZE = 500;

    private enum Kind { TEXT, INTEGER, BOOLEAN, DECIMAL, ENUM }

    /** One parameter: its range, and for a page size the largest the operation uses (larger ones are cut down to it). */
    private record Spec(String name, boolean path, Kind kind, long min, long max, String defaultValue, Class<?> type, long clamp) {
    }

    private static final Map<Method, List<Spec>> SPECS = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ContainerRequestContext ctx, ResourceInfo resource) {
        MultivaluedMap<String, String> query;
        MultivaluedMap<String, String> path;
        try {
            query = ctx.getUriInfo().getQueryParameters(true);
            path = ctx.getUriInfo().getPathParameters(true);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("请求地址中的参数编码有误（% 后应为两位十六进制数字）；请检查后重试");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        query.forEach((name, values) -> {
            int bad = TextRules.firstControl(name, false);
            if (bad >= 0) errors.add(error(TextRules.visible(name), null, "查询参数名" + TextRules.controlMessage(name, bad)));
            for (String v : values) {
                int i = TextRules.firstControl(v, false);
                if (i >= 0) errors.add(error(name, v, "查询参数 " + name + " " + TextRules.controlMessage(v, i)));
            }
        });
        path.forEach((name, values) -> {
            for (String v : values) {
                int i = TextRules.firstControl(v, false);
                if (i >= 0) errors.add(error(name, v, "路径参数 " + name + " " + TextRules.controlMessage(v, i)));
            }
        });
        Method method = resource == null ? null : resource.getResourceMethod();
        if (errors.isEmpty() && method != null) {
            List<Spec> specs = SPECS.computeIfAbsent(method, RequestParams::specs);
            Long page = null;
            Long size = null;
            for (Spec s : specs) {
                List<String> values = s.path() ? path.get(s.name()) : query.get(s.name());
                String raw = values == null || values.isEmpty() ? null : values.get(0);
                Long n = checkValue(s, raw, errors);
                if (n == null && raw == null && s.defaultValue() != null && s.kind() == Kind.INTEGER) {
                    n = parseLong(s.defaultValue());
                }
                if (s.name().equals("page")) page = n;
                if (s.name().equals("size") && n != null) size = Math.min(n, s.clamp()); // the size the operation will use
            }
            if (errors.isEmpty() && page != null && page * (size == null ? 1 : size) > MAX_OFFSET) {
                errors.add(error("page", String.valueOf(page), "查询参数 page 超出范围：页码 × 每页条数不能超过 " + MAX_OFFSET
                        + "（再往后的数据请用筛选条件缩小范围，或使用导出）"));
            }
        }
        if (!errors.isEmpty()) {
            String names = errors.stream().map(Problem.FieldError::field).distinct().reduce((a, b) -> a + "、" + b).orElse("");
            String detail = errors.size() == 1 ? errors.get(0).message() : "以下请求参数有误，请更正后重试：" + names;
            throw new ProblemException(Problem.of(400, "请求参数有误", detail).withErrors(errors));
        }
    }

    /** Checks one value; returns it as a number when it is an integer parameter. */
    private static Long checkValue(Spec s, String raw, List<Problem.FieldError> errors) {
        if (raw == null) return null;
        String where = (s.path() ? "路径参数 " : "查询参数 ") + s.name();
        String v = raw.strip();
        switch (s.kind()) {
            case INTEGER -> {
                Long n = parseLong(v);
                if (n == null) {
                    errors.add(error(s.name(), raw, where + " 应为整数，收到“" + TextRules.visible(shorten(raw)) + "”"));
                    return null;
                }
                if (n < s.min() || n > s.max()) {
                    errors.add(error(s.name(), raw, where + " 超出范围：应在 " + s.min() + " 到 " + s.max() + " 之间"));
                    return null;
                }
                return n;
            }
            case BOOLEAN -> {
                String b = v.toLowerCase(Locale.ROOT);
                if (!b.equals("true") && !b.equals("false")) {
                    errors.add(error(s.name(), raw, where + " 应为 true 或 false，收到“" + TextRules.visible(shorten(raw)) + "”"));
                }
            }
            case DECIMAL -> {
                try {
                    double d = Double.parseDouble(v);
                    if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    errors.add(error(s.name(), raw, where + " 应为数字，收到“" + TextRules.visible(shorten(raw)) + "”"));
                }
            }
            case ENUM -> {
                boolean known = false;
                for (Object c : s.type().getEnumConstants()) {
                    if (((Enum<?>) c).name().equals(v)) known = true;
                }
                if (!known) {
                    StringBuilder allowed = new StringBuilder();
                    for (Object c : s.type().getEnumConstants()) allowed.append(allowed.length() == 0 ? "" : "、").append(((Enum<?>) c).name());
                    errors.add(error(s.name(), raw, where + " 的取值“" + TextRules.visible(shorten(raw)) + "”无效，可选：" + allowed));
                }
            }
            case TEXT -> {
            }
        }
        return null;
    }

    private static Long parseLong(String v) {
        if (v == null || v.isEmpty() || v.length() > 19) return null;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && (c == '-' || c == '+') && v.length() > 1)) return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String shorten(String s) {
        return s.length() > 50 ? s.substring(0, 50) + "…" : s;
    }

    private static Problem.FieldError error(String field, String value, String message) {
        return new Problem.FieldError(null, field, TextRules.visible(value), message);
    }

    private static List<Spec> specs(Method method) {
        List<Spec> specs = new ArrayList<>();
        for (Parameter p : method.getParameters()) {
            if (p.isAnnotationPresent(BeanParam.class)) {
                for (Class<?> c = p.getType(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        Spec s = spec(f.getAnnotations(), f.getType());
                        if (s != null) specs.add(s);
                    }
                }
            } else {
                Spec s = spec(p.getAnnotations(), p.getType());
                if (s != null) specs.add(s);
            }
        }
        return List.copyOf(specs);
    }

    private static Spec spec(Annotation[] annotations, Class<?> type) {
        String name = null;
        boolean path = false;
        String defaultValue = null;
        Long min = null;
        Long max = null;
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) name = q.value();
            else if (a instanceof PathParam pp) {
                name = pp.value();
                path = true;
            } else if (a instanceof DefaultValue d) defaultValue = d.value();
            else if (a instanceof Min m) min = m.value();
            else if (a instanceof Max m) max = m.value();
        }
        if (name == null) return null;
        Kind kind;
        long lo;
        long hi;
        if (type == int.class || type == Integer.class || type == short.class || type == Short.class) {
            kind = Kind.INTEGER;
            lo = type == short.class || type == Short.class ? Short.MIN_VALUE : Integer.MIN_VALUE;
            hi = type == short.class || type == Short.class ? Short.MAX_VALUE : Integer.MAX_VALUE;
        } else if (type == long.class || type == Long.class) {
            kind = Kind.INTEGER;
            lo = Long.MIN_VALUE;
            hi = Long.MAX_VALUE;
        } else if (type == boolean.class || type == Boolean.class) {
            kind = Kind.BOOLEAN;
            lo = hi = 0;
        } else if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == java.math.BigDecimal.class) {
            kind = Kind.DECIMAL;
            lo = hi = 0;
        } else if (type.isEnum()) {
            kind = Kind.ENUM;
            lo = hi = 0;
        } else {
            kind = Kind.TEXT;
            lo = hi = 0;
        }
        long clamp = hi;
        if (kind == Kind.INTEGER && !path) {
            switch (name) {
                case "page" -> lo = 0;
                case "size", "limit" -> {
                    // A larger size is not an error: the operation uses its maximum (the answer's "size" says so).
                    lo = 1;
                    clamp = max != null ? max : DEFAULT_MAX_SIZE;
                    max = null;
                }
                default -> {
                }
            }
        }
        if (min != null) lo = min;
        if (max != null) hi = max;
        return new Spec(name, path, kind, lo, hi, defaultValue, type, clamp);
    }
}
