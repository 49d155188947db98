package cn.urbanmgmt.risk.inspection.matching;

import java.util.List;

/** An inspector as the matching saw it (recorded with the plan, so verify uses the same data). */
public record MatchInspector(long id, String badgeNo, String name, String squad, boolean active, List<String> qualifiedItems,
                             List<String> conflictUsccs, List<String> conflictPersons) {
}
