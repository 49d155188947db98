package cn.urbanmgmt.risk.inspection.matching;

import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;

/**
 * Replacing one inspector of a visit (illness, a newly declared conflict) by a random re-match that
 * anyone holding the seed and the recorded inputs can repeat (docs/double-random.md, section 4).
 *
 * <p>Eligible: in the visit's pool as recorded with the plan (the merchant's squad, or the plan's
 * cross-squad pool), active and qualified for every item of the visit and without a recorded conflict
 * with the merchant or its contact person, not on the visit, never replaced out of it, and not in the
 * replacement's list of unavailable badges (recorded with it: inspectors now inactive or now in
 * conflict, and any the officer names). The one with the smallest (load in the plan, key) is chosen,
 * key = HMAC-SHA256(seed, "replace|" + visitNo + "|" + round + "|" + badge) compared as an unsigned
 * big-endian number (lowercase hex order), round = 1 for the visit's first replacement, 2 for its
 * second, ... The new inspector takes the replaced one's seat; the responsible squad stays.
 */
public final class Rematch {

    private Rematch() {
    }

    /** One recorded replacement, in the order they were made. */
    public record Replacement(int visitNo, long replacedId, long newId, List<String> unavailableBadges) {
    }

    /** Inspectors that could take the seat, best first. */
    public static List<MatchInspector> ranked(byte[] seed, MatchVisit visit, int round, List<MatchInspector> inspectors,
                                              Set<String> crossPoolSquads, long[] team, Set<Long> excluded, Set<String> unavailableBadges,
                                              Map<Long, Integer> loads) {
        Mac mac = HmacRank.mac(seed);
        Set<Long> onVisit = new HashSet<>();
        for (long id : team) onVisit.add(id);
        List<MatchInspector> ok = new ArrayList<>();
        Map<Long, String> keys = new HashMap<>();
        for (MatchInspector i : inspectors) {
            boolean inPool = crossPoolSquads != null ? crossPoolSquads.contains(i.squad()) : i.squad().equals(visit.merchantSquad());
            if (!inPool || !i.active() || !i.qualifiedItems().containsAll(visit.items())) continue;
            if (i.conflictUsccs().contains(visit.uscc()) || visit.contactName() != null && i.conflictPersons().contains(visit.contactName())) continue;
            if (onVisit.contains(i.id()) || excluded.contains(i.id()) || unavailableBadges.contains(i.badgeNo())) continue;
            ok.add(i);
            keys.put(i.id(), HexFormat.of().formatHex(mac.doFinal(("replace|" + visit.visitNo() + "|" + round + "|" + i.badgeNo())
                    .getBytes(StandardCharsets.UTF_8))));
        }
        ok.sort(Comparator.comparingInt((MatchInspector i) -> loads.getOrDefault(i.id(), 0)).thenComparing(i -> keys.get(i.id()))
                .thenComparingLong(MatchInspector::id));
        return ok;
    }

    /** What replaying the recorded replacements gives: the teams afterwards, and each replacement's expected new inspector (null: none eligible). */
    public record Replayed(Map<Integer, long[]> teams, List<Long> expectedNew, List<String> problems) {
    }

    /**
     * Applies the recorded replacements in order to the teams of the matching. Each is re-drawn: the
     * expected new inspector is what the rule above gives, which verify compares with the recorded one
     * (the recorded one is applied either way, so later replacements are judged on what was stored).
     */
    public static Replayed replay(byte[] seed, Map<Integer, MatchVisit> visits, Map<Integer, long[]> teams, List<MatchInspector> inspectors,
                                  Set<String> crossPoolSquads, List<Replacement> replacements) {
        Map<Integer, long[]> out = new HashMap<>();
        teams.forEach((k, v) -> out.put(k, v.clone()));
        Map<Long, Integer> loads = new HashMap<>();
        for (long[] t : out.values()) for (long id : t) loads.merge(id, 1, Integer::sum);
        Map<Integer, Set<Long>> replacedOut = new HashMap<>();
        Map<Integer, Integer> rounds = new HashMap<>();
        List<Long> expected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Replacement r : replacements) {
            long[] team = out.get(r.visitNo());
            MatchVisit visit = visits.get(r.visitNo());
            if (team == null || visit == null) {
                expected.add(null);
                problems.add("第 " + r.visitNo() + " 户次不存在");
                continue;
            }
            int seat = -1;
            for (int s = 0; s < team.length; s++) if (team[s] == r.replacedId()) seat = s;
            Set<Long> excluded = replacedOut.computeIfAbsent(r.visitNo(), k -> new HashSet<>());
            excluded.add(r.replacedId());
            int round = rounds.merge(r.visitNo(), 1, Integer::sum);
            List<MatchInspector> ranked = ranked(seed, visit, round, inspectors, crossPoolSquads, team, excluded,
                    new HashSet<>(r.unavailableBadges()), loads);
            expected.add(ranked.isEmpty() ? null : ranked.get(0).id());
            if (seat < 0) {
                problems.add("第 " + r.visitNo() + " 户次：被替换的人员（#" + r.replacedId() + "）当时不在该任务中");
                continue;
            }
            team[seat] = r.newId();
            loads.merge(r.replacedId(), -1, Integer::sum);
            loads.merge(r.newId(), 1, Integer::sum);
        }
        return new Replayed(out, expected, problems);
    }
}
