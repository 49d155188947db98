package cn.urbanmgmt.risk.common.tabular;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * One pass over an uploaded text file's bytes, decoding in small chunks (the text is never held whole):
 * whether it is valid in the charset, where each physical line starts (character offsets after a leading
 * byte-order mark, so that a parser's record position gives its line), which lines are empty (a parser
 * that skips empty lines reports a record's position at the first empty line before it), and whether it
 * looks binary.
 */
record TextScan(int[] lineStarts, java.util.BitSet blankLines, boolean binary) {

    private static final char BOM = '\uFEFF';
    /** How many leading characters the binary check looks at. */
    private static final int BINARY_WINDOW = 1 << 16;

    /** The scan, or null when the bytes are not valid in {@code cs}. */
    static TextScan of(byte[] bytes, Charset cs) {
        CharsetDecoder decoder = strict(cs);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        Lines lines = new Lines();
        CoderResult r;
        do {
            r = decoder.decode(in, out, true);
            if (r.isError()) return null;
            lines.accept(out);
        } while (r.isOverflow());
        do {
            r = decoder.flush(out);
            if (r.isError()) return null;
            lines.accept(out);
        } while (r.isOverflow());
        return lines.result();
    }

    /** Line starts and the binary check, fed chunk by chunk. */
    private static final class Lines {
        private int[] starts = new int[1024];
        private int count = 1; // starts[0] = 0
        private long offset; // characters seen, without a leading BOM
        private boolean first = true;
        private boolean pendingCr;
        private boolean header = true;
        private boolean lineHasText;
        private final java.util.BitSet blank = new java.util.BitSet();
        private int controls;
        private boolean binary;

        void accept(CharBuffer out) {
            out.flip();
            while (out.hasRemaining()) {
                char c = out.get();
                if (first) {
                    first = false;
                    if (c == BOM) continue;
                }
                if (pendingCr) {
                    pendingCr = false;
                    if (c != '\n') add(offset);
                }
                if (c != '\n' && c != '\r') lineHasText = true;
                if (c == '\n') {
                    add(offset + 1);
                    header = false;
                } else if (c == '\r') {
                    pendingCr = true;
                }
                // Control characters other than tab and line breaks do not occur in a CSV a person saved: many
                // of them (a UTF-16 file has a NUL every other character), or any in the header line, mean a
                // binary file. A few stray ones in the rows are left to the row checks (field errors at their line).
                if (offset < BINARY_WINDOW && c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    if (header) binary = true;
                    controls++;
                }
                offset++;
            }
            out.clear();
        }

        private void add(long start) {
            if (!lineHasText) blank.set(count); // line number count (1-based) just ended empty
            lineHasText = false;
            if (count == starts.length) starts = Arrays.copyOf(starts, count * 2);
            starts[count++] = (int) start;
        }

        TextScan result() {
            if (pendingCr) add(offset);
            long window = Math.min(offset, BINARY_WINDOW);
            return new TextScan(Arrays.copyOf(starts, count), blank, binary || controls > Math.max(8, window / 100));
        }
    }

    /** The 1-based line of a record that starts at character {@code offset}, past any empty lines. */
    int lineOf(long offset) {
        int i = Arrays.binarySearch(lineStarts, (int) offset);
        int line = (i >= 0 ? i : -i - 2) + 1;
        while (blankLines.get(line) && line < lineStarts.length) line++;
        return line;
    }

    /** A reader over the bytes (already known to be valid), without the leading BOM. */
    Reader reader(byte[] bytes, Charset cs) {
        PushbackReader reader = new PushbackReader(new InputStreamReader(new ByteArrayInputStream(bytes), strict(cs)), 1);
        try {
            int c = reader.read();
            if (c != -1 && c != BOM) reader.unread(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reader;
    }

    private static CharsetDecoder strict(Charset cs) {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
