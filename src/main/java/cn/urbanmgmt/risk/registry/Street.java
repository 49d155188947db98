package cn.urbanmgmt.risk.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A street or town (街镇) of the district: reference data seeded by the first migration. */
@Entity
@Table(name = "street")
public class Street extends PanacheEntityBase {
    @Id
    public String code;
    public String name;
    @Column(name = "squad_code")
    public String squadCode;
    @Column(name = "sort_order")
    public int sortOrder;
}
