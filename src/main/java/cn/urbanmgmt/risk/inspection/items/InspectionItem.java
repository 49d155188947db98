package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
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
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One entry of the random-inspection item list (随机抽查事项清单) in one year edition. */
@Entity
@Table(name = "inspection_item")
public class InspectionItem extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "inspection_item_seq")
    @SequenceGenerator(name = "inspection_item_seq", sequenceName = "inspection_item_seq", allocationSize = 50)
    public Long id;
    public int edition;
    public String code;
    public String name;
    @Column(name = "legal_basis")
    public String legalBasis;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<MerchantCategory> categories = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "key_unit_types")
    public List<KeyUnitType> keyUnitTypes = new ArrayList<>();
    @Enumerated(EnumType.STRING)
    public InspectionMode mode;
    @Column(name = "sampling_policy")
    public String samplingPolicy;
    public String description;
    /** The checklist (检查要点): the deduction codes a result of this item may use. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<CheckPoint> checklist = new ArrayList<>();
    public boolean active = true;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;
    @Version
    public int version;

    /** Whether the item applies to a merchant of this category and key-unit type (null: not a key unit). */
    public boolean appliesTo(MerchantCategory category, KeyUnitType keyUnitType) {
        return applies(categories, keyUnitTypes, category, keyUnitType);
    }

    public static boolean applies(List<MerchantCategory> categories, List<KeyUnitType> keyUnitTypes,
                                  MerchantCategory category, KeyUnitType keyUnitType) {
        if (categories.isEmpty() && keyUnitTypes.isEmpty()) return true;
        return categories.contains(category) || (keyUnitType != null && keyUnitTypes.contains(keyUnitType));
    }

    public static InspectionItem find(int edition, String code) {
        return find("edition = ?1 and code = ?2", edition, code).firstResult();
    }
}
