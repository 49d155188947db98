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
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A merchant's current grade (written by {@link GradeStore}, read here). */
@Entity
@Table(name = "merchant_grade")
public class MerchantGradeRow extends PanacheEntityBase {
    @Id
    @Column(name = "merchant_id")
    public Long merchantId;
    @Enumerated(EnumType.STRING)
    public Grade grade;
    public int score;
    @Column(name = "rule_set_version")
    public String ruleSetVersion;
    @Column(name = "evaluated_at")
    public OffsetDateTime evaluatedAt;
    @Column(name = "evaluation_date")
    public LocalDate evaluationDate;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Reason> reasons;
}
