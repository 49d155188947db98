package cn.urbanmgmt.risk.grading.model;

import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import java.time.LocalDate;

/** A case (案件) against the merchant. */
public class CaseFact extends EventFact {
    private final String caseNo;
    private final ViolationType violationType;
    private final Severity severity;
    private final double fineYuan;
    private final boolean fromComplaint;
    private final LocalDate closedOn;

    public CaseFact(long eventId, LocalDate occurredOn, LocalDate evaluationDate, String caseNo, ViolationType violationType,
                    Severity severity, double fineYuan, boolean fromComplaint, LocalDate closedOn) {
        super(eventId, occurredOn, evaluationDate);
        this.caseNo = caseNo;
        this.violationType = violationType;
        this.severity = severity;
        this.fineYuan = fineYuan;
        this.fromComplaint = fromComplaint;
        this.closedOn = closedOn;
    }

    public String getCaseNo() { return caseNo; }
    public ViolationType getViolationType() { return violationType; }
    public Severity getSeverity() { return severity; }
    public double getFineYuan() { return fineYuan; }
    /** True when the case came from a complaint (诉转案). */
    public boolean isFromComplaint() { return fromComplaint; }
    public LocalDate getClosedOn() { return closedOn; }
    public boolean isClosed() { return closedOn != null; }
}
