package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Reads an uploaded CSV (UTF-8 with or without BOM, or GBK/GB18030 as saved by Chinese Excel) or
 * XLSX file into rows keyed by header. Line numbers count the header as line 1.
 */
public final class TabularFile {

    public static final Charset GB18030 = Charset.forName("GB18030");

    /** One data row: its line in the file and its cells by header. */
    public record Row(int line, Map<String, String> cells) {
        public String get(String... headers) {
            for (String h : headers) {
                String v = cells.get(h);
                if (v != null) return v.isBlank() ? null : v.strip();
            }
            return null;
        }
    }

    public record Content(List<String> headers, List<Row> rows, String format, String encoding) {
    }

    private TabularFile() {
    }

    /**
     * @param encoding "UTF-8", "GBK"/"GB18030", or null to detect (UTF-8 when the bytes are valid
     *                 UTF-8, else GB18030, a superset of GBK)
     */
    public static Content read(byte[] bytes, String encoding, int maxRows) {
        if (bytes == null || bytes.length == 0) {
            throw ProblemException.badRequest("上传的文件是空的");
        }
        if (isZip(bytes)) {
            return readXlsx(bytes, maxRows);
        }
        return readCsv(bytes, encoding, maxRows);
    }

    static boolean isZip(byte[] b) {
        return b.length > 3 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    private static Content readCsv(byte[] bytes, String encoding, int maxRows) {
        String text;
        String used;
        if (encoding != null && !encoding.isBlank()) {
            Charset cs = charset(encoding);
            text = decodeStrict(bytes, cs);
            if (text == null) {
                throw ProblemException.badRequest("文件内容不是有效的 " + encoding + " 编码，请确认文件编码（支持 UTF-8 与 GBK）");
            }
            used = cs.name();
        } else {
            text = decodeStrict(bytes, StandardCharsets.UTF_8);
            used = "UTF-8";
            if (text == null) {
                text = decodeStrict(bytes, GB18030);
                used = "GBK";
            }
            if (text == null) {
                throw ProblemException.badRequest("无法识别文件编码：文件既不是 UTF-8 也不是 GBK 编码的 CSV");
            }
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
        if (text.indexOf('\0') >= 0) {
            throw ProblemException.badRequest("文件包含二进制内容，不是 CSV 文本文件；请上传 CSV 或 XLSX 文件");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(false).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> headers = parser.getHeaderNames().stream().map(String::strip).toList();
            if (headers.isEmpty()) throw ProblemException.badRequest("文件没有表头行");
            List<Row> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                if (rows.size() >= maxRows) throw tooManyRows(maxRows);
                Map<String, String> cells = new LinkedHashMap<>();
                for (int i = 0; i < headers.size() && i < r.size(); i++) cells.put(headers.get(i), r.get(i));
                rows.add(new Row((int) r.getRecordNumber() + 1, cells));
            }
            return new Content(headers, rows, "CSV", used);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            throw ProblemException.badRequest("CSV 文件格式有误：" + e.getMessage());
        }
    }

    private static Content readXlsx(byte[] bytes, int maxRows) {
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            Sheet sheet = wb.getSheetAt(0);
            DataFormatter fmt = new DataFormatter(Locale.ROOT);
            org.apache.poi.ss.usermodel.Row header = sheet.getRow(sheet.getFirstRowNum());
            if (header == null) throw ProblemException.badRequest("XLSX 文件第一个工作表是空的");
            List<String> headers = new ArrayList<>();
            for (int c = 0; c < header.getLastCellNum(); c++) {
                Cell cell = header.getCell(c);
                headers.add(cell == null ? "" : fmt.formatCellValue(cell).strip());
            }
            List<Row> rows = new ArrayList<>();
            for (int r = sheet.getFirstRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                org.apache.poi.ss.usermodel.Row row = sheet.getRow(r);
                if (row == null) continue;
                Map<String, String> cells = new LinkedHashMap<>();
                boolean any = false;
                for (int c = 0; c < headers.size(); c++) {
                    String v = cellText(row.getCell(c), fmt);
                    if (v != null && !v.isBlank()) any = true;
                    cells.put(headers.get(c), v);
                }
                if (!any) continue;
                if (rows.size() >= maxRows) throw tooManyRows(maxRows);
                rows.add(new Row(r + 1, cells));
            }
            return new Content(headers, rows, "XLSX", null);
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw ProblemException.badRequest("不是有效的 XLSX 文件（" + e.getClass().getSimpleName() + "）；请用 Excel 另存为 .xlsx 后重试");
        }
    }

    private static String cellText(Cell cell, DataFormatter fmt) {
        if (cell == null) return null;
        if (cell.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC && DateUtil.isCellDateFormatted(cell)) {
            return cell.getLocalDateTimeCellValue().toLocalDate().toString();
        }
        return fmt.formatCellValue(cell);
    }

    private static ProblemException tooManyRows(int maxRows) {
        return ProblemException.badRequest("文件超过 " + maxRows + " 行数据的上限，请拆分后分批导入");
    }

    private static Charset charset(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.equals("GBK") || n.equals("GB2312") || n.equals("GB18030")) return GB18030;
        if (n.equals("UTF-8") || n.equals("UTF8")) return StandardCharsets.UTF_8;
        throw ProblemException.invalidField("encoding", "不支持的编码“" + name + "”，可选：UTF-8、GBK");
    }

    private static String decodeStrict(byte[] bytes, Charset cs) {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw ProblemException.badRequest("读取上传文件失败：" + e.getMessage());
        }
    }
}
