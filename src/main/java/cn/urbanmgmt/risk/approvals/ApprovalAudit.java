package cn.urbanmgmt.risk.approvals;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Who submitted, approved or refused a held item: append-only, sealed into the audit hash chain. */
@Entity
@Table(name = "approval_audit")
public class ApprovalAudit extends PanacheEntityBase {

    public enum Action { SUBMIT, APPROVE, REFUSE }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "approval_audit_seq")
    @SequenceGenerator(name = "approval_audit_seq", sequenceName = "approval_audit_seq", allocationSize = 50)
    public Long id;
    public OffsetDateTime at;
    public String username;
    @Column(name = "approval_id")
    public Long approvalId;
    @Column(name = "merchant_id")
    public Long merchantId;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Action action;
    public String comment;
    @Column(name = "event_id")
    public Long eventId;

    static void record(PendingApproval p, String username, Action action, String comment) {
        ApprovalAudit a = new ApprovalAudit();
        a.at = OffsetDateTime.now();
        a.username = username;
        a.approvalId = p.id;
        a.merchantId = p.merchantId;
        a.action = action;
        a.comment = comment;
        a.eventId = p.eventId;
        a.persist();
    }
}
