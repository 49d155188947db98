package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.Reason;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One change of a merchant's grade: old, new, when, why and by which rule-set version. */
@Entity
@Table(name = "grade_history")
public class GradeHistoryRow extends PanacheEntityBase {
    @Id
    public Long id;
    @Column(name = "merchant_id")
    public Long merchantId;
    @Enumerated(EnumType.STRING)
    @Column(name = "old_grade")
    public Grade oldGrade;
    @Enumerated(EnumType.STRING)
    @Column(name = "new_grade")
    public Grade newGrade;
    @Column(name = "old_score")
    public Integer oldScore;
    @Column(name = "new_score")
    public int newScore;
    @Column(name = "changed_at")
    public OffsetDateTime changedAt;
    @Column(name = "rule_set_version")
    public String ruleSetVersion;
    public String cause;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Reason> reasons;
}
