package cn.urbanmgmt.risk.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Something that happened to a merchant, as reported by a source system. Append-only: a correction
 * is a new event naming the one it supersedes.
 */
@Entity
@Table(name = "merchant_event")
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public class MerchantEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "merchant_event_seq")
    @SequenceGenerator(name = "merchant_event_seq", sequenceName = "merchant_event_seq", allocationSize = 50)
    public Long id;
    @Column(name = "merchant_id")
    public Long merchantId;
    @Enumerated(EnumType.STRING)
    public EventType type;
    public String source;
    @Column(name = "source_id")
    public String sourceId;
    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;
    @Column(name = "recorded_at")
    public OffsetDateTime recordedAt;
    @Column(name = "recorded_by")
    public String recordedBy;
    @Column(name = "supersedes_id")
    public Long supersedesId;
    @Column(name = "superseded_by")
    public Long supersededBy;

    @Column(name = "case_no")
    public String caseNo;
    @Enumerated(EnumType.STRING)
    @Column(name = "violation_type")
    public ViolationType violationType;
    @Enumerated(EnumType.STRING)
    public Severity severity;
    @Column(name = "fine_yuan")
    public BigDecimal fineYuan;
    @Column(name = "from_complaint")
    public Boolean fromComplaint;
    @Column(name = "closed_on")
    public LocalDate closedOn;

    @Enumerated(EnumType.STRING)
    public ComplaintChannel channel;
    @Column(name = "complaint_category")
    public String complaintCategory;
    public Boolean verified;
    @Column(name = "linked_case_no")
    public String linkedCaseNo;

    @Column(name = "item_code")
    public String itemCode;
    @Enumerated(EnumType.STRING)
    public InspectionOutcome outcome;
    public BigDecimal score;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Deduction> deductions;
    public String inspectors;

    @Enumerated(EnumType.STRING)
    @Column(name = "credit_action")
    public CreditAction creditAction;

    @Enumerated(EnumType.STRING)
    @Column(name = "detection_source")
    public DetectionSource detectionSource;
    @Column(name = "detection_type")
    public String detectionType;
    @Column(name = "evidence_ref")
    public String evidenceRef;

    public String note;

    /** Only on an item held for a second officer (timeline): PENDING, with its zh-CN label 待审批. */
    @jakarta.persistence.Transient
    public String status;
    @jakarta.persistence.Transient
    public String statusLabel;
    /** The held item (GET /api/v1/approvals/{id}). */
    @jakarta.persistence.Transient
    public Long approvalId;

    public static MerchantEvent findBySource(String source, String sourceId) {
        return find("source = ?1 and sourceId = ?2", source, sourceId).firstResult();
    }
}
