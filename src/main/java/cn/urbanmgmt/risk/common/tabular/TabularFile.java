package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.Problem;
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
import org.apache.commons.csv.DuplicateHeaderMode;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
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
    private static final java.util.regex.Pattern START_LINE = java.util.regex.Pattern.compile("\\(startline (\\d+)\\)");

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
        if (isOle2(bytes)) {
            throw ProblemException.badRequest("不支持旧版 Excel（.xls）文件；请在 Excel 中另存为 .xlsx 或 CSV 后重新上传");
        }
        return readCsv(bytes, encoding, maxRows);
    }

    static boolean isZip(byte[] b) {
        return b.length > 3 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    /** The OLE2 compound-file signature of a legacy .xls workbook. */
    static boolean isOle2(byte[] b) {
        return b.length > 7 && (b[0] & 0xFF) == 0xD0 && (b[1] & 0xFF) == 0xCF && (b[2] & 0xFF) == 0x11 && (b[3] & 0xFF) == 0xE0;
    }

    private static Content readCsv(byte[] bytes, String encoding, int maxRows) {
        String text;
        String used;
        if (encoding != null && !encoding.isBlank()) {
            Charset cs = charset(encoding);
            text = decodeStrict(bytes, cs);
            used = cs == GB18030 ? "GBK" : "UTF-8";
            if (text == null) {
                throw ProblemException.badRequest("文件内容不是有效的 " + used + " 编码，无法按 encoding=" + encoding.strip()
                        + " 读取；请确认文件编码（支持 UTF-8 与 GBK），或去掉 encoding 参数由系统自动识别");
            }
        } else {
            text = decodeStrict(bytes, StandardCharsets.UTF_8);
            used = "UTF-8";
            if (text == null) {
                text = decodeStrict(bytes, GB18030);
                used = "GBK";
            }
            if (text == null) {
                throw ProblemException.badRequest("无法识别文件编码：文件既不是 UTF-8 也不是 GBK 编码的 CSV，也不是 XLSX；请上传 CSV 或 XLSX 文件");
            }
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
        if (looksBinary(text)) {
            throw ProblemException.badRequest("文件包含二进制内容，不是 CSV 文本文件；请上传 CSV 或 XLSX 文件");
        }
        // Blank header cells (trailing commas that spreadsheets save) are ignored; repeated names are refused.
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY).get();
        int[] lineStarts = lineStarts(text);
        CSVParser parser;
        try {
            parser = CSVParser.parse(new StringReader(text), format);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            throw headerProblem(e);
        }
        List<Row> rows = new ArrayList<>();
        int nextLine = 2;
        try (parser) {
            Map<String, Integer> columns = new LinkedHashMap<>();
            parser.getHeaderMap().forEach((name, index) -> {
                if (name != null && !name.isBlank()) columns.put(name.strip(), index);
            });
            if (columns.isEmpty()) throw ProblemException.badRequest("文件没有表头行");
            for (CSVRecord r : parser) {
                int line = lineOf(lineStarts, r.getCharacterPosition());
                nextLine = (int) parser.getCurrentLineNumber() + 1;
                Map<String, String> cells = new LinkedHashMap<>();
                boolean any = false;
                for (Map.Entry<String, Integer> col : columns.entrySet()) {
                    String v = col.getValue() < r.size() ? FormulaGuard.fromCsv(r.get(col.getValue())) : null;
                    if (v != null && !v.isBlank()) any = true;
                    cells.put(col.getKey(), v);
                }
                if (!any) continue; // a row of empty cells, as spreadsheets like to save
                if (rows.size() >= maxRows) throw tooManyRows(maxRows);
                rows.add(new Row(line, cells));
            }
            return new Content(List.copyOf(columns.keySet()), rows, "CSV", used);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            // The parser fails while reading the record after the last good one; it names the start line when it can.
            java.util.regex.Matcher m = START_LINE.matcher(String.valueOf(e.getMessage()));
            if (m.find()) nextLine = Integer.parseInt(m.group(1));
            String detail = "CSV 文件格式有误：第 " + nextLine + " 行起的数据无法解析（通常是引号不配对，或引号后紧跟了其他字符）；"
                    + "请检查该行，或在 Excel 中重新另存为 CSV 后上传";
            throw ProblemException.validation(detail, List.of(new Problem.FieldError(nextLine, null, null, detail)));
        }
    }

    private static ProblemException headerProblem(Exception e) {
        String m = String.valueOf(e.getMessage());
        String why = m.contains("duplicate") ? "表头有重复的列名" : "表头行无法解析（通常是引号不配对）";
        String detail = "CSV 文件格式有误：" + why + "；请检查第 1 行";
        return ProblemException.validation(detail, List.of(new Problem.FieldError(1, null, null, detail)));
    }

    /** Control characters other than tab and line breaks do not occur in a CSV a person saved. */
    private static boolean looksBinary(String text) {
        int n = Math.min(text.length(), 1 << 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
        }
        return text.indexOf('\0') >= 0;
    }

    /** Offsets at which each physical line starts, so that a record's offset gives its line. */
    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                if (n == starts.length) starts = java.util.Arrays.copyOf(starts, n * 2);
                starts[n++] = i + 1;
            }
        }
        return java.util.Arrays.copyOf(starts, n);
    }

    private static int lineOf(int[] lineStarts, long offset) {
        int i = java.util.Arrays.binarySearch(lineStarts, (int) offset);
        return (i >= 0 ? i : -i - 2) + 1;
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
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        if (type == CellType.NUMERIC && DateUtil.isCellDateFormatted(cell)) {
            return cell.getLocalDateTimeCellValue().toLocalDate().toString();
        }
        if (cell.getCellType() == CellType.FORMULA) {
            // The value Excel last computed, not the formula text.
            return switch (type) {
                case NUMERIC -> fmt.formatRawCellContents(cell.getNumericCellValue(), cell.getCellStyle().getDataFormat(),
                        cell.getCellStyle().getDataFormatString());
                case STRING -> cell.getStringCellValue();
                case BOOLEAN -> String.valueOf(cell.getBooleanCellValue());
                default -> null;
            };
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
