package cn.urbanmgmt.risk.inspection.draw;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
        try {
            // Bytes, not a Writer: two million lines share a few prefixes, and ids are ASCII.
            java.io.BufferedOutputStream o = new java.io.BufferedOutputStream(out, 1 << 16);
            o.write(CSV_HEADER.getBytes(StandardCharsets.UTF_8));
            for (Draw.Stratum s : strata) {
                byte[] prefix = (s.itemCode() + "," + s.name() + "," + percent(s.basisPoints()) + "," + s.weekly() + ",").getBytes(StandardCharsets.UTF_8);
                for (int m : s.members()) {
                    o.write(prefix);
                    writeAscii(o, ids[m]);
                    o.write('\n');
                }
            }
            o.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAscii(java.io.OutputStream o, String s) throws IOException {
        for (int i = 0; i < s.length(); i++) o.write(s.charAt(i));
    }

    /** SHA-256 (hex) of the published CSV. */
    public String sha256() {
        MessageDigest md = sha256Digest();
        writeCsv(new DigestOutputStream(OutputStream.nullOutputStream(), md));
        return HexFormat.of().formatHex(md.digest());
    }

    public byte[] compact() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 8 + 1024);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }; java.io.BufferedOutputStream o = new java.io.BufferedOutputStream(gz, 1 << 16)) {
            for (Draw.Stratum s : strata) {
                o.write(("#\t" + s.itemCode() + "\t" + s.name() + "\t" + s.basisPoints() + "\t" + s.weekly() + "\t" + s.members().length + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                for (int m : s.members()) {
                    writeAscii(o, ids[m]);
                    o.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static CandidateList fromCompact(byte[] compact) {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        List<Draw.Stratum> strata = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(compact), 1 << 16),
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] h = line.split("\t");
                int count = Integer.parseInt(h[5]);
                int[] members = new int[count];
                for (int i = 0; i < count; i++) {
                    String id = r.readLine();
                    Integer at = index.get(id);
                    if (at == null) {
                        at = ids.size();
                        ids.add(id);
                        index.put(id, at);
                    }
                    members[i] = at;
                }
                strata.add(new Draw.Stratum(h[1], h[2], Integer.parseInt(h[3]), Boolean.parseBoolean(h[4]), members));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CandidateList(ids.toArray(String[]::new), strata);
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
