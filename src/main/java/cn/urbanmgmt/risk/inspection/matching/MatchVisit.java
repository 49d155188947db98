package cn.urbanmgmt.risk.inspection.matching;

import java.util.List;

/**
 * A visit to staff: its place in the plan, the merchant (uscc, its street's squad, contact person
 * for person conflicts, badges of its previous inspection) and the items checked together.
 */
public record MatchVisit(int visitNo, String uscc, String windowStart, String merchantSquad, String contactName,
                         List<String> items, List<String> previousBadges) {
}
