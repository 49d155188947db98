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

    public static RuleSetVersion active(String kind) {
        return find("kind = ?1 and active = true", kind).firstResult();
    }

    public cn.urbanmgmt.risk.grading.engine.RuleSource toSource() {
        return cn.urbanmgmt.risk.grading.engine.RuleSource.of(files, tests == null ? Map.of() : tests);
    }
}
