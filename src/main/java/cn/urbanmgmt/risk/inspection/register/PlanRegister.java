package cn.urbanmgmt.risk.inspection.register;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The public register of plans (公示登记册): an append-only, hash-chained log. Every executable plan is
 * entered when it is created (in the transaction that stores it, so no draw exists without its entry),
 * and so is every later change of its fate: cancelled, voided, an inspector replaced. Entry hash =
 * SHA-256 of the UTF-8 bytes of {@code prev_sha256 + "\n" + body}, where body is the entry's canonical
 * JSON and prev_sha256 the hash of the entry before (64 zeros for the first). Anyone who keeps the
 * latest hash can tell later whether an earlier entry was rewritten.
 */
@ApplicationScoped
public class PlanRegister {

    public static final String GENESIS = "0".repeat(64);
    /** Serialises appends so that the chain has no forks. */
    private static final long LOCK = 15_000_015L;

    /**
     * CREATED: the plan entered in the transaction that stored it (committed before anyone saw the draw).
     * BACKFILLED (补登): a plan created before the register existed, entered later (RegisterBackfill); its
     * entry proves only that the plan has not changed since it was registered, not that it was committed
     * before the draw.
     */
    public enum Kind { CREATED, BACKFILLED, CANCELLED, VOIDED, INSPECTOR_REPLACED }

    /** The entry that registered the plan itself (CREATED, or BACKFILLED for a plan older than the register). */
    public static boolean registersPlan(String kind) {
        return Kind.CREATED.name().equals(kind) || Kind.BACKFILLED.name().equals(kind);
    }

    /** The advisory lock every append takes; a caller may take it first to read and append as one step. */
    public static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK);
            ps.execute();
        }
    }

    public record Entry(long seq, long planId, String kind, Instant recordedAt, String officer, String body, String prevSha256,
                        String entrySha256) {
    }

    @Inject
    AgroalDataSource dataSource;

    public static String entrySha256(String prev, String body) {
        return CandidateList.sha256(prev + "\n" + body);
    }

    /**
     * Appends an entry inside the caller's transaction (the connection has auto-commit off). The body
     * gets planId, kind, officer and recordedAt added, so that the hash covers them.
     */
    public static Entry append(Connection c, long planId, Kind kind, String officer, Instant at, ObjectNode body) throws SQLException {
        lock(c);
        String prev = GENESIS;
        try (PreparedStatement ps = c.prepareStatement("select entry_sha256 from plan_register order by seq desc limit 1");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) prev = rs.getString(1);
        }
        body.put("planId", planId);
        body.put("kind", kind.name());
        body.put("officer", officer);
        body.put("recordedAt", at.toString());
        String text = CanonicalJson.write(body);
        String hash = entrySha256(prev, text);
        long seq;
        try (PreparedStatement ps = c.prepareStatement("select nextval('plan_register_seq')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("insert into plan_register (seq, plan_id, kind, recorded_at, officer, body, prev_sha256, "
                + "entry_sha256) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, planId);
            ps.setString(3, kind.name());
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setString(5, officer);
            ps.setString(6, text);
            ps.setString(7, prev);
            ps.setString(8, hash);
            ps.executeUpdate();
        }
        return new Entry(seq, planId, kind.name(), at, officer, text, prev, hash);
    }

    /** Every entry, oldest first (the register grows by a few entries a month). */
    public List<Entry> all() {
        return read("select seq, plan_id, kind, recorded_at, officer, body, prev_sha256, entry_sha256 from plan_register order by seq", null);
    }

    public List<Entry> ofPlan(long planId) {
        return read("select seq, plan_id, kind, recorded_at, officer, body, prev_sha256, entry_sha256 from plan_register where plan_id = ? "
                + "order by seq", planId);
    }

    private List<Entry> read(String sql, Long planId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (planId != null) ps.setLong(1, planId);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the plan register failed: " + e.getMessage(), e);
        }
    }

    /** Sequence numbers of entries whose hash or link to the entry before does not hold; empty when the chain is intact. */
    public static List<Long> brokenLinks(List<Entry> chain) {
        List<Long> broken = new ArrayList<>();
        String prev = GENESIS;
        for (Entry e : chain) {
            if (!e.prevSha256().equals(prev) || !entrySha256(e.prevSha256(), e.body()).equals(e.entrySha256())) broken.add(e.seq());
            prev = e.entrySha256();
        }
        return broken;
    }
}
