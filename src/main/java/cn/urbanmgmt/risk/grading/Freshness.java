package cn.urbanmgmt.risk.grading;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import org.hibernate.Session;

/**
 * The durable "needs regrade" mark: every transaction that changes what a merchant's grade depends on
 * (an event, a correction, a visit result, a registry change) calls {@link #mark} before it commits.
 * It bumps the merchant's data version (under the row lock, so versions commit in order) and sets
 * pending; the regrade that grades from that version clears it ({@link GradeStore#clearPending}). If the
 * instance dies in between, any instance's drain ({@link GradingService#drainPending}) regrades it.
 */
public final class Freshness {

    private Freshness() {
    }

    /** Marks the merchants changed, in the caller's JDBC transaction (ids locked in ascending order). */
    public static void mark(Connection c, Collection<Long> merchantIds) throws SQLException {
        if (merchantIds.isEmpty()) return;
        Object[] ids = merchantIds.stream().distinct().sorted().toArray();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into merchant_freshness (merchant_id, data_version, pending, changed_at)
                select id, 1, true, now() from unnest(?::int8[]) as u(id) order by id
                on conflict (merchant_id) do update set data_version = merchant_freshness.data_version + 1, pending = true,
                    changed_at = now()""")) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.executeUpdate();
        }
    }

    /** {@link #mark(Connection, Collection)} in the caller's JPA transaction. */
    public static void mark(EntityManager em, Collection<Long> merchantIds) {
        if (merchantIds.isEmpty()) return;
        em.unwrap(Session.class).doWork(c -> mark(c, merchantIds));
    }
}
