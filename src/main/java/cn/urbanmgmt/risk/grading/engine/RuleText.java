package cn.urbanmgmt.risk.grading.engine;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Rule and scenario files as bytes: their size in UTF-8 bytes, and decoding that says where a file is not UTF-8. */
public final class RuleText {

    private RuleText() {
    }

    /** The file is not UTF-8: the first bad byte, by line (1-based), byte within that line and byte within the file (both 1-based). */
    public static final class InvalidUtf8 extends Exception {
        private final int line;
        private final int lineByte;
        private final int fileByte;

        InvalidUtf8(int line, int lineByte, int fileByte, String hex) {
            super("不是有效的 UTF-8 文本：第 " + line + " 行第 " + lineByte + " 个字节（文件第 " + fileByte + " 个字节）起的 " + hex
                    + " 不是 UTF-8 编码。请用 UTF-8 编码保存这个文件");
            this.line = line;
            this.lineByte = lineByte;
            this.fileByte = fileByte;
        }

        public int line() {
            return line;
        }

        public int lineByte() {
            return lineByte;
        }

        public int fileByte() {
            return fileByte;
        }
    }

    /** Decodes strict UTF-8 (a leading byte-order mark is dropped). */
    public static String decode(byte[] bytes) throws InvalidUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            StringBuilder hex = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + Math.max(1, r.length())); i++) {
                if (hex.length() > 0) hex.append(' ');
                hex.append(String.format("0x%02X", bytes[i] & 0xff));
            }
            throw new InvalidUtf8(line, at - lineStart + 1, at + 1, "字节 " + hex);
        }
        decoder.flush(out);
        out.flip();
        String s = out.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Length of {@code s} in UTF-8 bytes, without encoding it. */
    public static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }
}
