package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.Reason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes grades and their history with COPY: a temporary table, then one upsert. Only merchants whose
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
        if (grades.isEmpty()) return 0;
        OffsetDateTime now = OffsetDateTime.now();
        StringBuilder gradeRows = new StringBuilder();
        StringBuilder historyRows = new StringBuilder();
        int changed = 0;
        for (Graded g : grades) {
            int hash = stableHash(g.reasons());
            Stored old = before.get(g.merchantId());
            if (old != null && old.grade() == g.grade() && old.score() == g.score() && old.version().equals(version)
                    && old.reasonsHash() == hash) {
                continue;
            }
            String reasons = copyEscape(json(g.reasons()));
            gradeRows.append(g.merchantId()).append('\t').append(g.grade()).append('\t').append(g.score()).append('\t')
                    .append(version).append('\t').append(now).append('\t').append(date).append('\t').append(reasons).append('\t')
                    .append(hash).append('\n');
            if (old == null || old.grade() != g.grade()) {
                changed++;
                historyRows.append(g.merchantId()).append('\t').append(old == null ? "\\N" : old.grade().name()).append('\t')
                        .append(g.grade()).append('\t').append(old == null ? "\\N" : String.valueOf(old.score())).append('\t')
                        .append(g.score()).append('\t').append(now).append('\t').append(version).append('\t')
                        .append(copyEscape(cause)).append('\t').append(reasons).append('\n');
            }
        }
        if (gradeRows.isEmpty()) return 0;
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (Statement st = c.createStatement()) {
            st.execute("create temp table if not exists tmp_grade (like merchant_grade) on commit delete rows");
        }
        try {
            copy.copyIn("COPY tmp_grade (merchant_id, grade, score, rule_set_version, evaluated_at, evaluation_date, reasons, reasons_hash) FROM STDIN",
                    new StringReader(gradeRows.toString()));
            if (!historyRows.isEmpty()) {
                copy.copyIn("COPY grade_history (merchant_id, old_grade, new_grade, old_score, new_score, changed_at, rule_set_version, cause, reasons) FROM STDIN",
                        new StringReader(historyRows.toString()));
            }
        } catch (IOException e) {
            throw new SQLException("COPY of grades failed", e);
        }
        try (Statement st = c.createStatement()) {
            st.execute("""
                    insert into merchant_grade select * from tmp_grade
                    on conflict (merchant_id) do update set grade = excluded.grade, score = excluded.score,
                        rule_set_version = excluded.rule_set_version, evaluated_at = excluded.evaluated_at,
                        evaluation_date = excluded.evaluation_date, reasons = excluded.reasons, reasons_hash = excluded.reasons_hash""");
            st.execute("truncate tmp_grade");
        }
        return changed;
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

    /** Escapes text for PostgreSQL COPY text format. */
    static String copyEscape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String rep = switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (rep != null && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) {
                if (rep != null) b.append(rep);
                else b.append(ch);
            }
        }
        return b == null ? s : b.toString();
    }
}
