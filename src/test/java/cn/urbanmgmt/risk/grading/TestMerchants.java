package cn.urbanmgmt.risk.grading;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Collection;

/**
 * Removes the merchants a test made, with everything that hangs on them, so that tests which count the
 * merchants of a street (simulations, draws) do not see them. Tests share one database.
 *
 * <p>Deleting audited rows is exactly what the audit chain detects (AuditChainTest): like an authorised
 * purge, the cleanup then restarts the chain (the seals go; the next sealing run seals what is left), so
 * later tests that verify the chain judge only what happened after it.
 */
public final class TestMerchants {

    private TestMerchants() {
    }

    public static void delete(AgroalDataSource dataSource, Collection<Long> ids) throws Exception {
        if (ids.isEmpty()) return;
        try (Connection c = dataSource.getConnection()) {
            java.sql.Array a = c.createArrayOf("int8", ids.toArray());
            for (String sql : new String[]{
                    "delete from grade_history where merchant_id = any(?)",
                    "delete from merchant_grade where merchant_id = any(?)",
                    "delete from grade_fault where merchant_id = any(?)",
                    "delete from merchant_freshness where merchant_id = any(?)",
                    "delete from merchant_audit where merchant_id = any(?)",
                    "delete from approval_audit where merchant_id = any(?)",
                    "delete from pending_approval where merchant_id = any(?)",
                    "update merchant_event set superseded_by = null, supersedes_id = null where merchant_id = any(?)",
                    "delete from merchant_event where merchant_id = any(?)",
                    "delete from merchant where id = any(?)"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setArray(1, a);
                    ps.executeUpdate();
                }
            }
            try (var st = c.createStatement()) {
                st.executeUpdate("delete from audit_seal");
                st.executeUpdate("delete from audit_seal_batch");
            }
        }
    }
}
