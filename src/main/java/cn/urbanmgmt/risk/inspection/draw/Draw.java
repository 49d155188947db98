package cn.urbanmgmt.risk.inspection.draw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The draw (随机抽取), as published in docs/double-random.md: per stratum, rank the candidates by their
 * HMAC key (ascending; equal keys, which do not occur in practice, by id) and take
 * {@code required = ceil(size × proportion)} of them, computed in integers from basis points. A
 * weekly stratum takes, in week w (0-based), the ranks {@code (w·required + j) mod size} for
 * {@code j < required}, so consecutive weeks take consecutive slices of the ranking.
 */
public final class Draw {

    private Draw() {
    }

    /** One stratum: members are indices into the id array the keys were computed for. */
    public record Stratum(String itemCode, String name, int basisPoints, boolean weekly, int[] members) {
    }

    /**
     * What a stratum gave: {@code picks.get(w)} are the drawn member indices of week w for a weekly
     * stratum, or {@code picks.get(0)} for the whole period otherwise.
     */
    public record Selection(Stratum stratum, int required, List<int[]> picks) {
        public int drawn() {
            return picks.stream().mapToInt(p -> p.length).sum();
        }
    }

    /** ceil(size × basisPoints / 10000), exactly. */
    public static int required(int size, int basisPoints) {
        return (int) (((long) size * basisPoints + 9_999) / 10_000);
    }

    public static List<Selection> draw(String[] ids, long[] keys, List<Stratum> strata, int weeks) {
        List<Selection> out = new ArrayList<>(strata.size());
        for (Stratum s : strata) out.add(select(ids, keys, s, weeks));
        return out;
    }

    static Selection select(String[] ids, long[] keys, Stratum s, int weeks) {
        int n = s.members().length;
        int k = required(n, s.basisPoints());
        if (!s.weekly()) {
            // Once per period only the set matters, not the order within it.
            return new Selection(s, k, List.of(k == n ? s.members().clone() : smallestSet(ids, keys, s.members(), k)));
        }
        int[] ranked = smallest(ids, keys, s.members(), (int) Math.min(n, (long) weeks * k));
        List<int[]> perWeek = new ArrayList<>(weeks);
        for (int w = 0; w < weeks; w++) {
            int[] week = new int[k];
            for (int j = 0; j < k; j++) week[j] = ranked[(int) (((long) w * k + j) % n)];
            perWeek.add(week);
        }
        return new Selection(s, k, perWeek);
    }

    /**
     * The {@code m} members with the smallest keys, in no particular order: those below the m-th
     * smallest first 64 key bits, plus the best-ranked of those equal to it.
     */
    static int[] smallestSet(String[] ids, long[] keys, int[] members, int m) {
        if (m == 0) return new int[0];
        int n = members.length;
        long[] hi = new long[n];
        for (int i = 0; i < n; i++) hi[i] = keys[4 * members[i]] ^ Long.MIN_VALUE;
        long threshold = select(hi.clone(), m - 1);
        int[] out = new int[m];
        int j = 0;
        List<Integer> tied = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (hi[i] < threshold) out[j++] = members[i];
            else if (hi[i] == threshold) tied.add(members[i]);
        }
        tied.sort((a, b) -> {
            int c = HmacRank.compare(keys, a, b);
            return c != 0 ? c : ids[a].compareTo(ids[b]);
        });
        for (int t = 0; j < m; t++) out[j++] = tied.get(t);
        return out;
    }

    /** The k-th smallest value (0-based) of a, rearranging a: quickselect, linear on average. */
    static long select(long[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        java.util.SplittableRandom pivots = new java.util.SplittableRandom(a.length);
        while (hi > lo) {
            long pivot = a[lo + pivots.nextInt(hi - lo + 1)];
            int i = lo;
            int lt = lo;
            int gt = hi;
            while (i <= gt) { // three-way partition: < pivot, == pivot, > pivot
                if (a[i] < pivot) swap(a, lt++, i++);
                else if (a[i] > pivot) swap(a, i, gt--);
                else i++;
            }
            if (k < lt) hi = lt - 1;
            else if (k > gt) lo = gt + 1;
            else return pivot;
        }
        return a[k];
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /**
     * The {@code m} members with the smallest keys, in rank order. Selects by the first 64 key bits
     * with a primitive sort, then fully orders only the few at or below the threshold.
     */
    static int[] smallest(String[] ids, long[] keys, int[] members, int m) {
        if (m == 0) return new int[0];
        int n = members.length;
        long[] hi = new long[n];
        for (int i = 0; i < n; i++) hi[i] = keys[4 * members[i]] ^ Long.MIN_VALUE; // signed order == unsigned order
        long[] sorted = hi.clone();
        Arrays.sort(sorted);
        long threshold = sorted[m - 1];
        int count = 0;
        for (int i = 0; i < n; i++) if (hi[i] <= threshold) count++;
        Integer[] below = new Integer[count];
        int j = 0;
        for (int i = 0; i < n; i++) if (hi[i] <= threshold) below[j++] = members[i];
        Arrays.sort(below, (a, b) -> {
            int c = HmacRank.compare(keys, a, b);
            return c != 0 ? c : ids[a].compareTo(ids[b]);
        });
        int[] out = new int[m];
        for (int i = 0; i < m; i++) out[i] = below[i];
        return out;
    }
}
