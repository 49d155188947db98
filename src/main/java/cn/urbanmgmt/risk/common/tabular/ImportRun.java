package cn.urbanmgmt.risk.common.tabular;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The rows of one bulk import as they are checked, with memory that does not grow with the bad
 * ones: each row's errors go to an {@link ErrorReport} (the first kept for the answer, all counted
 * and written to the downloadable report), and a valid row's value is kept only while it can still
 * be imported (in all-or-nothing mode, none is kept once a row has failed).
 *
 * @param <T> what a valid row becomes
 */
public final class ImportRun<T> implements AutoCloseable {

    private final ImportMode mode;
    private final ErrorReport errors;
    private final List<T> valid = new ArrayList<>();

    public ImportRun(ImportMode mode) {
        this(mode, java.util.Map.of());
    }

    /** {@code fieldNames}: the zh-CN column header of each field, for the report's 字段 column. */
    public ImportRun(ImportMode mode, java.util.Map<String, String> fieldNames) {
        this.mode = mode;
        this.errors = new ErrorReport(fieldNames);
    }

    /**
     * Streams an uploaded CSV/XLSX file through {@code check}: the header must have the
     * {@code required} columns before any row is read; {@code check} turns a row into its value and
     * adds the row's faults to the list it is given.
     */
    public TabularFile.Info read(byte[] bytes, String encoding, int maxRows, List<? extends TabularFile.Column> required,
                                 List<? extends TabularFile.Column> known, BiFunction<TabularFile.Row, List<FieldError>, T> check) {
        return TabularFile.stream(bytes, encoding, maxRows, headers -> TabularFile.requireColumns(headers, required, known), row -> {
            List<FieldError> rowErrors = new ArrayList<>();
            T value = check.apply(row, rowErrors);
            accept(value, rowErrors);
        });
    }

    /** Takes one checked row: with errors they are reported; without, its value is kept if it can still be imported. */
    public void accept(T value, List<FieldError> rowErrors) {
        if (rowErrors.isEmpty()) {
            if (canImport()) valid.add(value);
            return;
        }
        rowErrors.sort(Comparator.comparing(FieldError::field, Comparator.nullsFirst(Comparator.naturalOrder())));
        errors.addAll(rowErrors);
        if (mode == ImportMode.ALL_OR_NOTHING) valid.clear();
    }

    /** Whether valid rows will be written: always in partial mode, until the first error otherwise. */
    public boolean canImport() {
        return mode == ImportMode.PARTIAL || errors.isEmpty();
    }

    /** The valid rows, in file order (all of them when {@link #canImport()}). */
    public List<T> valid() {
        return valid;
    }

    public ErrorReport errors() {
        return errors;
    }

    /**
     * Ends the checking: in all-or-nothing mode with errors, stores the full report and refuses the
     * import with the first errors, the count and the report's address (nothing is written); else
     * returns the report's address (null without errors). {@code what} names the rows ("数据", "事件").
     */
    public String finish(ImportErrorReports reports, String subject, Actor actor, String what) {
        refuseOnErrors(reports, subject, actor, what);
        return storeReport(reports, subject, actor);
    }

    /** In all-or-nothing mode with errors: stores the report and throws the refusal. */
    public void refuseOnErrors(ImportErrorReports reports, String subject, Actor actor, String what) {
        if (errors.isEmpty() || mode != ImportMode.ALL_OR_NOTHING) return;
        String report = reports.store(errors, subject, actor);
        throw errors.refusal("文件中有 " + errors.rejectedLines() + " 行" + what + "有误，未导入任何" + what
                + "；请更正后重新上传，或选择“只导入正确的行”（mode=PARTIAL）", report);
    }

    /** Stores the full report, once no more errors will be added; its address, or null without errors. */
    public String storeReport(ImportErrorReports reports, String subject, Actor actor) {
        return errors.isEmpty() ? null : reports.store(errors, subject, actor);
    }

    /**
     * Writes the valid rows by their key: a row without a record is created, one that differs from
     * its record updates it, the others are counted as unchanged; a dry run only counts. The answer
     * carries the file's facts, the counts, the first errors and the full report's address.
     */
    public <R> ImportReport upsert(TabularFile.Info info, boolean dryRun, String errorReport, Function<T, R> existing,
                                   BiPredicate<R, T> same, Consumer<T> create, BiConsumer<R, T> update) {
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (T in : valid) {
            R record = existing.apply(in);
            if (record == null) {
                created++;
                if (!dryRun) create.accept(in);
            } else if (same.test(record, in)) {
                unchanged++;
            } else {
                updated++;
                if (!dryRun) update.accept(record, in);
            }
        }
        return new ImportReport(info.format(), info.encoding(), mode, dryRun, info.rows(), created, updated, unchanged,
                errors.rejectedLines(), errors.first(), errors.count(), errorReport);
    }

    @Override
    public void close() {
        errors.close();
    }
}
