package cn.urbanmgmt.risk.inspection.draw;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The published ranking key: HMAC-SHA256 with the plan's 256-bit seed as key and the UTF-8 text of a
 * candidate's id as message. Keys are kept as four longs (big-endian), compared unsigned, which is
 * the same order as comparing the lowercase hex strings.
 */
public final class HmacRank {

    private static final int CHUNK = 20_000;

    private HmacRank() {
    }

    public static byte[] seedBytes(String seedHex) {
        return HexFormat.of().parseHex(seedHex);
    }

    public static Mac mac(byte[] seed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keys of {@code ids[i]} at {@code [4i, 4i+4)}, computed in parallel. */
    public static long[] keys(String[] ids, byte[] seed) {
        long[] keys = new long[ids.length * 4];
        int chunks = (ids.length + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            Mac mac = mac(seed);
            for (int i = c * CHUNK, end = Math.min(ids.length, (c + 1) * CHUNK); i < end; i++) {
                byte[] h = mac.doFinal(ids[i].getBytes(StandardCharsets.UTF_8));
                for (int w = 0; w < 4; w++) keys[4 * i + w] = toLong(h, 8 * w);
            }
        });
        return keys;
    }

    /** The first 64 bits of HMAC-SHA256(seed, message): a cheap per-plan key for tie-breaks. */
    public static long key64(Mac mac, String message) {
        return toLong(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)), 0);
    }

    static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** Unsigned comparison of the keys at index a and b. */
    static int compare(long[] keys, int a, int b) {
        for (int w = 0; w < 4; w++) {
            int c = Long.compareUnsigned(keys[4 * a + w], keys[4 * b + w]);
            if (c != 0) return c;
        }
        return 0;
    }

    public static String hex(long[] keys, int i) {
        StringBuilder sb = new StringBuilder(64);
        for (int w = 0; w < 4; w++) sb.append(String.format("%016x", keys[4 * i + w]));
        return sb.toString();
    }
}
