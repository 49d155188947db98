package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.TextRules;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the office forms share: the typed values of a form (kept to show it again as filled in), the
 * errors of each field in zh-CN (shown next to the field), and the refusals of the service mapped to
 * its fields. Values are parsed here only as far as a form needs it (text to number or date); every
 * rule stays in the services.
 */
public final class Forms {

    /** One filled-in form: values by field, errors by field, and errors no field shows. */
    @io.quarkus.qute.TemplateData
    public static final class Filled {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, String> errors = new LinkedHashMap<>();
        final List<String> general = new ArrayList<>();
        String title;
        String detail;

        Filled put(String field, String value) {
            values.put(field, value == null ? "" : value);
            return this;
        }

        String text(String field) {
            String v = values.get(field);
            if (v == null) return null;
            String t = v.strip();
            return t.isEmpty() ? null : t;
        }

        void error(String field, String message) {
            errors.putIfAbsent(field, message);
        }

        public boolean hasErrors() {
            return !errors.isEmpty() || !general.isEmpty();
        }

        /** Control characters in any field (tab and line breaks only where {@code multiLine} names it): refused as the API refuses them. */
        void refuseControls(String... multiLine) {
            for (var e : values.entrySet()) {
                boolean multi = List.of(multiLine).contains(e.getKey());
                int bad = TextRules.firstControl(e.getValue(), multi);
                if (bad >= 0) error(e.getKey(), TextRules.controlMessage(e.getValue(), bad));
            }
        }

        LocalDate date(String field) {
            String v = text(field);
            if (v == null) return null;
            try {
                return LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                error(field, "日期“" + v + "”格式不正确，应为 yyyy-MM-dd");
                return null;
            }
        }

        BigDecimal decimal(String field) {
            String v = text(field);
            if (v == null) return null;
            try {
                return new BigDecimal(v);
            } catch (NumberFormatException e) {
                error(field, "“" + v + "”不是有效的数字");
                return null;
            }
        }

        Integer integer(String field) {
            String v = text(field);
            if (v == null) return null;
            try {
                return Integer.valueOf(v);
            } catch (NumberFormatException e) {
                error(field, "“" + v + "”不是有效的整数");
                return null;
            }
        }

        Long id(String field) {
            Integer i = integer(field);
            return i == null ? null : i.longValue();
        }

        boolean checked(String field) {
            String v = text(field);
            return v != null && !v.equals("false");
        }

        <E extends Enum<E> & Labelled> E option(Class<E> type, String field) {
            String v = text(field);
            if (v == null) return null;
            E e = Labelled.parse(type, v);
            if (e == null) {
                error(field, "取值“" + v + "”无效，可选：" + java.util.Arrays.stream(type.getEnumConstants()).map(Labelled::label)
                        .collect(java.util.stream.Collectors.joining("、")));
            }
            return e;
        }

        /** The service's refusal: each error next to its field (unknown fields listed above the form). */
        Filled refused(ProblemException ex, Map<String, String> labels) {
            Problem p = ex.problem();
            title = p.title();
            detail = humanize(p.detail(), labels);
            if (p.errors() != null) {
                for (FieldError fe : p.errors()) {
                    String field = fe.field() == null ? "" : fe.field().replaceAll("\\[\\d+]", "").replaceAll("\\..*", "");
                    String message = humanize(fe.message(), labels);
                    if (values.containsKey(field)) error(field, message);
                    else general.add((labels.containsKey(field) ? labels.get(field) + "：" : "") + message);
                }
            }
            if (p.errors() == null || p.errors().isEmpty()) general.add(detail);
            return this;
        }

        public Map<String, String> getValues() {
            return values;
        }

        public Map<String, String> getErrors() {
            return errors;
        }

        public List<String> getGeneral() {
            return general;
        }

        public String getTitle() {
            return title;
        }

        public String getDetail() {
            return detail;
        }
    }

    private Forms() {
    }

    /** A service message that names API fields (merchantId, supersedesSourceId) names the form's fields instead. */
    static String humanize(String message, Map<String, String> labels) {
        if (message == null) return null;
        String m = message;
        for (var e : labels.entrySet()) {
            m = m.replaceAll("(?<![A-Za-z])" + java.util.regex.Pattern.quote(e.getKey()) + "(?![A-Za-z])", e.getValue());
        }
        return m;
    }
}
