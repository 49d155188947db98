package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The errors of one bulk import, with memory that does not grow with their number: the first
 * {@link Problem#MAX_ERRORS} are kept for the answer, all are counted, and every error is written
 * as it is found to a gzip-compressed CSV file (zh-CN headers) that {@link ImportErrorReports}
 * stores for download.
 */
public final class ErrorReport implements AutoCloseable {

    /** The columns of the full report. */
    public static final List<String> HEADERS = List.of("行号", "字段", "内容", "错误说明");

    /** Field name -> the column's zh-CN header, for the report's 字段 column (a clerk reads 街镇, not street). */
    private final java.util.Map<String, String> fieldNames;
    private final List<FieldError> first = new ArrayList<>();
    private final BitSet lines = new BitSet();
    private long count;
    private Path file;
    private CSVPrinter out;

    public ErrorReport() {
        this(java.util.Map.of());
    }

    public ErrorReport(java.util.Map<String, String> fieldNames) {
        this.fieldNames = fieldNames;
    }

    public void add(FieldError e) {
        count++;
        if (e.line() != null) lines.set(e.line());
        if (first.size() < Problem.MAX_ERRORS) first.add(e);
        try {
            if (out == null) open();
            out.printRecord(e.line() == null ? "" : e.line(), e.field() == null ? "" : fieldNames.getOrDefault(e.field(), e.field()),
                    e.value() == null ? "" : inert(e.value()), e.message());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** A value that a spreadsheet would take for a formula is written as text. */
    private static String inert(String v) {
        return !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
    }

    public void addAll(List<FieldError> errors) {
        errors.forEach(this::add);
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** How many file lines have at least one error. */
    public int rejectedLines() {
        return lines.cardinality();
    }

    /** The first errors, by line and field. */
    public List<FieldError> first() {
        List<FieldError> sorted = new ArrayList<>(first);
        sorted.sort(Comparator.comparing(FieldError::line, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(FieldError::field, Comparator.nullsFirst(Comparator.naturalOrder())));
        return sorted;
    }

    /**
     * The 400 answer of an all-or-nothing import that had errors: {@code detail}, and when there were
     * more errors than the answer lists, where to find the others; the first errors, the count and
     * the report's address ({@code report}, from {@link ImportErrorReports#store}).
     */
    public ProblemException refusal(String detail, String report) {
        String more = count > Problem.MAX_ERRORS ? "。以下列出前 " + Problem.MAX_ERRORS + " 条错误（共 " + count
                + " 条），完整报告可从 errorReport 下载" : "";
        return new ProblemException(Problem.of(400, "输入校验未通过", detail + more).withErrors(first(), count, report));
    }

    /** The gzip-compressed CSV of every error, complete; null when there were none. */
    Path finish() {
        if (out == null) return null;
        try {
            out.close(true);
            out = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private void open() throws IOException {
        file = Files.createTempFile("import-errors-", ".csv.gz");
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16),
                StandardCharsets.UTF_8), 1 << 16);
        w.write('\uFEFF');
        out = new CSVPrinter(w, CSVFormat.DEFAULT);
        out.printRecord(HEADERS);
    }

    @Override
    public void close() {
        try {
            if (out != null) out.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
        try {
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the temporary directory is cleaned by the system
        }
    }
}
