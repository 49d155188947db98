package cn.urbanmgmt.risk.inspection.matching;

import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;

/**
 * Matches inspectors to visits (the second "random"), deterministically from the plan's seed.
 *
 * <p>Pool: the merchant's squad, or one named cross-squad pool for the whole plan. Eligible: active,
 * qualified for every item of the visit, no declared conflict with the merchant (uscc) or its contact
 * person. A visit with fewer eligible inspectors than required makes the plan infeasible. Fair share
 * per pool: {@code cap = ceil(perVisit × visits / n)}, n = pool inspectors eligible for at least one
 * of its visits.
 *
 * <p>Visits are staffed most-constrained first (fewest eligible, then by visit key). Each seat goes
 * to the eligible inspector with the smallest (load ≥ cap, was at the merchant's previous
 * inspection, load, mix(visit key, inspector key), id). Keys are the first 64 bits of
 * HMAC-SHA256(seed, "visit|" + uscc + "|" + windowStart) and HMAC-SHA256(seed, "inspector|" + badge).
 */
public final class Matching {

    public static final String CROSS_POOL = "POOL";

    private Matching() {
    }

    /** Staffing of one visit: inspector ids in seat order and the squad responsible for the visit. */
    public record Assignment(int visitNo, long[] inspectorIds, String squad) {
    }

    public record PoolReport(String pool, int visits, int inspectors, int cap, int maxLoad, List<Overload> overCap) {
    }

    public record Overload(String badgeNo, String name, int load, int cap) {
    }

    /** A visit that cannot be staffed, with the counts that explain why. */
    public record Shortfall(int visitNo, String uscc, String pool, List<String> items, int poolActive, int qualified,
                            int conflicted, int eligible, int needed) {
    }

    public record Result(Map<Integer, Assignment> assignments, List<PoolReport> pools, List<Shortfall> shortfalls) {
        public boolean feasible() {
            return shortfalls.isEmpty();
        }
    }

    /**
     * @param crossPoolSquads null: each visit is staffed from its merchant's squad; else from the
     *                        inspectors of these squads together
     */
    public static Result match(byte[] seed, List<MatchVisit> visits, List<MatchInspector> inspectors, Set<String> crossPoolSquads,
                               int perVisit) {
        Mac mac = HmacRank.mac(seed);
        Map<String, List<MatchInspector>> pools = new TreeMap<>();
        for (MatchInspector i : inspectors) {
            if (!i.active()) continue;
            if (crossPoolSquads != null) {
                if (crossPoolSquads.contains(i.squad())) pools.computeIfAbsent(CROSS_POOL, k -> new ArrayList<>()).add(i);
            } else {
                pools.computeIfAbsent(i.squad(), k -> new ArrayList<>()).add(i);
            }
        }
        Map<String, List<MatchVisit>> visitsByPool = new TreeMap<>();
        for (MatchVisit v : visits) {
            visitsByPool.computeIfAbsent(crossPoolSquads != null ? CROSS_POOL : v.merchantSquad(), k -> new ArrayList<>()).add(v);
        }
        Map<Integer, Assignment> assignments = new HashMap<>();
        List<PoolReport> reports = new ArrayList<>();
        List<Shortfall> shortfalls = new ArrayList<>();
        for (Map.Entry<String, List<MatchVisit>> e : visitsByPool.entrySet()) {
            List<MatchInspector> pool = new ArrayList<>(pools.getOrDefault(e.getKey(), List.of()));
            pool.sort(Comparator.comparingLong(MatchInspector::id));
            matchPool(mac, e.getKey(), e.getValue(), pool, perVisit, assignments, reports, shortfalls);
        }
        shortfalls.sort(Comparator.comparingInt(Shortfall::visitNo));
        return new Result(assignments, reports, shortfalls);
    }

