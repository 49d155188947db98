package cn.urbanmgmt.risk.grading.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One rule's contribution to a grade: points or a floor grade, the text, and the events it matched.
 * Built by the recording API ({@link Assessment#addPoints}, {@link Assessment#floor}); rule code
 * cannot name this type (see RuleAllowList). The text is plain text, not a channel: control and
 * format characters (line breaks, escapes, bidi overrides) become spaces, runs of white space one
 * space, and it is cut to {@link #MAX_TEXT} characters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(String rule, Integer points, Grade floor, String text, List<Long> eventIds) {

    /** Longest reason text kept, in characters (code points); longer ones end in "…". */
    public static final int MAX_TEXT = 200;

    public Reason {
        text = cleanText(text);
    }

    /** {@code text} as a reason may show it (see the class comment). Fast when there is nothing to change. */
    public static String cleanText(String text) {
        if (text == null) return "";
        if (clean(text)) return text;
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_TEXT + 1));
        int count = 0;
        boolean space = true; // drops leading white space
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c) || unsafe(c);
            if (blank) {
                if (!space) {
                    b.append(' ');
                    count++;
                    space = true;
                }
                continue;
            }
            if (count == MAX_TEXT) {
                return b.append('…').toString();
            }
            b.appendCodePoint(c);
            count++;
            space = false;
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') end--;
        b.setLength(end);
        return b.toString();
    }

    /**
     * The characters from U+0080 up that {@link #clean} refuses (surrogates, white space, {@link #unsafe}), worked out once:
     * every reason text of every regrade passes through here, and most of its characters are CJK.
     */
    private static final java.util.BitSet UNFIT = new java.util.BitSet(0x10000);

    static {
        for (char c = 0x80; c < 0xFFFF; c++) {
            if (Character.isSurrogate(c) || Character.isWhitespace(c) || Character.isSpaceChar(c) || unsafe(c)) UNFIT.set(c);
        }
        UNFIT.set(0xFFFF, Character.isWhitespace(0xFFFF) || Character.isSpaceChar(0xFFFF) || unsafe(0xFFFF));
    }

    private static boolean clean(String text) {
        if (text.isEmpty()) return true;
        if (text.length() > MAX_TEXT || text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ') return false;
        char prev = 'x';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) return false;
            if (c == ' ') {
                if (prev == ' ') return false;
            } else if (c >= 0x80 && UNFIT.get(c)) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    /** Control, format (bidi overrides, zero-width), line and paragraph separators, unassigned and private-use code points. */
    private static boolean unsafe(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.SURROGATE;
    }
}
