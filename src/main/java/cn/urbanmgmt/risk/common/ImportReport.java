package cn.urbanmgmt.risk.common;

import java.util.List;

/** What a bulk import did: counts, and every rejected row with line and field. */
public record ImportReport(String format, String encoding, ImportMode mode, boolean dryRun, int totalRows,
                           int created, int updated, int unchanged, int rejected,
                           List<Problem.FieldError> errors) {
}
