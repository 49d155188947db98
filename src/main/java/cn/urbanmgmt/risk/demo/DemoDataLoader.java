package cn.urbanmgmt.risk.demo;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the generated demo district on the first start of a demo database: merchants, a two-year
 * event history, their grades, and a year of month-end distribution counts for the trend chart.
 * Runs after {@code AccountBootstrap}, which refuses demo mode on a production database.
 */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);
    private static final int CHUNK = 5_000;

    @ConfigProperty(name = "app.demo.enabled")
    boolean demo;

    @ConfigProperty(name = "app.demo.merchants")
    int merchants;

    @ConfigProperty(name = "app.demo.events-per-merchant", defaultValue = "2.5")
    double eventsPerMerchant;

    @ConfigProperty(name = "app.demo.seed")
    long seed;

    /** Month-end trend points to backfill (0 for benchmark-sized districts). */
    @ConfigProperty(name = "app.demo.trend-months", defaultValue = "12")
    int trendMonths;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GradingService grading;

    @Inject
    GradingEngine engine;

    void onStart(@Observes @Priority(20) StartupEvent event) throws Exception {
        if (!demo || merchants <= 0) return;
        LocalDate today = LocalDate.now(EventService.ZONE);
        long t0 = System.nanoTime();
        long events;
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select exists (select 1 from merchant)")) {
                rs.next();
                if (rs.getBoolean(1)) return;
            }
            c.setAutoCommit(false);
            new DistrictGenerator(seed, today).writeMerchants(c, merchants);
            events = new EventHistoryGenerator(seed, today).writeEvents(c, eventsPerMerchant);
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                // Fresh statistics, or the planner treats the just-filled tables as empty.
                st.execute("analyze merchant");
                st.execute("analyze merchant_event");
            }
        }
        long[] range = idRange();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (long from = range[0]; from <= range[1]; from += CHUNK) {
                long f = from;
                done.add(pool.submit(() -> grading.regradeRange(f, Math.min(range[1], f + CHUNK - 1), today, "演示数据初始评级", (c, n, r) -> { })));
            }
            for (var d : done) d.get();
        } finally {
            pool.shutdown();
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("analyze merchant_grade");
        }
        backfillTrend(today, range);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into grade_daily_count (day, street_code, category, grade, merchants) "
                    + "select current_date, m.street_code, m.category, g.grade, count(*) from merchant_grade g join merchant m on m.id = g.merchant_id "
                    + "where m.status <> 'CLOSED' group by m.street_code, m.category, g.grade on conflict do nothing");
        }
        LOG.infof("Demo district generated: %d merchants, %d events (seed %d), graded in %d ms", merchants, events, seed,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private long[] idRange() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select min(id), max(id) from merchant")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Month-end counts over the past year, evaluated without touching the stored grades. */
    private void backfillTrend(LocalDate today, long[] range) throws Exception {
        CompiledRules rules = engine.active();
        for (int monthsBack = trendMonths; monthsBack >= 1; monthsBack--) {
            LocalDate day = today.minusMonths(monthsBack).withDayOfMonth(1).minusDays(1);
            Map<String, Integer> counts = new HashMap<>();
            for (long from = range[0]; from <= range[1]; from += CHUNK) {
                grading.evaluateRange(from, Math.min(range[1], from + CHUNK - 1), day, rules, (facts, a) -> {
                    if (facts.merchant().getStatus() == cn.urbanmgmt.risk.registry.MerchantStatus.CLOSED || facts.merchant().getDaysOpen() < 0) return;
                    counts.merge(facts.merchant().getStreet() + "|" + facts.merchant().getCategory() + "|" + a.getGrade(), 1, Integer::sum);
                });
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "insert into grade_daily_count (day, street_code, category, grade, merchants) values (?, ?, ?, ?, ?) on conflict do nothing")) {
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    String[] k = e.getKey().split("\\|");
                    ps.setObject(1, day);
                    ps.setString(2, k[0]);
                    ps.setString(3, k[1]);
                    ps.setString(4, k[2]);
                    ps.setInt(5, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
