package cn.urbanmgmt.risk.inspection.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The second random without a database: eligibility, fair share, determinism. */
class MatchingUnitTest {

    private static final byte[] SEED = HmacRank.seedBytes("aa".repeat(32));
    private static final byte[] OTHER_SEED = HmacRank.seedBytes("bb".repeat(32));

    @Test
    void sameSeedSameTeamsOtherSeedOtherTeams() {
        List<MatchVisit> visits = visits("S1", 40, List.of("FOOD"));
        List<MatchInspector> staff = staff("S1", 10, List.of("FOOD"));
        Matching.Result a = Matching.match(SEED, visits, staff, null, 2);
        Matching.Result b = Matching.match(SEED, visits, staff, null, 2);
        Matching.Result c = Matching.match(OTHER_SEED, visits, staff, null, 2);
        assertTrue(a.feasible());
        boolean anyDifferent = false;
        for (MatchVisit v : visits) {
            assertArrayEquals(a.assignments().get(v.visitNo()).inspectorIds(), b.assignments().get(v.visitNo()).inspectorIds());
            anyDifferent |= !java.util.Arrays.equals(a.assignments().get(v.visitNo()).inspectorIds(),
                    c.assignments().get(v.visitNo()).inspectorIds());
        }
        assertTrue(anyDifferent, "another seed must give other teams");
    }

    @Test
    void everyoneGetsAFairShareAndNobodyTwiceOnAVisit() {
        List<MatchVisit> visits = visits("S1", 45, List.of("FOOD"));
        Matching.Result r = Matching.match(SEED, visits, staff("S1", 10, List.of("FOOD")), null, 2);
        int cap = (2 * 45 + 9) / 10;
        assertEquals(cap, r.pools().get(0).cap());
        Map<Long, Integer> loads = Matching.loads(r.assignments());
        assertEquals(10, loads.size());
        loads.values().forEach(load -> assertTrue(load <= cap, "load " + load + " over cap " + cap));
        for (Matching.Assignment a : r.assignments().values()) assertNotEquals(a.inspectorIds()[0], a.inspectorIds()[1]);
    }

    @Test
    void conflictsUnqualifiedAndInactiveInspectorsAreNeverChosen() {
        List<MatchVisit> visits = visits("S1", 20, List.of("FOOD", "FIRE"));
        List<MatchInspector> staff = new ArrayList<>(staff("S1", 6, List.of("FOOD", "FIRE")));
        staff.add(new MatchInspector(100, "B100", "只懂食品", "S1", true, List.of("FOOD"), List.of(), List.of()));
        staff.add(new MatchInspector(101, "B101", "停用", "S1", false, List.of("FOOD", "FIRE"), List.of(), List.of()));
        staff.add(new MatchInspector(102, "B102", "有利害关系", "S1", true, List.of("FOOD", "FIRE"), List.of(visits.get(0).uscc()),
                List.of("联系人3")));
        Matching.Result r = Matching.match(SEED, visits, staff, null, 2);
        assertTrue(r.feasible());
        for (Matching.Assignment a : r.assignments().values()) {
            Set<Long> ids = java.util.Arrays.stream(a.inspectorIds()).boxed().collect(Collectors.toSet());
            assertFalse(ids.contains(100L));
            assertFalse(ids.contains(101L));
            if (a.visitNo() == 1 || a.visitNo() == 3) assertFalse(ids.contains(102L), "conflict on visit " + a.visitNo());
        }
    }

    @Test
    void tooFewEligibleIsAShortfallWithItsCounts() {
        List<MatchVisit> visits = visits("S1", 3, List.of("FOOD"));
        List<MatchInspector> staff = List.of(
                new MatchInspector(1, "B1", "甲", "S1", true, List.of("FOOD"), List.of(visits.get(0).uscc()), List.of()),
                new MatchInspector(2, "B2", "乙", "S1", true, List.of("FOOD"), List.of(), List.of()),
                new MatchInspector(3, "B3", "丙", "S1", true, List.of("FIRE"), List.of(), List.of()));
        Matching.Result r = Matching.match(SEED, visits, staff, null, 2);
        assertFalse(r.feasible());
        Matching.Shortfall s = r.shortfalls().get(0);
        assertEquals(1, s.visitNo());
        assertEquals(3, s.poolActive());
        assertEquals(2, s.qualified());
        assertEquals(1, s.conflicted());
        assertEquals(1, s.eligible());
        assertEquals(2, s.needed());
    }

    @Test
    void theInspectorOfThePreviousInspectionIsAvoidedWhenOthersCanGo() {
        List<MatchVisit> visits = new ArrayList<>();
        for (int v = 1; v <= 10; v++) {
            visits.add(new MatchVisit(v, "uscc" + v, "2027-01-04", "S1", null, List.of("FOOD"), List.of("B1")));
        }
        Matching.Result r = Matching.match(SEED, visits, staff("S1", 6, List.of("FOOD")), null, 1);
        r.assignments().values().forEach(a -> assertNotEquals(1L, a.inspectorIds()[0]));
    }

    @Test
    void aCrossSquadPoolStaffsFromEveryNamedSquad() {
        List<MatchVisit> visits = visits("S1", 30, List.of("FOOD"));
        List<MatchInspector> staff = new ArrayList<>(staff("S2", 4, List.of("FOOD")));
        staff.addAll(staff("S3", 4, List.of("FOOD")).stream()
                .map(i -> new MatchInspector(i.id() + 50, i.badgeNo() + "x", i.name(), i.squad(), true, i.qualifiedItems(), List.of(),
                        List.of()))
                .toList());
        Matching.Result r = Matching.match(SEED, visits, staff, Set.of("S2", "S3"), 2);
        assertTrue(r.feasible());
        Set<String> squads = new HashSet<>();
        r.assignments().values().forEach(a -> squads.add(a.squad()));
        assertEquals(Set.of("S2", "S3"), squads);
    }

    private static List<MatchVisit> visits(String squad, int n, List<String> items) {
        List<MatchVisit> out = new ArrayList<>();
        for (int v = 1; v <= n; v++) {
            out.add(new MatchVisit(v, "9131000000000" + String.format("%05d", v), "2027-01-04", squad, "联系人" + v, items, List.of()));
        }
        return out;
    }

    private static List<MatchInspector> staff(String squad, int n, List<String> items) {
        List<MatchInspector> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new MatchInspector(i, "B" + i, "检查员" + i, squad, true, items, List.of(), List.of()));
        }
        return out;
    }
}
