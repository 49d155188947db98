package cn.urbanmgmt.risk.inspection.draw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The draw against the plainest reading of its published definition: sort every member by the hex
 * string of its key (then id) and take the first ceil(size × proportion); weekly strata take slices.
 */
class DrawUnitTest {

    private final Random random = new Random(5);

    @Test
    void requiredIsTheCeilingComputedExactlyInBasisPoints() {
        assertEquals(0, Draw.required(0, 300));
        assertEquals(1, Draw.required(1, 1));
        assertEquals(3, Draw.required(100, 300));
        assertEquals(4, Draw.required(101, 300));
        assertEquals(30_000, Draw.required(1_000_000, 300));
        assertEquals(2_000_000_000, Draw.required(2_000_000_000, 10_000)); // no overflow
    }

    @Test
    void oncePerPeriodStratumTakesTheSmallestKeys() {
        for (int round = 0; round < 20; round++) {
            String[] ids = ids(500 + random.nextInt(2_000));
            long[] keys = HmacRank.keys(ids, seed());
            int[] members = someMembers(ids.length);
            int bp = 1 + random.nextInt(10_000);
            Draw.Selection s = Draw.select(ids, keys, new Draw.Stratum("ITEM", "GREEN", bp, false, members), 4);
            int[] expected = Arrays.copyOf(reference(ids, keys, members), Draw.required(members.length, bp));
            int[] got = s.picks().get(0).clone();
            Arrays.sort(expected);
            Arrays.sort(got);
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void weeklyStratumTakesConsecutiveSlicesOfTheRanking() {
        for (int round = 0; round < 20; round++) {
            String[] ids = ids(50 + random.nextInt(500));
            long[] keys = HmacRank.keys(ids, seed());
            int[] members = someMembers(ids.length);
            int weeks = 1 + random.nextInt(8);
            int bp = 1 + random.nextInt(6_000);
            Draw.Selection s = Draw.select(ids, keys, new Draw.Stratum("ITEM", "RED", bp, true, members), weeks);
            int[] ranked = reference(ids, keys, members);
            int k = Draw.required(members.length, bp);
            assertEquals(weeks, s.picks().size());
            for (int w = 0; w < weeks; w++) {
                int week = w;
                int[] expected = IntStream.range(0, k).map(j -> ranked[(week * k + j) % ranked.length]).toArray();
                assertArrayEquals(expected, s.picks().get(w), "week " + w);
            }
        }
    }

    @Test
    void quickselectFindsTheKthSmallest() {
        for (int round = 0; round < 200; round++) {
            long[] a = random.longs(1 + random.nextInt(300), -5, 5).toArray(); // many ties
            long[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(a.length);
            assertEquals(sorted[k], Draw.select(a, k));
        }
    }

    @Test
    void drawOfAllStrataKeepsTheirOrder() {
        String[] ids = ids(100);
        long[] keys = HmacRank.keys(ids, seed());
        List<Draw.Stratum> strata = List.of(new Draw.Stratum("A", "RED", 10_000, false, IntStream.range(0, 10).toArray()),
                new Draw.Stratum("A", "GREEN", 300, false, IntStream.range(10, 100).toArray()));
        List<Draw.Selection> out = Draw.draw(ids, keys, strata, 1);
        assertEquals(10, out.get(0).drawn());
        assertEquals(3, out.get(1).drawn());
    }

    private int[] reference(String[] ids, long[] keys, int[] members) {
        return Arrays.stream(members).boxed()
                .sorted(Comparator.<Integer, String>comparing(i -> HmacRank.hex(keys, i)).thenComparing(i -> ids[i]))
                .mapToInt(Integer::intValue).toArray();
    }

    private String[] ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> "91310000" + String.format("%010d", random.nextInt(1 << 30))).toArray(String[]::new);
    }

    private int[] someMembers(int n) {
        return IntStream.range(0, n).filter(i -> random.nextInt(4) != 0).toArray();
    }

    private byte[] seed() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return seed;
    }
}
