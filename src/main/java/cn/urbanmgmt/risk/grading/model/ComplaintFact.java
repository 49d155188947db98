package cn.urbanmgmt.risk.grading.model;

import cn.urbanmgmt.risk.events.ComplaintChannel;
import java.time.LocalDate;

/** A citizen complaint (投诉工单). {@code verified}: TRUE 属实, FALSE 不属实, null not yet checked. */
public class ComplaintFact extends EventFact {
    private final ComplaintChannel channel;
    private final String category;
    private final Boolean verified;
    private final String linkedCaseNo;

    public ComplaintFact(long eventId, LocalDate occurredOn, LocalDate evaluationDate, ComplaintChannel channel, String category,
                         Boolean verified, String linkedCaseNo) {
        super(eventId, occurredOn, evaluationDate);
        this.channel = channel;
        this.category = category;
        this.verified = verified;
        this.linkedCaseNo = linkedCaseNo;
    }

    public ComplaintChannel getChannel() { return channel; }
    /** What the complaint is about, e.g. "油烟扰民"; complaints with the same category are "the same issue". */
    public String getCategory() { return category; }
    public Boolean getVerified() { return verified; }
    public boolean isFoundTrue() { return Boolean.TRUE.equals(verified); }
    public boolean isUnfounded() { return Boolean.FALSE.equals(verified); }
    public String getLinkedCaseNo() { return linkedCaseNo; }
}
