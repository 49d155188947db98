package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.GradeQueryService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.rules.SimulationJob;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A finished simulation job's result (as GET /api/v1/jobs/{id} returns it, see {@link SimulationJob#finish})
 * read into records for the page's tables; the charts get the same result as JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuleSimulationView(String candidate, String baseline, String evaluationDate, String street, String category,
                                 long merchants, long changed, Map<Grade, Map<Grade, Long>> matrix,
                                 GradeQueryService.GradeCounts before, GradeQueryService.GradeCounts after,
                                 List<Group> byStreet, List<Group> byCategory, List<Cell> samples, List<Fault> faults,
                                 Long ungraded, Long baselineFromStoredGrades) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(String key, String name, long changed, GradeQueryService.GradeCounts before, GradeQueryService.GradeCounts after) {
        public List<Shift> shifts() {
            return RuleSimulationView.shifts(before, after);
        }

        public long merchants() {
            return before.total();
        }
    }

    /** One grade before and after, with the change and the shares (%). */
    public record Shift(Grade grade, long before, long after, long delta, double shareBefore, double shareAfter) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cell(Grade from, Grade to, List<SimulationJob.Sample> merchants) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fault(String side, String kind, String rule, String message, long count, List<Long> merchantIds) {
    }

    /** One row of the transition matrix: the grade before and the count for each grade after. */
    public record Row(Grade from, List<MatrixCell> to, long total) {
    }

    /** A cell of the matrix: how many go from the row's grade to {@code to}; off the diagonal they change. */
    public record MatrixCell(Grade to, long count, boolean changes) {
    }

    public static RuleSimulationView of(Map<String, Object> result, ObjectMapper json) {
        return json.convertValue(result, RuleSimulationView.class);
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Grade from : Grade.values()) {
            Map<Grade, Long> r = matrix.getOrDefault(from, Map.of());
            List<MatrixCell> to = new ArrayList<>();
            long total = 0;
            for (Grade g : Grade.values()) {
                long n = r.getOrDefault(g, 0L);
                to.add(new MatrixCell(g, n, g != from));
                total += n;
            }
            rows.add(new Row(from, to, total));
        }
        return rows;
    }

    /** GREEN, YELLOW, RED over all simulated merchants. */
    public List<Shift> totals() {
        return shifts(before, after);
    }

    static List<Shift> shifts(GradeQueryService.GradeCounts before, GradeQueryService.GradeCounts after) {
        List<Shift> out = new ArrayList<>();
        for (Grade g : Grade.values()) {
            long b = before.counts().getOrDefault(g, 0L);
            long a = after.counts().getOrDefault(g, 0L);
            out.add(new Shift(g, b, a, a - b, before.shares().getOrDefault(g, 0.0), after.shares().getOrDefault(g, 0.0)));
        }
        return out;
    }

    /** Fault count over all rules. */
    public long faultCount() {
        return faults == null ? 0 : faults.stream().mapToLong(Fault::count).sum();
    }

    public boolean isBaselineStored() {
        return "STORED".equals(baseline);
    }
}
