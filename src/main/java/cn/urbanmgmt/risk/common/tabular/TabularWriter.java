package cn.urbanmgmt.risk.common.tabular;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Streams rows out as CSV (UTF-8 with BOM so that Excel shows Chinese correctly) or XLSX
 * (streaming workbook: a bounded window of rows in memory). Text that a spreadsheet would run as a
 * formula is written as text ({@link FormulaGuard}).
 */
public interface TabularWriter extends AutoCloseable {

    String CSV_TYPE = "text/csv; charset=UTF-8";
    String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    int XLSX_MAX_ROWS = 1_048_575;

    void row(List<?> cells);

    @Override
    void close();

    static TabularWriter open(String format, OutputStream out, List<String> headers) {
        TabularWriter w = "xlsx".equalsIgnoreCase(format) ? new Xlsx(out) : new Csv(out);
        w.row(headers);
        return w;
    }

    final class Csv implements TabularWriter {
        private final CSVPrinter printer;

        Csv(OutputStream out) {
            try {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                writer.write('\uFEFF');
                printer = new CSVPrinter(writer, CSVFormat.DEFAULT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void row(List<?> cells) {
            try {
                printer.printRecord(cells.stream().map(c -> c == null ? "" : c instanceof Number ? c.toString()
                        : FormulaGuard.toCsv(c.toString())).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                printer.close(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final class Xlsx implements TabularWriter {
        private final SXSSFWorkbook workbook = new SXSSFWorkbook(500);
        private final Sheet sheet = workbook.createSheet("Sheet1");
        private final OutputStream out;
        private CellStyle asText;
        private int next;

        Xlsx(OutputStream out) {
            this.out = out;
        }

        @Override
        public void row(List<?> cells) {
            if (next > XLSX_MAX_ROWS) {
                throw new IllegalStateException("XLSX sheet row limit reached; use CSV for this export");
            }
            Row row = sheet.createRow(next++);
            for (int i = 0; i < cells.size(); i++) {
                Object v = cells.get(i);
                if (v == null) continue;
                if (v instanceof Number n) row.createCell(i).setCellValue(n.doubleValue());
                else {
                    String text = v.toString();
                    Cell cell = row.createCell(i);
                    cell.setCellValue(text);
                    if (FormulaGuard.isFormulaLike(text)) cell.setCellStyle(asText());
                }
            }
        }

        /** One shared style: Excel's quote prefix, i.e. "this cell is text even if it looks like a formula". */
        private CellStyle asText() {
            if (asText == null) {
                asText = workbook.createCellStyle();
                asText.setQuotePrefixed(true);
            }
            return asText;
        }

        @Override
        public void close() {
            try {
                workbook.write(out);
                out.flush();
                workbook.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
