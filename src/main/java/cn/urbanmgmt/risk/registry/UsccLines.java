package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Uscc;

/**
 * The first file line of each valid USCC seen in an import, in about 40 bytes per code (two longs
 * and an int in an open-addressing table) rather than a map of strings: a million-row file
 * needs some 40 MB here, not hundreds.
 */
final class UsccLines {

    private long[] hi = new long[1 << 12];
    private long[] lo = new long[1 << 12];
    private int[] lines = new int[1 << 12];
    private int size;

    /** Records {@code uscc} at {@code line} unless already seen; returns the earlier line, or 0. */
    int putIfAbsent(String uscc, int line) {
        long h = encode(uscc, 0) + 1; // 0 marks an empty slot
        long l = encode(uscc, 9);
        if (size * 2 >= hi.length) grow();
        int mask = hi.length - 1;
        int i = slot(h, l) & mask;
        while (hi[i] != 0) {
            if (hi[i] == h && lo[i] == l) return lines[i];
            i = (i + 1) & mask;
        }
        hi[i] = h;
        lo[i] = l;
        lines[i] = line;
        size++;
        return 0;
    }

    private static long encode(String uscc, int from) {
        long v = 0;
        for (int i = from; i < from + 9; i++) v = v * 31 + Uscc.ALPHABET.indexOf(uscc.charAt(i));
        return v;
    }

    private static int slot(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l * 0xC2B2AE3D27D4EB4FL;
        return (int) (x ^ (x >>> 32));
    }

    private void grow() {
        long[] oh = hi, ol = lo;
        int[] oLines = lines;
        hi = new long[oh.length * 2];
        lo = new long[oh.length * 2];
        lines = new int[oh.length * 2];
        int mask = hi.length - 1;
        for (int j = 0; j < oh.length; j++) {
            if (oh[j] == 0) continue;
            int i = slot(oh[j], ol[j]) & mask;
            while (hi[i] != 0) i = (i + 1) & mask;
            hi[i] = oh[j];
            lo[i] = ol[j];
            lines[i] = oLines[j];
        }
    }
}
