package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Merchants whose evaluation faulted (a rule threw, looped or overran for them). Such a merchant keeps
 * its last good grade, is listed in grade_fault (API, metric, health) and does not stop the others;
 * the next successful evaluation removes it from the list.
 */
public final class GradeFaults {

    /** One merchant's failed evaluation, as the regrade saw it. */
    public record Fault(long merchantId, String uscc, String rule, String message, long dataVersion) {

        static Fault of(GradingFailedException e, long dataVersion) {
            String rule = e.getCause() instanceof RuleFaultException r ? r.rule() : null;
            return new Fault(e.merchantId(), e.uscc(), rule, e.getMessage(), dataVersion);
        }
    }

    private GradeFaults() {
    }

    /** Records (or refreshes) the faults, in the caller's transaction. */
    public static void record(Connection c, List<Fault> faults, String version) throws SQLException {
        if (faults.isEmpty()) return;
        List<Fault> sorted = new ArrayList<>(faults);
        sorted.sort(java.util.Comparator.comparingLong(Fault::merchantId));
        try (PreparedStatement ps = c.prepareStatement("""
                insert into grade_fault (merchant_id, rule_set_version, rule_name, message, data_version)
                select * from unnest(?::int8[], ?::text[], ?::text[], ?::text[], ?::int8[])
                on conflict (merchant_id) do update set rule_set_version = excluded.rule_set_version, rule_name = excluded.rule_name,
                    message = excluded.message, data_version = excluded.data_version, last_at = now(),
                    attempts = grade_fault.attempts + 1""")) {
            ps.setArray(1, c.createArrayOf("int8", sorted.stream().map(Fault::merchantId).toArray()));
            ps.setArray(2, c.createArrayOf("text", sorted.stream().map(f -> version).toArray()));
            ps.setArray(3, c.createArrayOf("text", sorted.stream().map(f -> cut(f.rule(), 300)).toArray()));
            ps.setArray(4, c.createArrayOf("text", sorted.stream().map(f -> cut(f.message(), 2000)).toArray()));
            ps.setArray(5, c.createArrayOf("int8", sorted.stream().map(Fault::dataVersion).toArray()));
            ps.executeUpdate();
        }
    }

    /** Removes merchants that were graded successfully from the list. */
    public static void clear(Connection c, Collection<Long> merchantIds) throws SQLException {
        if (merchantIds.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("delete from grade_fault where merchant_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("int8", merchantIds.toArray()));
            ps.executeUpdate();
        }
    }

    /** Removes merchants in [fromId, toId] that were graded successfully (all but {@code stillFaulty}). */
    public static void clearRange(Connection c, long fromId, long toId, Collection<Long> stillFaulty) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from grade_fault where merchant_id between ? and ? and merchant_id <> all(?)")) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            ps.setArray(3, c.createArrayOf("int8", stillFaulty.toArray()));
            ps.executeUpdate();
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
