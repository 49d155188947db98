package cn.urbanmgmt.risk.grading.model;

import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import java.time.LocalDate;
import java.util.List;

/** An inspection result (检查结果), with its optional score and per-item deductions. */
public class InspectionFact extends EventFact {
    private final String itemCode;
    private final InspectionOutcome outcome;
    private final Double score;
    private final List<Deduction> deductions;
    private final double maxDeduction;
    private final double totalDeduction;

    public InspectionFact(long eventId, LocalDate occurredOn, LocalDate evaluationDate, String itemCode, InspectionOutcome outcome,
                          Double score, List<Deduction> deductions) {
        super(eventId, occurredOn, evaluationDate);
        this.itemCode = itemCode;
        this.outcome = outcome;
        this.score = score;
        this.deductions = deductions == null ? List.of() : List.copyOf(deductions);
        // Computed once: rules test these in conditions, for every inspection of every merchant.
        this.maxDeduction = this.deductions.stream().mapToDouble(Deduction::points).max().orElse(0);
        this.totalDeduction = this.deductions.stream().mapToDouble(Deduction::points).sum();
    }

    public String getItemCode() { return itemCode; }
    public InspectionOutcome getOutcome() { return outcome; }
    /** 0-100, or null when the inspection was not scored. */
    public Double getScore() { return score; }
    public boolean isScored() { return score != null; }
    public List<Deduction> getDeductions() { return deductions; }
    /** The largest single deduction (0 when none): lets a rule skip inspections without a big one cheaply. */
    public double getMaxDeduction() { return maxDeduction; }
    public double getTotalDeduction() { return totalDeduction; }

    /** Points deducted under one deduction code (0 when none). */
    public double deductionFor(String code) {
        return deductions.stream().filter(d -> d.code().equals(code)).mapToDouble(Deduction::points).sum();
    }

    /** True when the inspection found a problem (anything but NO_PROBLEM). */
    public boolean isProblemFound() { return outcome != InspectionOutcome.NO_PROBLEM; }
}
