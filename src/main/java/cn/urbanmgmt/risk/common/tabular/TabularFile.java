package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

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

    /** A column of an import file: its zh-CN header, and the API field name that is accepted as well. */
    public interface Column {
        String header();

        String field();

        static Column of(String header, String field) {
            record Named(String header, String field) implements Column {
            }
            return new Named(header, field);
        }

        /** The zh-CN headers of a file's columns, in order (an export's header line). */
        static <E extends Enum<E> & Column> List<String> headers(Class<E> columns) {
            return java.util.Arrays.stream(columns.getEnumConstants()).map(Column::header).toList();
        }

        /** Field name -> zh-CN header, for messages and reports that name a field. */
        static <E extends Enum<E> & Column> java.util.Map<String, String> labels(Class<E> columns) {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (E c : columns.getEnumConstants()) m.put(c.field(), c.header());
            return m;
        }
    }

    /** Whether the file's header has the column, under its zh-CN header or its field name. */
    public static boolean has(List<String> headers, Column col) {
        return headers.contains(col.header()) || headers.contains(col.field());
    }

    /**
     * Refuses a header without the required columns (a 400 naming each missing one at line 1), with a
     * hint about the header line and the encoding when none of the {@code known} columns is there.
     */
    public static void requireColumns(List<String> headers, List<? extends Column> required, List<? extends Column> known) {
        List<String> missing = new ArrayList<>();
        for (Column col : required) {
            if (!has(headers, col)) missing.add(col.header());
        }
        if (missing.isEmpty()) return;
        boolean noneKnown = known.stream().noneMatch(c -> has(headers, c));
        String hint = noneKnown ? "；表头中没有任何可识别的列，请确认第 1 行是表头，文件编码正确（UTF-8 或 GBK，可用 encoding 参数指定）" : "";
        throw ProblemException.validation("文件缺少必需的列：" + String.join("、", missing) + "（表头在第 1 行）" + hint,
                missing.stream().map(h -> new Problem.FieldError(1, h, null, "缺少列“" + h + "”")).toList());
    }

    private TabularFile() {
    }

    /** What was read: the header, the format and encoding, and how many data rows. */
    public record Info(List<String> headers, String format, String encoding, int rows) {
    }

    /**
     * Reads the whole file into memory: for small files (item lists, inspectors, events). Large
     * imports use {@link #stream}.
     *
     * @param encoding "UTF-8", "GBK"/"GB18030", or null to detect (UTF-8 when the bytes are valid
     *                 UTF-8, else GB18030, a superset of GBK)
     */
    public static Content read(byte[] bytes, String encoding, int maxRows) {
        List<Row> rows = new ArrayList<>();
        Info info = stream(bytes, encoding, maxRows, h -> { }, rows::add);
        return new Content(info.headers(), rows, info.format(), info.encoding());
    }

    /**
     * Reads the file row by row without keeping the rows: {@code onHeader} sees the header before any
     * row is read (and may refuse the file by throwing), then {@code onRow} each non-empty data row
     * in file order. XLSX is read with a SAX parser from a temporary file, so that memory does not
     * grow with the number of rows.
     */
    public static Info stream(byte[] bytes, String encoding, int maxRows, Consumer<List<String>> onHeader, Consumer<Row> onRow) {
        if (bytes == null || bytes.length == 0) {
            throw ProblemException.badRequest("上传的文件是空的");
        }
        if (isOle2(bytes)) {
            throw ProblemException.badRequest("不支持旧版 Excel（.xls）文件；请在 Excel 中另存为 .xlsx 或 CSV 后重新上传");
        }
        // What the callers throw goes through the parsers untouched, never mistaken for a format error.
        Consumer<List<String>> header = h -> {
            try {
                onHeader.accept(h);
            } catch (RuntimeException e) {
                throw new Passthrough(e);
            }
        };
        Consumer<Row> row = r -> {
            try {
                onRow.accept(r);
            } catch (RuntimeException e) {
                throw new Passthrough(e);
            }
        };
        try {
            return isZip(bytes) ? XlsxStream.read(bytes, maxRows, header, row) : readCsv(bytes, encoding, maxRows, header, row);
        } catch (Passthrough p) {
            throw (RuntimeException) p.getCause();
        }
    }

    /** Carries a caller's exception through the parser. */
    static final class Passthrough extends RuntimeException {
        Passthrough(RuntimeException cause) {
            super(cause);
        }
    }

    static boolean isZip(byte[] b) {
        return b.length > 3 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    /** The OLE2 compound-file signature of a legacy .xls workbook. */
    static boolean isOle2(byte[] b) {
        return b.length > 7 && (b[0] & 0xFF) == 0xD0 && (b[1] & 0xFF) == 0xCF && (b[2] & 0xFF) == 0x11 && (b[3] & 0xFF) == 0xE0;
    }

    private static Info readCsv(byte[] bytes, String encoding, int maxRows, Consumer<List<String>> onHeader, Consumer<Row> onRow) {
        // The file is decoded as it is parsed, never held as one string: a first pass checks the encoding and
        // finds where lines start, the second decodes again while the parser reads.
        Charset cs;
        TextScan scan;
        if (encoding != null && !encoding.isBlank()) {
            cs = charset(encoding);
            scan = TextScan.of(bytes, cs);
            if (scan == null) {
                throw ProblemException.badRequest("文件内容不是有效的 " + (cs == GB18030 ? "GBK" : "UTF-8") + " 编码，无法按 encoding="
                        + encoding.strip() + " 读取；请确认文件编码（支持 UTF-8 与 GBK），或去掉 encoding 参数由系统自动识别");
            }
        } else {
            cs = StandardCharsets.UTF_8;
            scan = TextScan.of(bytes, cs);
            if (scan == null) {
                cs = GB18030;
                scan = TextScan.of(bytes, cs);
            }
            if (scan == null) {
                throw ProblemException.badRequest("无法识别文件编码：文件既不是 UTF-8 也不是 GBK 编码的 CSV，也不是 XLSX；请上传 CSV 或 XLSX 文件");
            }
        }
        String used = cs == GB18030 ? "GBK" : "UTF-8";
        if (scan.binary()) {
            throw ProblemException.badRequest("文件包含二进制内容，不是 CSV 文本文件；请上传 CSV 或 XLSX 文件");
        }
        // Blank header cells (trailing commas that spreadsheets save) are ignored; repeated names are refused.
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY).get();
        CSVParser parser;
        try {
            parser = CSVParser.parse(scan.reader(bytes, cs), format);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            throw headerProblem(e);
        }
        int count = 0;
        int nextLine = 2;
        try (parser) {
            Map<String, Integer> columns = new LinkedHashMap<>();
            parser.getHeaderMap().forEach((name, index) -> {
                if (name != null && !name.isBlank()) columns.put(name.strip(), index);
            });
            if (columns.isEmpty()) throw ProblemException.badRequest("文件没有表头行");
            List<String> headers = List.copyOf(columns.keySet());
            onHeader.accept(headers);
            for (CSVRecord r : parser) {
                int line = scan.lineOf(r.getCharacterPosition());
                nextLine = (int) parser.getCurrentLineNumber() + 1;
                Map<String, String> cells = new LinkedHashMap<>();
                boolean any = false;
                for (Map.Entry<String, Integer> col : columns.entrySet()) {
                    String v = col.getValue() < r.size() ? FormulaGuard.fromCsv(r.get(col.getValue())) : null;
                    if (v != null && !v.isBlank()) any = true;
                    cells.put(col.getKey(), v);
                }
                if (!any) continue; // a row of empty cells, as spreadsheets like to save
                if (count++ >= maxRows) throw tooManyRows(maxRows);
                onRow.accept(new Row(line, cells));
            }
            return new Info(headers, "CSV", used, count);
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

    static ProblemException tooManyRows(int maxRows) {
        return ProblemException.badRequest("文件超过 " + maxRows + " 行数据的上限，请拆分后分批导入");
    }

    private static Charset charset(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.equals("GBK") || n.equals("GB2312") || n.equals("GB18030")) return GB18030;
        if (n.equals("UTF-8") || n.equals("UTF8")) return StandardCharsets.UTF_8;
        throw ProblemException.invalidField("encoding", "不支持的编码“" + name + "”，可选：UTF-8、GBK");
    }

    public static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw ProblemException.badRequest("读取上传文件失败：" + e.getMessage());
        }
    }
}
