package cn.urbanmgmt.risk.inspection.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The published ranking key, as a third party recomputes it from docs/double-random.md. */
class HmacRankTest {

    @Test
    void keyIsHmacSha256OfTheIdWithTheSeedAsKey() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
        long[] keys = HmacRank.keys(new String[] {"what do ya want for nothing?"}, "Jefe".getBytes(StandardCharsets.UTF_8));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HmacRank.hex(keys, 0));
    }

    @Test
    void seedIsReadAsHex() {
        byte[] seed = HmacRank.seedBytes("00ff10");
        assertEquals(3, seed.length);
        assertEquals((byte) 0xff, seed[1]);
    }

    @Test
    void unsignedComparisonOfKeysIsTheOrderOfTheirHexStrings() {
        Random random = new Random(11);
        String[] ids = new String[2_000];
        for (int i = 0; i < ids.length; i++) ids[i] = Integer.toString(random.nextInt(1_000_000));
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        long[] keys = HmacRank.keys(ids, seed); // in parallel chunks: must equal the one-by-one computation
        for (int i = 0; i + 1 < ids.length; i++) {
            String a = HmacRank.hex(keys, i);
            String b = HmacRank.hex(keys, i + 1);
            assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(HmacRank.compare(keys, i, i + 1)), () -> a + " vs " + b);
            assertEquals(a, HmacRank.hex(HmacRank.keys(new String[] {ids[0 + i]}, seed), 0));
        }
    }

    @Test
    void firstSixtyFourBitsAreTheTieBreakKey() {
        byte[] seed = HmacRank.seedBytes("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        long[] keys = HmacRank.keys(new String[] {"visit|x|2027-01-04"}, seed);
        assertEquals(keys[0], HmacRank.key64(HmacRank.mac(seed), "visit|x|2027-01-04"));
    }
}
