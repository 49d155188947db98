package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * What text the service accepts: no control characters. PostgreSQL refuses U+0000 in text (the
 * statement fails), and the other C0/C1 control characters are never typed by a person. Tab and
 * line breaks are allowed in multi-line text (comments, rule files); {@link #firstControl(String, boolean)}
 * refuses them too for single-line fields.
 */
public final class TextRules {

    private TextRules() {
    }

    /**
     * Index of the first forbidden character, or -1. {@code multiLine} allows tab, CR and LF.
     */
    public static int firstControl(String s, boolean multiLine) {
        if (s == null) return -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                if (multiLine && (c == '\t' || c == '\n' || c == '\r')) continue;
                return i;
            }
            if (c == 0x7F || (c >= 0x80 && c <= 0x9F)) return i;
        }
        return -1;
    }

    /**
     * Most characters a console form field may hold: a rule file in the rule editor (at most
     * 1,000,000 bytes, so at most as many characters). The HTTP layer refuses a field over
     * quarkus.http.limits.max-form-attribute-size (4 MB) before it is read.
     */
    public static final int MAX_FORM_FIELD_CHARS = 1_000_000;

    /**
     * Why a text field of a form (console pages, login) is refused, or null: longer than
     * {@code maxChars}, or a control character (tab and line breaks allowed when {@code multiLine}).
     */
    public static String formFieldProblem(String value, int maxChars, boolean multiLine) {
        if (value == null) return null;
        if (value.length() > maxChars) {
            return "有 " + value.length() + " 个字符，超过了 " + maxChars + " 个字符的上限；请缩短后重试";
        }
        int bad = firstControl(value, multiLine);
        return bad < 0 ? null : controlMessage(value, bad);
    }

    /** "U+0000" for the character at i, as a clerk's message names it. */
    public static String codePoint(String s, int i) {
        return String.format("U+%04X", (int) s.charAt(i));
    }

    /** The message for a field that holds a control character. */
    public static String controlMessage(String s, int i) {
        return "含有不允许的控制字符 " + codePoint(s, i) + "（第 " + (i + 1) + " 个字符）；请删除后重试";
    }

    /** The value with control characters shown as U+XXXX, so that an answer echoing it stays readable. */
    public static String visible(String s) {
        if (s == null) return null;
        StringBuilder b = new StringBuilder(Math.min(s.length(), 256));
        for (int i = 0; i < s.length() && b.length() < 256; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) b.append('[').append(codePoint(s, i)).append(']');
            else b.append(c);
        }
        return b.toString();
    }

    /** Every JSON string read by the API goes through here: a control character makes a field error. */
    static final class StrictStrings extends StdScalarDeserializer<String> {
        StrictStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            int bad = firstControl(s, true);
            if (bad >= 0) {
                throw InvalidFormatException.from(p, controlMessage(s, bad), visible(s), String.class);
            }
            return s;
        }
    }

    /** Installs {@link StrictStrings} into the ObjectMapper that Quarkus REST uses. */
    @Singleton
    public static class JacksonSetup implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            SimpleModule module = new SimpleModule("strict-strings");
            module.addDeserializer(String.class, new StrictStrings());
            mapper.registerModule(module);
        }
    }
}
