package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.ProblemException;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.poi.ss.usermodel.RichTextString;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.model.SharedStrings;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * An XLSX shared-strings table (the part where Excel keeps every distinct text of a workbook) kept in
 * temporary files instead of the heap: the strings' UTF-8 bytes one after another, and where each ends.
 * Both are memory-mapped for the look-ups the sheet reader makes, so the heap an import uses does not grow
 * with the table, which a 50 MB upload can inflate to gigabytes. Like POI's in-memory table, a string is
 * the text of its runs without phonetic hints (ruby text).
 *
 * <p>Bounds, each refused with a message: a string of more than {@link #MAX_CELL_CHARS} characters (Excel's
 * own limit for a cell), more than {@link #MAX_TEXT_BYTES} bytes of text or {@link #MAX_STRINGS} strings.
 */
final class SpooledSharedStrings implements SharedStrings, Closeable {

    /** Excel's limit for the text of one cell. */
    static final int MAX_CELL_CHARS = 32_767;
    static final long MAX_TEXT_BYTES = 1L << 30;
    static final int MAX_STRINGS = 100_000_000;

    private final Path textFile;
    private final Path endsFile;
    private final ByteBuffer text;
    private final ByteBuffer ends;
    private final int count;

    private SpooledSharedStrings(Path textFile, Path endsFile, int count) throws IOException {
        this.textFile = textFile;
        this.endsFile = endsFile;
        this.count = count;
        this.text = map(textFile);
        this.ends = map(endsFile);
    }

    /** The table of {@code part} (the workbook's sharedStrings.xml), or an empty one when the workbook has none. */
    static SpooledSharedStrings read(InputStream part) throws Exception {
        Path textFile = Files.createTempFile("xlsx-strings-", ".bin");
        Path endsFile = Files.createTempFile("xlsx-string-ends-", ".bin");
        try {
            int count = 0;
            if (part != null) {
                try (OutputStream text = new BufferedOutputStream(Files.newOutputStream(textFile), 1 << 16);
                     DataOutputStream ends = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(endsFile), 1 << 16))) {
                    Spooler spooler = new Spooler(text, ends);
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(spooler);
                    parser.parse(new InputSource(part));
                    count = spooler.count;
                }
            }
            return new SpooledSharedStrings(textFile, endsFile, count);
        } catch (Exception | Error e) {
            delete(textFile, endsFile);
            throw e;
        }
    }

    @Override
    public RichTextString getItemAt(int idx) {
        return new XSSFRichTextString(get(idx));
    }

    /** The text of string {@code idx} (0-based, as the sheet's cells refer to it). */
    String get(int idx) {
        if (idx < 0 || idx >= count) throw ProblemException.badRequest("XLSX 文件引用了不存在的共享字符串（第 " + idx + " 条，共 " + count + " 条）；请用 Excel 另存为 .xlsx 后重试");
        int start = idx == 0 ? 0 : ends.getInt((idx - 1) * Integer.BYTES);
        int end = ends.getInt(idx * Integer.BYTES);
        byte[] bytes = new byte[end - start];
        text.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int getCount() {
        return count;
    }

    @Override
    public int getUniqueCount() {
        return count;
    }

    @Override
    public void close() {
        delete(textFile, endsFile); // a mapping stays valid after its file is unlinked; the space is freed with it
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
    }

    private static void delete(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // the temporary directory is cleaned by the system
            }
        }
    }

    /** SAX handler writing each {@code <si>}'s text (its {@code <t>} elements outside {@code <rPh>}) to the files. */
    private static final class Spooler extends DefaultHandler {
        private final OutputStream text;
        private final DataOutputStream ends;
        private final StringBuilder current = new StringBuilder();
        private boolean inItem;
        private boolean inText;
        private boolean inPhonetic;
        private long written;
        int count;

        Spooler(OutputStream text, DataOutputStream ends) {
            this.text = text;
            this.ends = ends;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            switch (localName) {
                case "si" -> {
                    inItem = true;
                    current.setLength(0);
                }
                case "t" -> inText = inItem;
                case "rPh" -> inPhonetic = true;
                default -> {
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            switch (localName) {
                case "si" -> finishItem();
                case "t" -> inText = false;
                case "rPh" -> inPhonetic = false;
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!inText || inPhonetic) return;
            if (current.length() + length > MAX_CELL_CHARS) {
                throw ProblemException.badRequest("XLSX 文件的共享字符串第 " + (count + 1) + " 条超过 " + MAX_CELL_CHARS
                        + " 个字符（Excel 单元格的上限）；请检查文件或另存为 CSV 后导入");
            }
            current.append(ch, start, length);
        }

        private void finishItem() {
            inItem = false;
            byte[] bytes = current.toString().getBytes(StandardCharsets.UTF_8);
            written += bytes.length;
            if (++count > MAX_STRINGS || written > MAX_TEXT_BYTES) {
                throw ProblemException.badRequest("XLSX 文件的共享字符串表超过上限（1 亿条或 1 GB 文字）；请分成几个文件或另存为 CSV 后导入");
            }
            try {
                text.write(bytes);
                ends.writeInt((int) written);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
