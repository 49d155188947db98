package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import java.util.List;

/**
 * What the matching used, recorded with the plan: the pool rule, seats per visit, the inspectors of
 * the pools as they were, and for each drawn merchant its squad, contact person and the badges of its
 * previous inspection.
 */
public record MatchInputs(List<String> crossPoolSquads, int perVisit, List<MatchInspector> inspectors, List<MerchantInfo> merchants) {

    public record MerchantInfo(String uscc, long merchantId, String street, String squad, String contactName,
                               List<String> previousBadges) {
    }
}
