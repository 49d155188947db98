package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.Reason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes grades and their history, each batch in one upsert over unnested arrays. Only merchants whose
 * result changed (grade, score, rule-set version or reasons) are written, so a daily regrade in which
 * little happened writes little; {@code evaluated_at} is when the stored result was computed. A history
 * row is written whenever the grade differs from the stored one (including the first grade).
 */
public final class GradeStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A merchant's grade as stored before this run. */
    public record Stored(Grade grade, int score, String version, int reasonsHash) {
    }

    /** A merchant's new grade. */
    public record Graded(long merchantId, Grade grade, int score, List<Reason> reasons) {
    }

    private GradeStore() {
    }

    public static Map<Long, Stored> storedRange(Connection c, long fromId, long toId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select merchant_id, grade, score, rule_set_version, reasons_hash from merchant_grade where merchant_id between ? and ?")) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            return stored(ps);
        }
    }

    public static Map<Long, Stored> storedIds(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select merchant_id, grade, score, rule_set_version, reasons_hash from merchant_grade where merchant_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return stored(ps);
        }
    }

    private static Map<Long, Stored> stored(PreparedStatement ps) throws SQLException {
        Map<Long, Stored> map = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) map.put(rs.getLong(1), new Stored(Grade.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4), rs.getInt(5)));
        }
        return map;
    }

    /** Writes the grades; returns how many merchants changed grade. Call inside a transaction. */
    public static int write(Connection c, List<Graded> grades, Map<Long, Stored> before, String version, String cause,
                            LocalDate date) throws SQLException {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> history = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now();
        for (Graded g : grades) {
            int hash = stableHash(g.reasons());
            Stored old = before.get(g.merchantId());
            if (old != null && old.grade() == g.grade() && old.score() == g.score() && old.version().equals(version)
                    && old.reasonsHash() == hash) {
                continue;
            }
            String reasons = json(g.reasons());
            (old == null ? inserts : updates).add(new Object[]{g.merchantId(), g.grade().name(), g.score(), reasons, hash});
            if (old == null || old.grade() != g.grade()) {
                history.add(new Object[]{g.merchantId(), old == null ? null : old.grade().name(), g.grade().name(),
                        old == null ? null : old.score(), g.score(), reasons});
            }
        }
        if (inserts.isEmpty() && updates.isEmpty()) return 0;
        // Rows travel as parallel arrays (one statement per batch, whatever its size). Merchants graded before are
        // updated in place (no speculative insert; with the table's free space these are HOT updates, no index writes);
        // a concurrent first grade of the same merchant (event intake during a job) still upserts.
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    update merchant_grade g set grade = u.grade, score = u.score, reasons = u.reasons, reasons_hash = u.reasons_hash,
                        rule_set_version = ?, evaluated_at = ?, evaluation_date = ?
                    from unnest(?::int8[], ?::text[], ?::int4[], ?::jsonb[], ?::int4[]) as u(merchant_id, grade, score, reasons, reasons_hash)
                    where g.merchant_id = u.merchant_id""")) {
                ps.setString(1, version);
                ps.setObject(2, now);
                ps.setObject(3, date);
                setColumns(c, ps, 4, updates, "int8", "text", "int4", "jsonb", "int4");
                ps.executeUpdate();
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into merchant_grade (merchant_id, grade, score, reasons, reasons_hash, rule_set_version, evaluated_at, evaluation_date)
                    select u.*, ?, ?, ? from unnest(?::int8[], ?::text[], ?::int4[], ?::jsonb[], ?::int4[]) as u
                    on conflict (merchant_id) do update set grade = excluded.grade, score = excluded.score, reasons = excluded.reasons,
                        reasons_hash = excluded.reasons_hash, rule_set_version = excluded.rule_set_version,
                        evaluated_at = excluded.evaluated_at, evaluation_date = excluded.evaluation_date""")) {
                ps.setString(1, version);
                ps.setObject(2, now);
                ps.setObject(3, date);
                setColumns(c, ps, 4, inserts, "int8", "text", "int4", "jsonb", "int4");
                ps.executeUpdate();
            }
        }
        if (!history.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into grade_history (merchant_id, old_grade, new_grade, old_score, new_score, reasons, changed_at, rule_set_version, cause)
                    select u.*, ?, ?, ? from unnest(?::int8[], ?::text[], ?::text[], ?::int4[], ?::int4[], ?::jsonb[]) as u""")) {
                ps.setObject(1, now);
                ps.setString(2, version);
                ps.setString(3, cause);
                setColumns(c, ps, 4, history, "int8", "text", "text", "int4", "int4", "jsonb");
                ps.executeUpdate();
            }
        }
        return history.size();
    }

    /** Binds column k of {@code rows} as one SQL array parameter each, starting at parameter {@code first}. */
    private static void setColumns(Connection c, PreparedStatement ps, int first, List<Object[]> rows, String... types) throws SQLException {
        for (int k = 0; k < types.length; k++) {
            Object[] column = new Object[rows.size()];
            for (int i = 0; i < rows.size(); i++) column[i] = rows.get(i)[k];
            ps.setArray(first + k, c.createArrayOf(types[k].equals("jsonb") ? "text" : types[k], column));
        }
    }

    /** A hash of the reasons that is the same in every JVM (enum and record hash codes are not). */
    static int stableHash(List<Reason> reasons) {
        int h = 1;
        for (Reason r : reasons) {
            h = 31 * h + java.util.Objects.hashCode(r.rule());
            h = 31 * h + java.util.Objects.hashCode(r.points());
            h = 31 * h + (r.floor() == null ? 0 : r.floor().ordinal() + 1);
            h = 31 * h + java.util.Objects.hashCode(r.text());
            h = 31 * h + java.util.Objects.hashCode(r.eventIds());
        }
        return h;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
