package cn.urbanmgmt.risk.inspection.plans;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/** Writes a drawn plan: the plan row with its recorded inputs, then its visits with one COPY. */
public final class PlanStore {

    private PlanStore() {
    }

    /** One visit row as stored. */
    public record VisitRow(int visitNo, long merchantId, String uscc, String squad, java.time.LocalDate windowStart,
                           java.time.LocalDate windowEnd, Integer week, List<String> items, List<String> strata, long[] inspectorIds) {
    }

    public static long nextPlanId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select nextval('inspection_plan_seq')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void copyVisits(Connection c, long planId, List<VisitRow> visits) throws SQLException, IOException {
        if (visits.isEmpty()) return;
        long[] ids = new long[visits.size()];
        try (PreparedStatement ps = c.prepareStatement("select nextval('plan_visit_seq') from generate_series(1, ?)")) {
            ps.setInt(1, visits.size());
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) ids[i++] = rs.getLong(1);
            }
        }
        java.util.Arrays.sort(ids); // visit ids follow visit numbers
        copy(c, planId, visits, ids);
    }

    private static void copy(Connection c, long planId, List<VisitRow> visits, long[] ids) throws SQLException, IOException {
        StringBuilder sb = new StringBuilder(visits.size() * 160);
        for (int i = 0; i < visits.size(); i++) {
            VisitRow v = visits.get(i);
            sb.append(ids[i]).append('\t').append(planId).append('\t').append(v.visitNo()).append('\t').append(v.merchantId()).append('\t')
                    .append(v.uscc()).append('\t').append(v.squad()).append('\t').append(v.windowStart()).append('\t').append(v.windowEnd())
                    .append('\t').append(v.week() == null ? "\\N" : v.week().toString()).append('\t');
            array(sb, v.items());
            sb.append('\t');
            array(sb, v.strata());
            sb.append("\t{");
            for (int k = 0; k < v.inspectorIds().length; k++) {
                if (k > 0) sb.append(',');
                sb.append(v.inspectorIds()[k]);
            }
            sb.append("}\tPENDING\n");
        }
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY plan_visit (id, plan_id, visit_no, merchant_id, uscc, squad_code, "
                + "window_start, window_end, week, item_codes, strata, inspector_ids, status) FROM STDIN", new StringReader(sb.toString()));
    }

    /** A text-format array literal; elements never contain quotes, backslashes, braces or tabs (checked where they are made). */
    private static void array(StringBuilder sb, List<String> values) {
        sb.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(values.get(i)).append('"');
        }
        sb.append('}');
    }
}
