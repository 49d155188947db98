package cn.urbanmgmt.risk.common;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Parses the text cells of one import row into typed values, collecting an error per bad cell. */
public final class Cells {

    private static final DateTimeFormatter SLASHED = DateTimeFormatter.ofPattern("yyyy/M/d");

    private final TabularFile.Row row;
    private final List<FieldError> errors;

    public Cells(TabularFile.Row row, List<FieldError> errors) {
        this.row = row;
        this.errors = errors;
    }

    public int line() {
        return row.line();
    }

    /** The cell's text, stripped; null when empty, or when it holds a control character (then an error is added). */
    public String text(String field, String... headers) {
        String v = row.get(concat(field, headers));
        int bad = TextRules.firstControl(v, true);
        if (bad >= 0) {
            error(field, TextRules.visible(v), TextRules.controlMessage(v, bad));
            return null;
        }
        return v;
    }

    public <E extends Enum<E> & Labelled> E label(Class<E> type, String field, String... headers) {
        String v = text(field, headers);
        if (v == null) return null;
        E e = Labelled.parse(type, v);
        if (e == null) error(field, v, "取值“" + v + "”无效，可选：" + Labelled.allowed(type));
        return e;
    }

    public Boolean bool(String field, String... headers) {
        String v = text(field, headers);
        if (v == null) return null;
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "是", "true", "1", "y", "yes" -> true;
            case "否", "false", "0", "n", "no" -> false;
            default -> {
                error(field, v, "取值“" + v + "”无效，应为 是/否");
                yield null;
            }
        };
    }

    public LocalDate date(String field, String... headers) {
        String v = text(field, headers);
        if (v == null) return null;
        try {
            return v.contains("/") ? LocalDate.parse(v, SLASHED) : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            error(field, v, "日期“" + v + "”格式不正确，应为 yyyy-MM-dd");
            return null;
        }
    }

    public BigDecimal decimal(String field, String... headers) {
        String v = text(field, headers);
        if (v == null) return null;
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            error(field, v, "“" + v + "”不是有效的数字");
            return null;
        }
    }

    public Integer integer(String field, String... headers) {
        String v = text(field, headers);
        if (v == null) return null;
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            error(field, v, "“" + v + "”不是有效的整数");
            return null;
        }
    }

    public void error(String field, String value, String message) {
        errors.add(new FieldError(row.line(), field, value, message));
    }

    private static String[] concat(String field, String[] headers) {
        String[] all = new String[headers.length + 1];
        all[0] = field;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return all;
    }
}
