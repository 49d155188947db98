package cn.urbanmgmt.risk.inspection.inspectors;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An enforcement officer in the inspector registry (执法检查人员名录库). */
@Entity
@Table(name = "inspector")
public class Inspector extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "inspector_seq")
    @SequenceGenerator(name = "inspector_seq", sequenceName = "inspector_seq", allocationSize = 50)
    public Long id;
    /** 执法证号, unique. */
    @Column(name = "badge_no")
    public String badgeNo;
    public String name;
    @Column(name = "squad_code")
    public String squadCode;
    public boolean active = true;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "qualified_items")
    public List<String> qualifiedItems = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "conflict_usccs")
    public List<String> conflictUsccs = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "conflict_persons")
    public List<String> conflictPersons = new ArrayList<>();
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;
    @Version
    public int version;

    public static Inspector findByBadge(String badgeNo) {
        return find("badgeNo", badgeNo).firstResult();
    }
}
