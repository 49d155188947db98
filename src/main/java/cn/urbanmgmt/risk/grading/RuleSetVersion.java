package cn.urbanmgmt.risk.grading;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored rule-set version: its files' full text, who made it and whether it is the active one. */
@Entity
@Table(name = "rule_set_version")
public class RuleSetVersion extends PanacheEntityBase {
    @Id
    public String hash;
    public String kind;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> files;
    /** Test scenarios (path under rules/ to YAML text) that travel with this version. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tests;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "created_by")
    public String createdBy;
    public String comment;
    /** DISK (read from rules/) or UPLOAD. */
    public String source;
    public boolean active;
    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;
    @Column(name = "activated_by")
    public String activatedBy;

    /** Four eyes (issue 14): DRAFT, PROPOSED (by its author), APPROVED or RETURNED (by a reviewer, 法制审核). */
    @Column(name = "approval_state")
    public String approvalState = "DRAFT";
    @Column(name = "proposed_by")
    public String proposedBy;
    @Column(name = "proposed_at")
    public OffsetDateTime proposedAt;
    @Column(name = "proposal_comment")
    public String proposalComment;
    @Column(name = "reviewed_by")
    public String reviewedBy;
    @Column(name = "reviewed_at")
    public OffsetDateTime reviewedAt;
    @Column(name = "review_comment")
    public String reviewComment;

    public boolean isApproved() {
        return "APPROVED".equals(approvalState);
    }

    /** The rules shipped with the service and read at start-up count as approved by the system. */
    public void approveAsShipped() {
        if (isApproved()) return;
        approvalState = "APPROVED";
        reviewedBy = "system";
        reviewedAt = OffsetDateTime.now();
        reviewComment = "随系统发布、启动时启用的规则";
    }

    public static RuleSetVersion active(String kind) {
        return find("kind = ?1 and active = true", kind).firstResult();
    }

    public cn.urbanmgmt.risk.grading.engine.RuleSource toSource() {
        return cn.urbanmgmt.risk.grading.engine.RuleSource.of(files, tests == null ? Map.of() : tests);
    }
}
