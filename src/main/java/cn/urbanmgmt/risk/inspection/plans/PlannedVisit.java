package cn.urbanmgmt.risk.inspection.plans;

import java.time.LocalDate;
import java.util.List;

/**
 * One visit of a plan before staffing: the merchant (index into the candidate ids), its window (a
 * week, or the whole period) and the items checked together, each with the stratum it was drawn in.
 */
public record PlannedVisit(int visitNo, int candidate, String uscc, LocalDate windowStart, LocalDate windowEnd, Integer week,
                           List<String> items, List<String> strata) {
}
