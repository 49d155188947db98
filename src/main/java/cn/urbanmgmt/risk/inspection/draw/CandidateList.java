package cn.urbanmgmt.risk.inspection.draw;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The recorded candidate list of a plan: every merchant considered, per item, in its stratum (or
 * excluded, as a 0% stratum named "排除：reason"). Its published form is a CSV (UTF-8, "\n", no BOM,
 * no quoting: stratum names contain no comma or quote):
 * <pre>item_code,stratum,percent,weekly,uscc</pre>
 * grouped by item code and stratum (in that order); within a stratum in registry order (merchant id),
 * which does not affect the draw. Its SHA-256 identifies the list; internally it is stored gzipped in a
 * compact form that regenerates exactly this CSV, lines in the same order.
 */
public final class CandidateList {

    public static final String EXCLUDED_PREFIX = "排除：";
    public static final String CSV_HEADER = "item_code,stratum,percent,weekly,uscc\n";

    /** Distinct candidate ids (uscc); strata members index into this array. */
    private final String[] ids;
    /** Sorted by item code, then stratum name; members sorted by uscc. */
    private final List<Draw.Stratum> strata;

    /** Strata in any order (sorted here by item code and name); members keep their order, which is recorded. */
    public CandidateList(String[] ids, List<Draw.Stratum> strata) {
        this.ids = ids;
        List<Draw.Stratum> sorted = new ArrayList<>(strata);
        sorted.sort((a, b) -> a.itemCode().equals(b.itemCode()) ? a.name().compareTo(b.name()) : a.itemCode().compareTo(b.itemCode()));
        this.strata = List.copyOf(sorted);
    }

    public String[] ids() {
        return ids;
    }

    public List<Draw.Stratum> strata() {
        return strata;
    }

    /** Strata that take part in the draw (exclusions are recorded as 0% strata). */
    public List<Draw.Stratum> drawable() {
        return strata.stream().filter(s -> !s.name().startsWith(EXCLUDED_PREFIX)).toList();
    }

    public static String percent(int basisPoints) {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString();
    }

    public void writeCsv(OutputStream out) {
        // Raw bytes into one buffer: two million lines share a few prefixes, and ids are ASCII.
        byte[] buf = new byte[1 << 16];
        int at = 0;
        try {
            out.write(CSV_HEADER.getBytes(StandardCharsets.UTF_8));
            for (Draw.Stratum s : strata) {
                byte[] prefix = (s.itemCode() + "," + s.name() + "," + percent(s.basisPoints()) + "," + s.weekly() + ",").getBytes(StandardCharsets.UTF_8);
                for (int m : s.members()) {
                    String id = ids[m];
                    if (at + prefix.length + id.length() + 1 > buf.length) {
                        out.write(buf, 0, at);
                        at = 0;
                        if (prefix.length + id.length() + 1 > buf.length) buf = new byte[prefix.length + id.length() + 1];
                    }
                    System.arraycopy(prefix, 0, buf, at, prefix.length);
                    at += prefix.length;
                    for (int i = 0; i < id.length(); i++) buf[at++] = (byte) id.charAt(i);
                    buf[at++] = '\n';
                }
            }
            out.write(buf, 0, at);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 (hex) of the published CSV. */
    public String sha256() {
        MessageDigest md = sha256Digest();
        writeCsv(new DigestOutputStream(OutputStream.nullOutputStream(), md));
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The stored form: gzip of (id count, the ids, stratum count, and per stratum its item, name,
     * basis points, weekly flag and members as zigzag-varint deltas of id indices). Reading it back
     * needs no hashing of ids, so verify loads a million candidates quickly.
     */
    public byte[] compact() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 8 + 1024);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }; java.io.DataOutputStream o = new java.io.DataOutputStream(new java.io.BufferedOutputStream(gz, 1 << 16))) {
            o.writeInt(COMPACT_VERSION);
            o.writeInt(ids.length);
            for (String id : ids) o.writeUTF(id);
            o.writeInt(strata.size());
            for (Draw.Stratum s : strata) {
                o.writeUTF(s.itemCode());
                o.writeUTF(s.name());
                o.writeInt(s.basisPoints());
                o.writeBoolean(s.weekly());
                o.writeInt(s.members().length);
                int previous = 0;
                for (int m : s.members()) {
                    writeVarint(o, zigzag(m - previous));
                    previous = m;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static final int COMPACT_VERSION = 2;

    public static CandidateList fromCompact(byte[] compact) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                new GZIPInputStream(new ByteArrayInputStream(compact), 1 << 16), 1 << 16))) {
            int version = in.readInt();
            if (version != COMPACT_VERSION) throw new IllegalStateException("unknown candidate list format " + version);
            String[] ids = new String[in.readInt()];
            for (int i = 0; i < ids.length; i++) ids[i] = in.readUTF();
            int count = in.readInt();
            List<Draw.Stratum> strata = new ArrayList<>(count);
            for (int s = 0; s < count; s++) {
                String item = in.readUTF();
                String name = in.readUTF();
                int bp = in.readInt();
                boolean weekly = in.readBoolean();
                int[] members = new int[in.readInt()];
                int previous = 0;
                for (int i = 0; i < members.length; i++) {
                    previous += unzigzag(readVarint(in));
                    members[i] = previous;
                }
                strata.add(new Draw.Stratum(item, name, bp, weekly, members));
            }
            return new CandidateList(ids, strata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    private static int unzigzag(int v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarint(java.io.DataOutputStream o, int v) throws IOException {
        while ((v & ~0x7f) != 0) {
            o.writeByte((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        o.writeByte(v);
    }

    private static int readVarint(java.io.DataInputStream in) throws IOException {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
    }

    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
