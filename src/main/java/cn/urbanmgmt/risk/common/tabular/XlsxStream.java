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
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Reads the first sheet of an XLSX workbook with POI's SAX event API: one row at a time, the
 * header row first, nothing of the sheet kept. The workbook is opened from a temporary file (a
 * zip read in place rather than unpacked into memory); the shared-strings table, which Excel uses
 * for repeated text, is the one part held in memory.
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
                ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
                Iterator<InputStream> sheets = reader.getSheetsData();
                if (!sheets.hasNext()) throw ProblemException.badRequest("XLSX 文件中没有工作表");
                Rows rows = new Rows(maxRows, onHeader, onRow);
                try (InputStream sheet = sheets.next()) {
                    XMLReader parser = XMLHelper.newXMLReader();
                    parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null, strings, rows, new Dates(), false));
                    parser.parse(new InputSource(sheet));
                }
                if (rows.headers == null) throw ProblemException.badRequest("XLSX 文件第一个工作表是空的");
                return new TabularFile.Info(rows.headers, "XLSX", null, rows.count);
            }
        } catch (ProblemException | TabularFile.Passthrough e) {
            throw e;
        } catch (Exception e) {
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

    /** Collects the cells of one row at a time and hands each finished row on. */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final int maxRows;
        private final Consumer<List<String>> onHeader;
        private final Consumer<TabularFile.Row> onRow;
        private final List<String> current = new ArrayList<>();
        List<String> headers;
        int count;

        Rows(int maxRows, Consumer<List<String>> onHeader, Consumer<TabularFile.Row> onRow) {
            this.maxRows = maxRows;
            this.onHeader = onHeader;
            this.onRow = onRow;
        }

        @Override
        public void startRow(int rowNum) {
            current.clear();
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int col = reference == null ? current.size() : new CellReference(reference).getCol();
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
