package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Reads the first sheet of an XLSX workbook with POI's SAX event API: one row at a time, the
 * header row first, nothing of the sheet kept. The workbook is opened from a temporary file (a
 * zip read in place rather than unpacked into memory); the shared-strings table, where Excel keeps
 * the workbook's text, goes to temporary files too ({@link SpooledSharedStrings}). So the heap an
 * import uses does not grow with the workbook. A cell's text is bounded by Excel's own limit
 * ({@value SpooledSharedStrings#MAX_CELL_CHARS} characters) and its column by Excel's last (XFD);
 * cells right of the header are ignored.
 */
final class XlsxStream {

    private XlsxStream() {
    }

    static TabularFile.Info read(byte[] bytes, int maxRows, Consumer<List<String>> onHeader, Consumer<TabularFile.Row> onRow) {
        Path file = null;
        try {
            file = Files.createTempFile("import-", ".xlsx");
            Files.write(file, bytes);
            try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
                XSSFReader reader = new XSSFReader(pkg);
                Iterator<InputStream> sheets = reader.getSheetsData();
                if (!sheets.hasNext()) throw ProblemException.badRequest("XLSX 文件中没有工作表");
                Rows rows = new Rows(maxRows, onHeader, onRow);
                try (SpooledSharedStrings strings = sharedStrings(pkg); InputStream sheet = sheets.next()) {
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(new CellBounds(
                            new XSSFSheetXMLHandler(reader.getStylesTable(), null, strings, rows, new Dates(), false), rows));
                    parser.parse(new InputSource(sheet));
                }
                if (rows.headers == null) throw ProblemException.badRequest("XLSX 文件第一个工作表是空的");
                return new TabularFile.Info(rows.headers, "XLSX", null, rows.count);
            }
        } catch (ProblemException | TabularFile.Passthrough e) {
            throw e;
        } catch (Exception e) {
            if (isZipBomb(e)) {
                throw ProblemException.badRequest("XLSX 文件中有部分解压后比压缩时大 100 倍以上，为防止压缩炸弹拒绝读取；"
                        + "请用 Excel 另存为 .xlsx 或另存为 CSV 后导入");
            }
            throw ProblemException.badRequest("不是有效的 XLSX 文件（" + e.getClass().getSimpleName() + "）；请用 Excel 另存为 .xlsx 后重试");
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the temporary directory is cleaned by the system
                }
            }
        }
    }

    /** POI refuses a zip entry that inflates more than 100-fold (ZipSecureFile); its message names the "zip bomb". */
    private static boolean isZipBomb(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Zip bomb")) return true;
        }
        return false;
    }

    private static SpooledSharedStrings sharedStrings(OPCPackage pkg) throws Exception {
        List<PackagePart> parts = pkg.getPartsByContentType(XSSFRelation.SHARED_STRINGS.getContentType());
        if (parts.isEmpty()) return SpooledSharedStrings.read(null);
        try (InputStream in = parts.get(0).getInputStream()) {
            return SpooledSharedStrings.read(in);
        }
    }

    /** Excel's last column, XFD (0-based). */
    static final int MAX_COLUMN = 16_383;

    /**
     * Passes the sheet's SAX events to POI's handler, refusing a cell whose text exceeds Excel's limit
     * before POI collects it: a hostile sheet cannot make one cell fill the heap.
     */
    private static final class CellBounds extends DefaultHandler {
        private final DefaultHandler delegate;
        private final Rows rows;
        private boolean inCell;
        private long cellChars;

        CellBounds(DefaultHandler delegate, Rows rows) {
            this.delegate = delegate;
            this.rows = rows;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if ("c".equals(localName)) {
                inCell = true;
                cellChars = 0;
            }
            delegate.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if ("c".equals(localName)) inCell = false;
            delegate.endElement(uri, localName, qName);
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (inCell && (cellChars += length) > SpooledSharedStrings.MAX_CELL_CHARS) {
                throw ProblemException.badRequest("XLSX 文件第 " + (rows.rowNum + 1) + " 行有单元格超过 " + SpooledSharedStrings.MAX_CELL_CHARS
                        + " 个字符（Excel 单元格的上限）；请检查文件或另存为 CSV 后导入");
            }
            delegate.characters(ch, start, length);
        }

        @Override
        public void startDocument() throws SAXException {
            delegate.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            delegate.endDocument();
        }
    }

    /** Collects the cells of one row at a time and hands each finished row on. */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final int maxRows;
        private final Consumer<List<String>> onHeader;
        private final Consumer<TabularFile.Row> onRow;
        private final List<String> current = new ArrayList<>();
        List<String> headers;
        int count;
        int rowNum;

        Rows(int maxRows, Consumer<List<String>> onHeader, Consumer<TabularFile.Row> onRow) {
            this.maxRows = maxRows;
            this.onHeader = onHeader;
            this.onRow = onRow;
        }

        @Override
        public void startRow(int rowNum) {
            this.rowNum = rowNum;
            current.clear();
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int col = reference == null ? current.size() : new CellReference(reference).getCol();
            if (col > MAX_COLUMN || col < 0) {
                throw ProblemException.badRequest("XLSX 文件第 " + (rowNum + 1) + " 行的单元格位置 " + reference + " 超出 Excel 的列范围（最后一列 XFD）");
            }
            if (headers != null && col >= headers.size()) return; // no column of the import: not kept
            while (current.size() < col) current.add(null);
            if (current.size() == col) current.add(value);
            else current.set(col, value);
        }

        @Override
        public void endRow(int rowNum) {
            if (headers == null) {
                List<String> h = new ArrayList<>();
                for (String v : current) h.add(v == null ? "" : v.strip());
                headers = List.copyOf(h);
                onHeader.accept(headers); // before any data row is read
                return;
            }
            Map<String, String> cells = new LinkedHashMap<>();
            boolean any = false;
            for (int c = 0; c < headers.size(); c++) {
                String v = c < current.size() ? current.get(c) : null;
                if (v != null && !v.isBlank()) any = true;
                cells.put(headers.get(c), v);
            }
            if (!any) return;
            if (count++ >= maxRows) throw TabularFile.tooManyRows(maxRows);
            onRow.accept(new TabularFile.Row(rowNum + 1, cells));
        }
    }

    /** Date-formatted numbers as yyyy-MM-dd (what the import expects), other numbers as Excel shows them. */
    private static final class Dates extends DataFormatter {
        Dates() {
            super(Locale.ROOT);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value, use1904Windowing).toLocalDate().toString();
            }
            return super.formatRawCellContents(value, formatIndex, formatString, use1904Windowing);
        }
    }
}
