package cn.urbanmgmt.risk.approvals;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
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
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An event or correction held for a second officer (four eyes): it would lower its merchant's grade
 * or take a published adverse result off the record. Not an event until approved, so nothing that
 * reads grading facts sees it.
 */
@Entity
@Table(name = "pending_approval")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingApproval extends PanacheEntityBase implements cn.urbanmgmt.risk.events.HeldEvent {

    public enum Status {
        PENDING("待审批"), APPROVED("已批准"), REFUSED("已驳回");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What is held: an event (payload is its EventInput), or a correction of a visit's recorded result. */
    public enum Kind {
        EVENT("事件"), RESULT_CORRECTION("检查结果更正");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "pending_approval_seq")
    @SequenceGenerator(name = "pending_approval_seq", sequenceName = "pending_approval_seq", allocationSize = 50)
    public Long id;
    @Column(name = "merchant_id")
    public Long merchantId;
    @Enumerated(EnumType.STRING)
    public Kind kind = Kind.EVENT;
    /** The visit whose result a RESULT_CORRECTION corrects. */
    @Column(name = "visit_id")
    public Long visitId;
    /** What the item changes, in words (zh-CN). */
    public String summary;
    @Enumerated(EnumType.STRING)
    @Column(name = "event_type")
    public cn.urbanmgmt.risk.events.EventType eventType;
    public String source;
    @Column(name = "source_id")
    public String sourceId;
    /** The event as submitted (EventInput JSON). */
    @JdbcTypeCode(SqlTypes.JSON)
    @JsonRawValue
    public String payload;
    @Column(name = "supersedes_event_id")
    public Long supersedesEventId;
    /** Why it needs a second officer (zh-CN). */
    public String reason;
    @Column(name = "grade_before")
    public String gradeBefore;
    @Column(name = "grade_after")
    public String gradeAfter;
    @Column(name = "submitted_by")
    public String submittedBy;
    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;
    @Column(name = "decision_comment")
    public String decisionComment;
    /** The event stored on approval. */
    @Column(name = "event_id")
    public Long eventId;

    /** The status in zh-CN (待审批, 已批准, 已驳回). */
    public String getStatusLabel() {
        return status == null ? null : status.label();
    }

    /** The kind in zh-CN (事件, 检查结果更正). */
    public String getKindLabel() {
        return kind == null ? null : kind.label();
    }

    @JsonIgnore
    public boolean isOpen() {
        return status == Status.PENDING;
    }

    public static PendingApproval openFor(String source, String sourceId) {
        return find("source = ?1 and sourceId = ?2 and status = ?3", source, sourceId, Status.PENDING).firstResult();
    }

    @Override
    public Long id() {
        return id;
    }

    @Override
    public String reason() {
        return reason;
    }
}
