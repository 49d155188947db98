package cn.urbanmgmt.risk.demo;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Random;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Deterministic two-year event history for generated merchants. Most merchants are quiet (routine
 * inspections without findings, the odd unfounded complaint); a few percent attract most of the
 * cases and verified complaints, as in the bureau's figures, so all three grades occur with
 * real explanations. Writes with COPY.
 */
public class EventHistoryGenerator {

    static final int HISTORY_DAYS = 730;
    private static final String[] COMPLAINT_CATEGORIES = {"油烟扰民", "噪声扰民", "跨门营业", "占道经营", "垃圾乱堆", "违规招牌", "夜间施工"};
    private static final String[] VIOLATIONS = {"UNLICENSED", "STREET_OCCUPATION", "GARBAGE_SORTING", "ILLEGAL_SIGN", "CONSTRUCTION_NUISANCE", "NOISE", "OTHER"};
    private static final String[] DETECTION_TYPES = {"跨门营业", "占道经营", "乱堆物料", "违规设置招牌"};
    private static final String[] ITEMS = {"GS-01", "SC-01", "OS-01", "AD-01"};

    private final long seed;
    private final LocalDate today;

    public EventHistoryGenerator(long seed, LocalDate today) {
        this.seed = seed;
        this.today = today;
    }

    /** Writes on average {@code eventsPerMerchant} events for each merchant; returns the number written. */
    public long writeEvents(Connection c, double eventsPerMerchant) throws SQLException, IOException {
        long nextId;
        long minMerchant;
        long maxMerchant;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "select coalesce((select max(id) from merchant_event), 0) + 1, min(id), max(id) from merchant")) {
            rs.next();
            nextId = rs.getLong(1);
            minMerchant = rs.getLong(2);
            maxMerchant = rs.getLong(3);
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        long written = 0;
        StringBuilder sb = new StringBuilder(1 << 22);
        try (Statement st = c.createStatement()) {
            st.setFetchSize(50_000);
            try (ResultSet rs = st.executeQuery("select id from merchant order by id")) {
                while (rs.next()) {
                    long merchant = rs.getLong(1);
                    Random r = new Random(seed * 31 + merchant);
                    int propensity = r.nextInt(1000);
                    // 95% quiet, 3.8% troubled, 1.2% problem merchants; factors keep the overall mean at eventsPerMerchant.
                    double factor = propensity < 950 ? 0.7 : propensity < 988 ? 2.6 : 6.0;
                    double mean = eventsPerMerchant * factor / 0.8358;
                    int n = (int) Math.floor(mean * 2 * r.nextDouble() + r.nextDouble());
                    for (int k = 0; k < n; k++) {
                        appendEvent(sb, nextId++, merchant, k, propensity, r);
                        written++;
                    }
                    if (propensity >= 988 && r.nextInt(100) < 12) {
                        int listedAgo = 30 + r.nextInt(HISTORY_DAYS - 30);
                        appendCredit(sb, nextId++, merchant, "L", "LISTED", listedAgo);
                        written++;
                        if (r.nextBoolean()) {
                            appendCredit(sb, nextId++, merchant, "R", "REPAIRED", r.nextInt(listedAgo));
                            written++;
                        }
                    }
                    if (sb.length() > (1 << 22)) {
                        flush(copy, sb);
                    }
                }
            }
        }
        flush(copy, sb);
        try (Statement st = c.createStatement()) {
            st.execute("select setval('merchant_event_seq', coalesce((select max(id) from merchant_event), 0) + 50)");
        }
        return written;
    }

    private void appendEvent(StringBuilder sb, long id, long merchant, int k, int propensity, Random r) {
        int daysAgo = r.nextInt(HISTORY_DAYS);
        boolean troubled = propensity >= 950;
        int roll = r.nextInt(1000);
        String at = today.minusDays(daysAgo) + " " + (8 + r.nextInt(12)) + ":" + (10 + r.nextInt(50)) + ":00+08";
        // type-specific columns, in COPY order after the common ones
        String type;
        String source;
        String cols;
        if (roll < (troubled ? 250 : 420)) {
            type = "INSPECTION";
            source = "inspection";
            String outcome = pickOutcome(r, troubled);
            String score = r.nextInt(3) == 0 ? String.valueOf(outcome.equals("NO_PROBLEM") ? 80 + r.nextInt(21) : 40 + r.nextInt(45)) : "\\N";
            String deductions = outcome.equals("NO_PROBLEM") || r.nextBoolean() ? "\\N"
                    : "[{\"code\":\"" + ITEMS[r.nextInt(ITEMS.length)] + "-0" + (1 + r.nextInt(5)) + "\",\"points\":" + (2 + r.nextInt(12)) + "}]";
            cols = nulls(6) + nulls(4) + ITEMS[r.nextInt(ITEMS.length)] + "\t" + outcome + "\t" + score + "\t" + deductions + "\t"
                    + "JA" + (1000 + r.nextInt(470)) + ",JA" + (1000 + r.nextInt(470)) + "\t" + nulls(4);
        } else if (roll < (troubled ? 600 : 720)) {
            type = "COMPLAINT";
            source = "12345";
            String verified = r.nextInt(100) < (troubled ? 60 : 8) ? "t" : r.nextInt(100) < 85 ? "f" : "\\N";
            String category = COMPLAINT_CATEGORIES[troubled ? r.nextInt(2) : r.nextInt(COMPLAINT_CATEGORIES.length)];
            cols = nulls(6) + (r.nextInt(10) < 8 ? "HOTLINE_12345" : "APP") + "\t" + category + "\t" + verified + "\t\\N\t" + nulls(5) + nulls(4);
        } else if (roll < (troubled ? 850 : 880)) {
            type = "DETECTION";
            source = "camera";
            cols = nulls(6) + nulls(4) + nulls(5) + "\\N\t" + (r.nextInt(4) == 0 ? "BODY_CAMERA" : "CAMERA") + "\t"
                    + DETECTION_TYPES[r.nextInt(DETECTION_TYPES.length)] + "\tEV-" + merchant + "-" + k + "\t";
        } else {
            type = "CASE";
            source = "case-system";
            int sev = r.nextInt(100);
            String severity = troubled ? (sev < 35 ? "SERIOUS" : sev < 75 ? "ORDINARY" : "MINOR") : (sev < 1 ? "SERIOUS" : sev < 10 ? "ORDINARY" : "MINOR");
            int fine = severity.equals("SERIOUS") ? 5000 + r.nextInt(45000) : severity.equals("ORDINARY") ? 500 + r.nextInt(4500) : 100 + r.nextInt(400);
            String closed = daysAgo > 30 ? today.minusDays(daysAgo - 20 - r.nextInt(10)).toString() : "\\N";
            cols = "JA-" + today.minusDays(daysAgo).getYear() + "-" + merchant + "-" + k + "\t" + VIOLATIONS[r.nextInt(VIOLATIONS.length)] + "\t"
                    + severity + "\t" + fine + "\t" + (r.nextInt(10) < 3 ? "t" : "f") + "\t" + closed + "\t" + nulls(4) + nulls(5) + nulls(4);
        }
        common(sb, id, merchant, type, source, "G" + seed + "-" + merchant + "-" + k, at);
        sb.append(trimTab(cols)).append('\n');
    }

    private void appendCredit(StringBuilder sb, long id, long merchant, String suffix, String action, int daysAgo) {
        common(sb, id, merchant, "CREDIT", "credit", "G" + seed + "-" + merchant + "-" + suffix, today.minusDays(daysAgo) + " 09:00:00+08");
        sb.append(nulls(6)).append(nulls(4)).append(nulls(5)).append(action).append('\t').append(trimTab(nulls(3))).append('\n');
    }

    private void common(StringBuilder sb, long id, long merchant, String type, String source, String sourceId, String at) {
        sb.append(id).append('\t').append(merchant).append('\t').append(type).append('\t').append(source).append('\t')
                .append(sourceId).append('\t').append(at).append('\t').append(at).append('\t').append("demo-generator").append('\t');
    }

    private static String pickOutcome(Random r, boolean troubled) {
        int x = r.nextInt(100);
        if (!troubled) return x < 90 ? "NO_PROBLEM" : x < 97 ? "RECTIFIED_ON_SPOT" : x < 99 ? "ORDERED_TO_RECTIFY" : "NOT_FOUND";
        return x < 35 ? "NO_PROBLEM" : x < 60 ? "RECTIFIED_ON_SPOT" : x < 85 ? "ORDERED_TO_RECTIFY" : x < 95 ? "CASE_OPENED" : "NOT_FOUND";
    }

    private static String nulls(int n) {
        return "\\N\t".repeat(n);
    }

    private static String trimTab(String s) {
        return s.endsWith("\t") ? s.substring(0, s.length() - 1) : s;
    }

    private static void flush(CopyManager copy, StringBuilder sb) throws SQLException, IOException {
        if (sb.isEmpty()) return;
        copy.copyIn("COPY merchant_event (id, merchant_id, type, source, source_id, occurred_at, recorded_at, recorded_by, "
                + "case_no, violation_type, severity, fine_yuan, from_complaint, closed_on, "
                + "channel, complaint_category, verified, linked_case_no, "
                + "item_code, outcome, score, deductions, inspectors, "
                + "credit_action, detection_source, detection_type, evidence_ref) FROM STDIN", new StringReader(sb.toString()));
        sb.setLength(0);
    }
}
