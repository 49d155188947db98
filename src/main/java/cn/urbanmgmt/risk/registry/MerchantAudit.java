package cn.urbanmgmt.risk.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One change to a merchant: who, when, and each changed field's old and new value. */
@Entity
@Table(name = "merchant_audit")
public class MerchantAudit extends PanacheEntityBase {

    public enum Action { CREATE, UPDATE, CLOSE, IMPORT }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "merchant_audit_seq")
    @SequenceGenerator(name = "merchant_audit_seq", sequenceName = "merchant_audit_seq", allocationSize = 50)
    public Long id;
    @Column(name = "merchant_id")
    public Long merchantId;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Action action;
    @Column(name = "changed_by")
    public String changedBy;
    @Column(name = "changed_at")
    public OffsetDateTime changedAt;
    /** field -> {"old": ..., "new": ...} */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Map<String, Object>> changes;
}