    private static void matchPool(Mac mac, String poolName, List<MatchVisit> visits, List<MatchInspector> pool, int perVisit,
                                  Map<Integer, Assignment> out, List<PoolReport> reports, List<Shortfall> shortfalls) {
        int n = pool.size();
        long[] inspectorKey = new long[n];
        long[] idOf = new long[n]; // the inner loop below runs visits × inspectors times: plain arrays
        Map<String, Integer> byBadge = new HashMap<>();
        Map<String, List<Integer>> byConflictUscc = new HashMap<>();
        Map<String, List<Integer>> byConflictPerson = new HashMap<>();
        for (int i = 0; i < n; i++) {
            MatchInspector x = pool.get(i);
            inspectorKey[i] = HmacRank.key64(mac, "inspector|" + x.badgeNo());
            idOf[i] = x.id();
            byBadge.put(x.badgeNo(), i);
            for (String u : x.conflictUsccs()) byConflictUscc.computeIfAbsent(u, k -> new ArrayList<>()).add(i);
            for (String p : x.conflictPersons()) byConflictPerson.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
        }
        // Qualification depends only on the visit's item set: compute it once per set.
        Map<List<String>, int[]> qualifiedBySet = new HashMap<>();
        int m = visits.size();
        int[][] eligible = new int[m][];
        long[] visitKey = new long[m];
        boolean[] everEligible = new boolean[n];
        for (int v = 0; v < m; v++) {
            MatchVisit visit = visits.get(v);
            visitKey[v] = HmacRank.key64(mac, "visit|" + visit.uscc() + "|" + visit.windowStart());
            int[] qualified = qualifiedBySet.computeIfAbsent(visit.items(), items -> {
                List<Integer> q = new ArrayList<>();
                for (int i = 0; i < n; i++) if (pool.get(i).qualifiedItems().containsAll(items)) q.add(i);
                return q.stream().mapToInt(Integer::intValue).toArray();
            });
            List<Integer> byUscc = byConflictUscc.get(visit.uscc());
            List<Integer> byPerson = visit.contactName() == null ? null : byConflictPerson.get(visit.contactName());
            int[] ok = qualified;
            if (byUscc != null || byPerson != null) { // rare: only then build the set
                Set<Integer> conflicted = new HashSet<>();
                if (byUscc != null) conflicted.addAll(byUscc);
                if (byPerson != null) conflicted.addAll(byPerson);
                ok = Arrays.stream(qualified).filter(i -> !conflicted.contains(i)).toArray();
            }
            eligible[v] = ok;
            for (int i : ok) everEligible[i] = true;
            if (ok.length < perVisit) {
                int conflictedQualified = qualified.length - ok.length;
                shortfalls.add(new Shortfall(visit.visitNo(), visit.uscc(), poolName, visit.items(), n, qualified.length,
                        conflictedQualified, ok.length, perVisit));
            }
        }
        int staff = 0;
        for (boolean b : everEligible) if (b) staff++;
        int cap = staff == 0 ? 0 : (int) (((long) perVisit * m + staff - 1) / staff);
        if (!shortfalls.isEmpty() && shortfalls.stream().anyMatch(s -> s.pool().equals(poolName))) {
            reports.add(new PoolReport(poolName, m, staff, cap, 0, List.of()));
            return;
        }
        Integer[] order = new Integer[m];
        for (int v = 0; v < m; v++) order[v] = v;
        Arrays.sort(order, (a, b) -> {
            int c = Integer.compare(eligible[a].length, eligible[b].length);
            if (c != 0) return c;
            c = Long.compareUnsigned(visitKey[a], visitKey[b]);
            return c != 0 ? c : Integer.compare(visits.get(a).visitNo(), visits.get(b).visitNo());
        });
        int[] load = new int[n];
        boolean[] previous = new boolean[n];
        for (int v : order) {
            MatchVisit visit = visits.get(v);
            List<Integer> marked = new ArrayList<>(2);
            for (String badge : visit.previousBadges()) {
                Integer i = byBadge.get(badge);
                if (i != null) {
                    previous[i] = true;
                    marked.add(i);
                }
            }
            // One pass keeps the perVisit smallest (load >= cap, was there last time, load, mix(visit key, inspector key), id).
            // Choosing seat by seat gives the same inspectors: taking a seat changes only the taken inspector's load.
            int[] chosen = new int[perVisit];
            int[] tierOf = new int[perVisit];
            int[] loadOf = new int[perVisit];
            long[] mixOf = new long[perVisit];
            int filled = 0;
            for (int i : eligible[v]) {
                int tier = (load[i] >= cap ? 2 : 0) + (previous[i] ? 1 : 0);
                int l = load[i];
                if (filled == perVisit) {
                    int w = perVisit - 1; // the worst kept
                    if (tier > tierOf[w] || (tier == tierOf[w] && l > loadOf[w])) continue;
                }
                long mix = mix(visitKey[v] ^ inspectorKey[i]);
                int at = filled == perVisit ? perVisit - 1 : filled;
                if (filled == perVisit && !before(tier, l, mix, idOf[i], tierOf[at], loadOf[at], mixOf[at], idOf[chosen[at]])) continue;
                if (filled < perVisit) filled++;
                // insertion into the kept list, best first
                while (at > 0 && before(tier, l, mix, idOf[i], tierOf[at - 1], loadOf[at - 1], mixOf[at - 1], idOf[chosen[at - 1]])) {
                    chosen[at] = chosen[at - 1];
                    tierOf[at] = tierOf[at - 1];
                    loadOf[at] = loadOf[at - 1];
                    mixOf[at] = mixOf[at - 1];
                    at--;
                }
                chosen[at] = i;
                tierOf[at] = tier;
                loadOf[at] = l;
                mixOf[at] = mix;
            }
            long[] chosenIds = new long[perVisit];
            for (int seat = 0; seat < perVisit; seat++) {
                chosenIds[seat] = idOf[chosen[seat]];
                load[chosen[seat]]++;
            }
            for (int i : marked) previous[i] = false;
            String squad = poolName.equals(CROSS_POOL) ? pool.get(chosen[0]).squad() : poolName;
            out.put(visit.visitNo(), new Assignment(visit.visitNo(), chosenIds, squad));
        }
        int maxLoad = 0;
        List<Overload> over = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            maxLoad = Math.max(maxLoad, load[i]);
            if (load[i] > cap) over.add(new Overload(pool.get(i).badgeNo(), pool.get(i).name(), load[i], cap));
        }
        over.sort(Comparator.comparing(Overload::badgeNo));
        reports.add(new PoolReport(poolName, m, staff, cap, maxLoad, over));
    }

    private static boolean before(int tier, int load, long mix, long id, int tier2, int load2, long mix2, long id2) {
        if (tier != tier2) return tier < tier2;
        if (load != load2) return load < load2;
        int c = Long.compareUnsigned(mix, mix2);
        return c != 0 ? c < 0 : id < id2;
    }

    /** SplitMix64's finaliser: spreads a 64-bit value so that each visit orders inspectors differently. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Loads per badge, for summaries. */
    public static Map<Long, Integer> loads(Map<Integer, Assignment> assignments) {
        Map<Long, Integer> loads = new LinkedHashMap<>();
        for (Assignment a : assignments.values()) for (long id : a.inspectorIds()) loads.merge(id, 1, Integer::sum);
        return loads;
    }
}
