package cn.urbanmgmt.risk.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.util.Set;

/** An enforcement squad (执法中队) and the streets it works on. */
@Entity
@Table(name = "squad")
public class Squad extends PanacheEntityBase {
    @Id
    public String code;
    public String name;
    public String kind;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "squad_street", joinColumns = @JoinColumn(name = "squad_code"))
    @Column(name = "street_code")
    public Set<String> streetCodes;
}
