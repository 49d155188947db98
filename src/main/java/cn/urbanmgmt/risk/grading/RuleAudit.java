package cn.urbanmgmt.risk.grading;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One step in the life of a rule set (grading or sampling): who did what to which version, when, why, and how it went. */
@Entity
@Table(name = "rule_audit")
public class RuleAudit extends PanacheEntityBase {

    /** PROPOSE, APPROVE, RETURN: the four-eyes review of a version (issue 14). */
    public enum Action { STARTUP, RELOAD, UPLOAD, VALIDATE, TEST, SIMULATE, ACTIVATE, ROLLBACK, PROPOSE, APPROVE, RETURN }

    public enum Outcome { OK, FAILED, STARTED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rule_audit_seq")
    @SequenceGenerator(name = "rule_audit_seq", sequenceName = "rule_audit_seq", allocationSize = 50)
    public Long id;
    public OffsetDateTime at;
    /** The rule-set kind, as in rule_set_version.kind: GRADING or SAMPLING. */
    public String kind;
    public String username;
    @Enumerated(EnumType.STRING)
    public Action action;
    public String version;
    public String previous;
    @Enumerated(EnumType.STRING)
    public Outcome outcome;
    public String comment;
    public String summary;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> details;

    /** Persists an entry in the caller's transaction. */
    public static RuleAudit record(String kind, String user, Action action, String version, String previous, Outcome outcome, String comment,
                                   String summary, Map<String, Object> details) {
        RuleAudit a = new RuleAudit();
        a.at = OffsetDateTime.now();
        a.kind = kind;
        a.username = user;
        a.action = action;
        a.version = version;
        a.previous = previous;
        a.outcome = outcome;
        a.comment = cut(comment, 1000);
        a.summary = cut(summary, 1000);
        a.details = details;
        a.persist();
        return a;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
