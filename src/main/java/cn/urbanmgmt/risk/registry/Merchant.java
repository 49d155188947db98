package cn.urbanmgmt.risk.registry;

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
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A street-front merchant (沿街商户) in the inspection-object registry (检查对象名录库). */
@Entity
@Table(name = "merchant")
public class Merchant extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "merchant_seq")
    @SequenceGenerator(name = "merchant_seq", sequenceName = "merchant_seq", allocationSize = 50)
    public Long id;

    public String uscc;
    public String name;
    public String address;
    @Column(name = "street_code")
    public String streetCode;
    @Enumerated(EnumType.STRING)
    public MerchantCategory category;
    @Column(name = "key_unit")
    public boolean keyUnit;
    @Enumerated(EnumType.STRING)
    @Column(name = "key_unit_type")
    public KeyUnitType keyUnitType;
    @Enumerated(EnumType.STRING)
    public MerchantStatus status;
    @Column(name = "opened_on")
    public LocalDate openedOn;
    @Column(name = "contact_name")
    public String contactName;
    @Column(name = "contact_phone")
    public String contactPhone;
    public BigDecimal longitude;
    public BigDecimal latitude;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Version
    public int version;

    public static Merchant findByUscc(String uscc) {
        return find("uscc", uscc).firstResult();
    }
}
