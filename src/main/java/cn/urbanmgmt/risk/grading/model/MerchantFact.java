package cn.urbanmgmt.risk.grading.model;

import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.time.LocalDate;

/** The merchant being graded, as the rules see it (read-only). */
public class MerchantFact {
    private final long id;
    private final String uscc;
    private final String name;
    private final String street;
    private final MerchantCategory category;
    private final boolean keyUnit;
    private final KeyUnitType keyUnitType;
    private final MerchantStatus status;
    private final LocalDate openedOn;
    private final int daysOpen;

    public MerchantFact(long id, String uscc, String name, String street, MerchantCategory category, boolean keyUnit,
                        KeyUnitType keyUnitType, MerchantStatus status, LocalDate openedOn, LocalDate evaluationDate) {
        this.id = id;
        this.uscc = uscc;
        this.name = name;
        this.street = street;
        this.category = category;
        this.keyUnit = keyUnit;
        this.keyUnitType = keyUnitType;
        this.status = status;
        this.openedOn = openedOn;
        this.daysOpen = (int) (evaluationDate.toEpochDay() - openedOn.toEpochDay());
    }

    public long getId() { return id; }
    public String getUscc() { return uscc; }
    public String getName() { return name; }
    /** Street code, e.g. "jingansi". */
    public String getStreet() { return street; }
    public MerchantCategory getCategory() { return category; }
    public boolean isKeyUnit() { return keyUnit; }
    public KeyUnitType getKeyUnitType() { return keyUnitType; }
    public MerchantStatus getStatus() { return status; }
    public LocalDate getOpenedOn() { return openedOn; }
    /** Days between opening and the evaluation date. */
    public int getDaysOpen() { return daysOpen; }
}
