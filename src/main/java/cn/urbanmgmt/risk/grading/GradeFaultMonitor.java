package cn.urbanmgmt.risk.grading;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Merchants whose evaluation faulted: the list (API) and a gauge {@code grading_faulted_merchants}
 * (Prometheus); {@link Health} is the readiness check that says DEGRADED while the list is not empty.
 *
 * <p>The check stays UP: every other merchant is graded, every event is stored and answered, and the
 * faulted merchants keep their last good grade. Taking the instance out of rotation would stop intake for
 * all merchants (and every instance would be taken out alike, as they run the same rules), which is
 * worse than the fault; the state DEGRADED with the count and a sample is what monitoring alerts on.
 */
@ApplicationScoped
public class GradeFaultMonitor {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    /** One faulted merchant as listed. */
    public record FaultedMerchant(long merchantId, String uscc, String name, String street, String ruleSetVersion, String rule,
                                 String message, OffsetDateTime firstAt, OffsetDateTime lastAt, int attempts) {
    }

    private volatile long cachedAt;
    private volatile long cachedCount;

    void onStart(@Observes StartupEvent event) {
        registry.gauge("grading.faulted.merchants", this, m -> m.count());
    }

    /** How many merchants are faulted now (cached for a second: scrapes and health checks come often). */
    public long count() {
        long now = System.nanoTime();
        if (now - cachedAt < 1_000_000_000L) return cachedCount;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from grade_fault");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            cachedCount = rs.getLong(1);
            cachedAt = now;
        } catch (SQLException e) {
            return cachedCount;
        }
        return cachedCount;
    }

    /** The faulted merchants, most recent first, within the caller's streets (null: all). */
    public List<FaultedMerchant> list(java.util.Set<String> streets, int limit) {
        List<FaultedMerchant> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select f.merchant_id, m.uscc, m.name, m.street_code, f.rule_set_version, f.rule_name, f.message, f.first_at, f.last_at, f.attempts
                     from grade_fault f join merchant m on m.id = f.merchant_id
                     where (?::text[] is null or m.street_code = any(?::text[]))
                     order by f.last_at desc, f.merchant_id limit ?""")) {
            java.sql.Array a = streets == null ? null : c.createArrayOf("text", streets.toArray());
            ps.setArray(1, a);
            ps.setArray(2, a);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FaultedMerchant(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class),
                            rs.getInt(10)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The readiness check "grading-faults": UP, with state OK or DEGRADED (see the class comment for why not DOWN). */
    @Readiness
    @ApplicationScoped
    public static class Health implements HealthCheck {

        @Inject
        GradeFaultMonitor monitor;

        @Override
        public HealthCheckResponse call() {
            return monitor.health();
        }
    }

    HealthCheckResponse health() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("grading-faults").up();
        long n = count();
        if (n == 0) return b.withData("state", "OK").withData("faultedMerchants", 0).build();
        b.withData("state", "DEGRADED").withData("faultedMerchants", n)
                .withData("reason", n + " 个商户的评级规则执行失败，保留上次的等级；见 GET /api/v1/grading/faults");
        List<FaultedMerchant> sample = list(null, 1);
        if (!sample.isEmpty()) b.withData("example", sample.get(0).uscc() + "：" + sample.get(0).message());
        return b.build();
    }
}
