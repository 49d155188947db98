package cn.urbanmgmt.risk.common;

import java.util.List;

/**
 * What a bulk import did: counts, and the rejected rows with line and field. {@code errors} lists at
 * most {@link Problem#MAX_ERRORS}; {@code errorCount} is the number of errors in all, and
 * {@code errorReport}, when set, is where the full list can be downloaded (CSV or XLSX).
 */
public record ImportReport(String format, String encoding, ImportMode mode, boolean dryRun, int totalRows,
                           int created, int updated, int unchanged, int rejected,
                           List<Problem.FieldError> errors, long errorCount, String errorReport) {

    public ImportReport {
        if (errors.size() > Problem.MAX_ERRORS) errors = List.copyOf(errors.subList(0, Problem.MAX_ERRORS));
    }

    /** A report whose errors were all kept in memory (small imports): listed up to the bound, counted in full. */
    public ImportReport(String format, String encoding, ImportMode mode, boolean dryRun, int totalRows,
                        int created, int updated, int unchanged, int rejected, List<Problem.FieldError> errors) {
        this(format, encoding, mode, dryRun, totalRows, created, updated, unchanged, rejected, errors, errors.size(), null);
    }
}
