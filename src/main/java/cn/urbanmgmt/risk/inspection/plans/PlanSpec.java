package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import java.time.LocalDate;
import java.util.List;

/** A checked plan request: items as they are now (recorded with the plan), scope resolved to codes. */
public record PlanSpec(String name, int edition, List<ItemSnapshot> items, ScopeSpec scope, LocalDate periodStart, LocalDate periodEnd,
                       String seedHex, boolean seedGenerated, List<String> crossPoolSquads, int perVisit) {

    public record ItemSnapshot(long id, String code, String name, String legalBasis, InspectionMode mode, String samplingPolicy,
                               List<MerchantCategory> categories, List<KeyUnitType> keyUnitTypes) {
    }

    /** Empty lists mean "no restriction". */
    public record ScopeSpec(List<String> streets, List<MerchantCategory> categories, boolean keyUnitsOnly, List<String> usccs) {
    }

    public int days() {
        return (int) (periodEnd.toEpochDay() - periodStart.toEpochDay() + 1);
    }

    public int weeks() {
        return VisitBuilder.weeks(periodStart, periodEnd);
    }
}
