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
 * result changed (grade, score, rule-set version, reasons or the data version they were computed from)
 * are written, so a daily regrade in which little happened writes little; {@code evaluated_at} is when
 * the stored result was computed. A history row is written whenever the grade differs from the stored
 * one (including the first grade).
 *
 * <p>Never older over newer: every grade carries the data version of the merchant's facts it was
 * computed from (merchant_freshness.data_version, read in the same statement as the facts), and a
 * write only replaces a stored grade computed from the same or an older version. Whoever stores (or
 * finds stored) a grade at least as new as the merchant's data version clears its "needs regrade" mark.
 */
public final class GradeStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A merchant's grade as stored before this run: computed as of {@code evaluationDate}, valid (without a new
     * event) until the day before {@code nextChange} ({@link LocalDate#MAX}: until a new event; null: not known).
     */
    public record Stored(Grade grade, int score, String version, int reasonsHash, long dataVersion, LocalDate evaluationDate,
                         LocalDate nextChange) {
    }

    /**
     * A merchant's new grade, computed from the facts at {@code dataVersion}; {@code nextChange}: the first date on
     * which it can change without a new event ({@link cn.urbanmgmt.risk.grading.engine.AgeWindows#nextChange}).
     */
    public record Graded(long merchantId, Grade grade, int score, List<Reason> reasons, long dataVersion, LocalDate nextChange,
                         int reasonsHash) {
        public Graded(long merchantId, Grade grade, int score, List<Reason> reasons, long dataVersion, LocalDate nextChange) {
            this(merchantId, grade, score, reasons, dataVersion, nextChange, stableHash(reasons));
        }
    }

    private static final String STORED = "select merchant_id, grade, score, rule_set_version, reasons_hash, data_version, evaluation_date, "
            + "next_change_date from merchant_grade ";

    private GradeStore() {
    }

    public static Map<Long, Stored> storedRange(Connection c, long fromId, long toId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STORED + "where merchant_id between ? and ?")) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            return stored(ps);
        }
    }

    public static Map<Long, Stored> storedIds(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STORED + "where merchant_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return stored(ps);
        }
    }

    /**
     * The stored grades of a few merchants, locked until the caller's transaction ends (in id order, so
     * two writers never wait for each other in a circle): what they say is what this write replaces.
     */
    public static Map<Long, Stored> lockIds(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STORED + "where merchant_id = any(?) order by merchant_id for update")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            return stored(ps);
        }
    }

    private static Map<Long, Stored> stored(PreparedStatement ps) throws SQLException {
        Map<Long, Stored> map = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                map.put(rs.getLong(1), new Stored(Grade.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4), rs.getInt(5), rs.getLong(6),
                        rs.getObject(7, LocalDate.class), rs.getObject(8, LocalDate.class)));
            }
        }
        return map;
    }

    /** Writes the grades; returns how many merchants changed grade. Call inside a transaction. */
    public static int write(Connection c, List<Graded> grades, Map<Long, Stored> before, String version, String cause,
                            LocalDate date) throws SQLException {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        Map<Long, Object[]> history = new HashMap<>();
        Map<Long, Graded> restamps = new java.util.LinkedHashMap<>();
        OffsetDateTime now = OffsetDateTime.now();
        for (Graded g : grades) {
            int hash = g.reasonsHash();
            Stored old = before.get(g.merchantId());
            if (old != null && old.dataVersion() > g.dataVersion()) continue; // computed from newer data: keep it
            boolean sameResult = old != null && old.grade() == g.grade() && old.score() == g.score() && old.reasonsHash() == hash
                    && old.dataVersion() == g.dataVersion();
            if (sameResult && old.version().equals(version) && java.util.Objects.equals(old.nextChange(), g.nextChange())) continue;
            if (sameResult) {
                // The same result under another rule-set version (a new version that grades this merchant the same) or with
                // another next change (a window crossed that did not change the result): restamp the row, reasons untouched.
                restamps.put(g.merchantId(), g);
                continue;
            }
            String reasons = json(g.reasons());
            (old == null ? inserts : updates).add(new Object[]{g.merchantId(), g.grade().name(), g.score(), reasons, hash, g.dataVersion(),
                    g.nextChange()});
            if (old == null || old.grade() != g.grade()) {
                history.put(g.merchantId(), new Object[]{g.merchantId(), old == null ? null : old.grade().name(), g.grade().name(),
                        old == null ? null : old.score(), g.score(), reasons});
            }
        }
        if (inserts.isEmpty() && updates.isEmpty() && restamps.isEmpty()) return 0;
        java.util.Set<Long> written = new java.util.HashSet<>();
        if (!restamps.isEmpty()) {
            // Only rows still exactly as read are restamped; one that changed meanwhile gets the whole new result below.
            java.util.Set<Long> restamped = new java.util.HashSet<>();
            List<Object[]> rows = new ArrayList<>(restamps.size());
            for (Graded g : restamps.values()) {
                Stored old = before.get(g.merchantId());
                rows.add(new Object[]{g.merchantId(), g.dataVersion(), old.version(), g.grade().name(), g.score(), g.reasonsHash(), g.nextChange()});
            }
            writeRows(c, """
                    update merchant_grade g set rule_set_version = ?, evaluated_at = ?, evaluation_date = ?, next_change_date = u.next_change_date
                    from unnest(?::int8[], ?::int8[], ?::text[], ?::text[], ?::int4[], ?::int4[], ?::date[])
                         as u(merchant_id, data_version, old_version, grade, score, reasons_hash, next_change_date)
                    where g.merchant_id = u.merchant_id and g.data_version = u.data_version and g.rule_set_version = u.old_version
                      and g.grade = u.grade and g.score = u.score and g.reasons_hash = u.reasons_hash
                    returning g.merchant_id""", version, now, date, rows, restamped, "int8", "int8", "text", "text", "int4", "int4", "date");
            for (Graded g : restamps.values()) {
                if (restamped.contains(g.merchantId())) continue;
                updates.add(new Object[]{g.merchantId(), g.grade().name(), g.score(), json(g.reasons()), g.reasonsHash(), g.dataVersion(),
                        g.nextChange()});
            }
        }
        // Rows travel as parallel arrays (one statement per batch, whatever its size). Merchants graded before are
        // updated in place (no speculative insert; with the table's free space these are HOT updates, no index writes);
        // a concurrent first grade of the same merchant (event intake during a job) still upserts. Either statement
        // leaves a row alone that meanwhile got a grade from newer data.
        if (!updates.isEmpty()) {
            writeRows(c, """
                    update merchant_grade g set grade = u.grade, score = u.score, reasons = u.reasons, reasons_hash = u.reasons_hash,
                        data_version = u.data_version, next_change_date = u.next_change_date, rule_set_version = ?, evaluated_at = ?,
                        evaluation_date = ?
                    from unnest(?::int8[], ?::text[], ?::int4[], ?::jsonb[], ?::int4[], ?::int8[], ?::date[])
                         as u(merchant_id, grade, score, reasons, reasons_hash, data_version, next_change_date)
                    where g.merchant_id = u.merchant_id and g.data_version <= u.data_version
                    returning g.merchant_id""", version, now, date, updates, written, "int8", "text", "int4", "jsonb", "int4", "int8", "date");
        }
        if (!inserts.isEmpty()) {
            writeRows(c, """
                    insert into merchant_grade (merchant_id, grade, score, reasons, reasons_hash, data_version, next_change_date,
                        rule_set_version, evaluated_at, evaluation_date)
                    select u.*, ?, ?, ? from unnest(?::int8[], ?::text[], ?::int4[], ?::jsonb[], ?::int4[], ?::int8[], ?::date[]) as u
                    on conflict (merchant_id) do update set grade = excluded.grade, score = excluded.score, reasons = excluded.reasons,
                        reasons_hash = excluded.reasons_hash, data_version = excluded.data_version,
                        next_change_date = excluded.next_change_date, rule_set_version = excluded.rule_set_version,
                        evaluated_at = excluded.evaluated_at, evaluation_date = excluded.evaluation_date
                    where merchant_grade.data_version <= excluded.data_version
                    returning merchant_id""", version, now, date, inserts, written, "int8", "text", "int4", "jsonb", "int4", "int8", "date");
        }
        history.keySet().retainAll(written);
        if (!history.isEmpty()) {
            List<Object[]> rows = new ArrayList<>(history.values());
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into grade_history (merchant_id, old_grade, new_grade, old_score, new_score, reasons, changed_at, rule_set_version, cause)
                    select u.*, ?, ?, ? from unnest(?::int8[], ?::text[], ?::text[], ?::int4[], ?::int4[], ?::jsonb[]) as u""")) {
                ps.setObject(1, now);
                ps.setString(2, version);
                ps.setString(3, cause);
                setColumns(c, ps, 4, rows, "int8", "text", "text", "int4", "int4", "jsonb");
                ps.executeUpdate();
            }
        }
        return history.size();
    }

    /**
     * Runs one of the row-writing statements: rule-set version, time and evaluation date as parameters 1 to 3, the rows'
     * columns as arrays from parameter 4 ({@link #setColumns}); the ids it returns are added to {@code into}.
     */
    private static void writeRows(Connection c, String sql, String version, OffsetDateTime now, LocalDate date, List<Object[]> rows,
                                  java.util.Set<Long> into, String... types) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            ps.setObject(2, now);
            ps.setObject(3, date);
            setColumns(c, ps, 4, rows, types);
            collect(ps, into);
        }
    }

    private static void collect(PreparedStatement ps, java.util.Set<Long> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) into.add(rs.getLong(1));
        }
    }

    /**
     * Clears the "needs regrade" mark of merchants now graded (or found graded) from at least the given
     * data versions ({@code versions}: merchant id to data version); a mark set by a newer change stays.
     */
    public static void clearPending(Connection c, Map<Long, Long> versions) throws SQLException {
        if (versions.isEmpty()) return;
        Object[] ids = new Object[versions.size()];
        Object[] dvs = new Object[versions.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : versions.entrySet()) {
            ids[i] = e.getKey();
            dvs[i++] = e.getValue();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update merchant_freshness f set pending = false
                from unnest(?::int8[], ?::int8[]) as u(merchant_id, data_version)
                where f.merchant_id = u.merchant_id and f.pending and f.data_version <= u.data_version""")) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.setArray(2, c.createArrayOf("int8", dvs));
            ps.executeUpdate();
        }
    }

    /** Binds column k of {@code rows} as one SQL array parameter each, starting at parameter {@code first}. */
    private static void setColumns(Connection c, PreparedStatement ps, int first, List<Object[]> rows, String... types) throws SQLException {
        for (int k = 0; k < types.length; k++) {
            Object[] column = new Object[rows.size()];
            for (int i = 0; i < rows.size(); i++) column[i] = rows.get(i)[k];
            // jsonb and date travel as text (cast in the statement).
            boolean text = types[k].equals("jsonb") || types[k].equals("date");
            if (types[k].equals("date")) {
                for (int i = 0; i < column.length; i++) {
                    column[i] = column[i] == null ? null : LocalDate.MAX.equals(column[i]) ? "infinity" : column[i].toString();
                }
            }
            ps.setArray(first + k, c.createArrayOf(text ? "text" : types[k], column));
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
