package cn.urbanmgmt.risk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.RegradeJob;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Grading benchmark, not a unit test (tag "bench"): the generator's district of {@code bench.merchants}
 * merchants (default 1,000,000) with about 5 events each, in the embedded PostgreSQL of this profile.
 * Measures full regrades end to end (the production job: read, evaluate, write grades and history)
 * with the DRL and with the hand-written baseline, the incremental daily regrade of a normal day and the
 * weekly safety pass, event intake latency at 500 events/s and grade look-up latency at 2,000 requests/s.
 * Run: {@code ./mvnw verify -Pbench -Dtest=GradingBenchmarkTest}. Figures (with the read / evaluate / write
 * split, heap and load average of each run) go to stdout ([bench] lines) and target/bench-grading.txt. The run
 * fails when a goal of issue 18 (docs/benchmarks.md) is missed: per 1,000,000 merchants, daily regrade at most
 * 2 s, full regrade with every grade rewritten at most 12 s and 1 GiB heap; DRL at most 1.2 times the
 * hand-written baseline with nothing changed; safety pass 0 missed; intake p99 at most 20 ms, look-up p99 at
 * most 10 ms, no errors.
 */
@QuarkusTest
@TestProfile(GradingBenchmarkTest.District.class)
@Tag("bench")
class GradingBenchmarkTest {

    static final int MERCHANTS = Integer.getInteger("bench.merchants", 1_000_000);
    /** Which parts to run (comma-separated): plan, regrade, daily, simulation, intake, lookup (plan first: the first plan after a start). */
    static final List<String> PARTS = List.of(System.getProperty("bench.parts", "plan,regrade,daily,simulation,intake,lookup").split(","));
    /** Seconds of load at the target rate before measuring: JIT, connection pools and caches warm up as in service. */
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 20);

    public static class District implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("app.demo.merchants", String.valueOf(MERCHANTS), "app.demo.events-per-merchant", System.getProperty("bench.events-per-merchant", "5"),
                    "app.demo.trend-months", "0", "quarkus.datasource.jdbc.max-size", "64", "app.demo.inspectors", "500");
        }
    }

    @Inject
    RegradeJob regrade;

    @Inject
    JobService jobs;

    @Inject
    GradingEngine engine;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    private final List<String> report = new ArrayList<>();
    private final List<String> missedGoals = new ArrayList<>();

    /** Goals of docs/benchmarks.md (issue 18); the time goals of regrades scale with the district. */
    static final double REGRADE_SECONDS_PER_MILLION = 12;
    static final double DAILY_SECONDS_PER_MILLION = 2;
    static final double MAX_HEAP_MIB = 1024;
    static final double FIRST_PLAN_SECONDS_PER_MILLION = 2;
    static final double SIMULATION_SECONDS_PER_MILLION = 15;
    static final double MAX_DRL_RATIO = 1.2;
    static final double INTAKE_P99_MILLIS = 20;
    static final int INTAKE_RATE = 500;
    static final double LOOKUP_P99_MILLIS = 10;
    static final int LOOKUP_RATE = 2000;
    /** Share of merchants with new events on a normal day. */
    static final double NEW_EVENT_SHARE = 0.01;

    @Test
    void benchmark() throws Exception {
        line("machine: " + Runtime.getRuntime().availableProcessors() + " cores, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB, load average at start " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        line("data: " + count("merchant") + " merchants, " + count("merchant_event") + " events");

        if (PARTS.contains("plan")) {
            double first = plan("first plan after a start");
            plan("second plan (warmer JIT)");
            goal("first plan after a start, whole district (s)", first, FIRST_PLAN_SECONDS_PER_MILLION * MERCHANTS / 1e6);
        }
        if (PARTS.contains("regrade")) {
            double droolsSteady = timedRegrade("DRL, nothing changed since the last regrade").seconds();
            engine.overrideForBenchmark(new HandWrittenPolicy());
            double baselineRewrite;
            double baselineSteady;
            try {
                baselineRewrite = timedRegrade("hand-written, every grade rewritten (new version)").seconds();
                baselineSteady = timedRegrade("hand-written, nothing changed").seconds();
            } finally {
                engine.overrideForBenchmark(null);
            }
            Run droolsRewrite = timedRegrade("DRL, every grade rewritten (new version)");
            double droolsSteady2 = timedRegrade("DRL, nothing changed (again)").seconds();
            double rewriteRatio = droolsRewrite.seconds() / baselineRewrite;
            double steadyRatio = Math.min(droolsSteady, droolsSteady2) / baselineSteady;
            line(String.format("ratio DRL / hand-written: every grade rewritten %.2f, nothing changed %.2f", rewriteRatio, steadyRatio));
            goal("full regrade with the DRL, every grade rewritten (s)", droolsRewrite.seconds(), REGRADE_SECONDS_PER_MILLION * MERCHANTS / 1e6);
            goal("full regrade with the DRL, every grade rewritten: peak heap (MiB)", droolsRewrite.peakHeapMiB(), MAX_HEAP_MIB);
            goal("DRL / hand-written, nothing changed", steadyRatio, MAX_DRL_RATIO);
        }
        if (PARTS.contains("daily")) {
            // A full pass as of today first: the daily job is incremental only after one with the active rules.
            LocalDate today = LocalDate.now(cn.urbanmgmt.risk.events.EventService.ZONE);
            timedRegrade("DRL, full pass as of today (before the daily runs)");
            // A normal day: 1 % of merchants got new events that the daily job regrades itself (their marks are left
            // set: the drain is paused, as if intake had not regraded them), plus the window crossings as generated.
            cn.urbanmgmt.risk.grading.GradingService.PAUSE_DRAIN = true;
            try {
                newEvents(today.plusDays(1), "baseline-day");
                engine.overrideForBenchmark(new HandWrittenPolicy());
                Run baseline;
                try {
                    baseline = timed("hand-written, daily incremental regrade as of tomorrow",
                            () -> regrade.startDaily(today.plusDays(1), "bench-daily-hw-" + System.nanoTime()));
                } finally {
                    engine.overrideForBenchmark(null);
                }
                newEvents(today.plusDays(2), "drl-day");
                Run drl = timed("DRL, daily incremental regrade as of the day after tomorrow",
                        () -> regrade.startDaily(today.plusDays(2), "bench-daily-drl-" + System.nanoTime()));
                assertEquals("INCREMENTAL", drl.result().get("mode"), () -> "daily job ran as " + drl.result());
                line(String.format("ratio DRL / hand-written, daily incremental: %.2f", drl.seconds() / baseline.seconds()));
                goal("daily incremental regrade with the DRL, a normal day (s)", drl.seconds(), DAILY_SECONDS_PER_MILLION * MERCHANTS / 1e6);
                Run safety = timed("DRL, weekly safety pass (full) as of the day after tomorrow",
                        () -> regrade.startSafetyPass(today.plusDays(2), null));
                goal("merchants the incremental passes missed (safety pass)", ((Number) safety.result().get("missed")).doubleValue(), 0);
            } finally {
                cn.urbanmgmt.risk.grading.GradingService.PAUSE_DRAIN = false;
            }
        }
        if (PARTS.contains("simulation")) {
            Run sim = simulation();
            goal("simulation of a candidate rule set (s)", sim.seconds(), SIMULATION_SECONDS_PER_MILLION * MERCHANTS / 1e6);
        }
        if (PARTS.contains("intake")) {
            OpenLoad.Result r = latency("event intake (POST /api/v1/events, merchant regraded before the answer)", INTAKE_RATE, 20, this::eventRequest);
            goal("event intake p99 at " + INTAKE_RATE + "/s (ms)", r.percentileMillis(0.99), INTAKE_P99_MILLIS);
            goal("event intake errors", r.errors(), 0);
        }
        if (PARTS.contains("lookup")) {
            OpenLoad.Result r = latency("grade look-up (GET /api/v1/merchants/{id}/grade)", LOOKUP_RATE, 20, this::lookupRequest);
            goal("grade look-up p99 at " + LOOKUP_RATE + "/s (ms)", r.percentileMillis(0.99), LOOKUP_P99_MILLIS);
            goal("grade look-up errors", r.errors(), 0);
        }

        Path out = Path.of("target", "bench-grading.txt");
        Files.write(out, report, StandardCharsets.UTF_8);
        assertTrue(missedGoals.isEmpty(), () -> "goals missed: " + String.join("; ", missedGoals));
    }

    /** Records a figure against its goal (at most {@code limit}); the benchmark fails at the end if any is missed. */
    private void goal(String figure, double measured, double limit) {
        boolean met = measured <= limit;
        line(String.format("goal %s: %.2f, goal at most %.2f: %s", figure, measured, limit, met ? "met" : "MISSED"));
        if (!met) missedGoals.add(String.format("%s %.2f > %.2f", figure, measured, limit));
    }

    /** One timed job: wall time, peak heap, and its result (with the read / evaluate / write split of its chunks). */
    record Run(double seconds, long peakHeapMiB, Map<String, Object> result) {
    }

    private Run timedRegrade(String label) throws Exception {
        return timed("full regrade, " + label, () -> regrade.start("bench", LocalDate.now(cn.urbanmgmt.risk.events.EventService.ZONE), "基准测试", null));
    }

    private Run timed(String label, java.util.concurrent.Callable<Job> start) throws Exception {
        AtomicLong peakHeap = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakHeap.accumulateAndGet(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long t0 = System.nanoTime();
        long cpu0 = cn.urbanmgmt.risk.inspection.plans.PlanService.processCpuNanos();
        Job job = start.call();
        JobService.Progress p;
        do {
            Thread.sleep(20);
            p = QuarkusTransaction.requiringNew().call(() -> jobs.progress(job.id));
        } while (p.status() == Job.Status.RUNNING);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cn.urbanmgmt.risk.inspection.plans.PlanService.processCpuNanos() - cpu0) / 1e9;
        sampler.shutdownNow();
        JobService.Progress done = p;
        assertEquals(Job.Status.DONE, p.status(), () -> label + " failed: " + done.error());
        Map<String, Object> r = p.result();
        line(String.format("%s: %.2f s for %d merchants (%.0f /s), %s graded, %s changed grade, %s missed; chunk phases summed over %d worker(s): "
                        + "read %s ms (overlapping evaluation), evaluate %s ms (summed over evaluator threads), write %s ms; JVM CPU %.1f s, "
                        + "peak heap %d MiB, load average %.1f at start, %.1f at end",
                label, seconds, p.total(), p.total() / seconds, r.get("graded"), r.get("changed"), r.get("missed"), 2, r.get("readMs"),
                r.get("evaluateMs"), r.get("writeMs"), cpuSeconds, peakHeap.get() >> 20, load,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return new Run(seconds, peakHeap.get() >> 20, r);
    }

    /**
     * One executable plan over the whole district through the API, as a planner makes it: items GS-02 and SC-01, four
     * weeks from tomorrow, every squad's inspectors in one pool (overlap and capacity reasons given: the benchmark makes
     * several). Returns the service's own time for the plan (draw and matching through storing it: timingsMillis.total),
     * the figure of the goal; the HTTP round trip (which for the first request after a start also pays for
     * loading the HTTP and security code) goes into the report with the phases.
     */
    private double plan(String label) throws Exception {
        List<String> squads = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select code from squad order by code")) {
            while (rs.next()) squads.add(rs.getString(1));
        }
        LocalDate start = LocalDate.now(cn.urbanmgmt.risk.events.EventService.ZONE).plusDays(1);
        Map<String, Object> body = Map.of("name", "基准测试 " + label, "items", List.of("GS-02", "SC-01"), "periodStart", start.toString(),
                "periodEnd", start.plusDays(27).toString(), "inspectorSquads", squads, "overlapReason", "基准测试：同一范围重复生成",
                "capacityReason", "基准测试：不实际执行");
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long t0 = System.nanoTime();
        io.restassured.path.json.JsonPath r = io.restassured.RestAssured.given().auth().preemptive().basic("planner", "demo1234")
                .contentType("application/json").body(body).post("/api/v1/inspection/plans").then().statusCode(201).extract().jsonPath();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double service = r.getDouble("timingsMillis.total") / 1000;
        line(String.format("plan, %s: %.2f s in the service, %.2f s HTTP round trip, for %d visits of %d merchants; service phases (ms) %s; "
                + "load average %.1f at start", label, service, seconds, r.getInt("visitCount"), MERCHANTS, r.getMap("timingsMillis"), load));
        return service;
    }

    /**
     * A rule author's simulation of a candidate grading rule set over the whole district: the shipped rules with the
     * YELLOW line at 35 points instead of 40 (or, when a rule author has changed that line, the shipped rules as they
     * are), uploaded and simulated through the API against the active rules re-evaluated on the same date.
     */
    private Run simulation() throws Exception {
        Map<String, String> files = new java.util.TreeMap<>();
        for (String dir : List.of("grading", "tests")) {
            try (var paths = Files.list(Path.of("rules", dir))) {
                for (Path f : paths.filter(Files::isRegularFile).toList()) {
                    files.put(dir + "/" + f.getFileName(), Files.readString(f).replace("setThresholds(40, 70)", "setThresholds(35, 70)"));
                }
            }
        }
        String version = io.restassured.RestAssured.given().auth().preemptive().basic("author", "demo1234").contentType("application/json")
                .body(Map.of("files", files, "comment", "基准测试：模拟")).post("/api/v1/rules/versions").then().extract().jsonPath().getString("version.version");
        return timed("simulation of a candidate rule set (active rules re-evaluated as the baseline)", () -> {
            long id = io.restassured.RestAssured.given().auth().preemptive().basic("author", "demo1234").contentType("application/json").body("{}")
                    .post("/api/v1/rules/versions/" + version + "/simulate").then().statusCode(202).extract().jsonPath().getLong("id");
            return QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(id));
        });
    }

    /**
     * New events for 1 % of the merchants, dated {@code day}, stored as intake stores them (with their "needs
     * regrade" marks), but not regraded: the daily job of that day grades them.
     */
    private void newEvents(LocalDate day, String tag) throws Exception {
        int n = (int) Math.max(1, MERCHANTS * NEW_EVENT_SHARE);
        Random random = new Random(tag.hashCode());
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = c.prepareStatement("""
                    insert into merchant_event (id, merchant_id, type, source, source_id, occurred_at, recorded_by, channel, complaint_category, verified)
                    select nextval('merchant_event_seq'), u.id, 'COMPLAINT', 'bench', ? || u.id, ?, 'bench', 'HOTLINE_12345', '噪声扰民', true
                    from unnest(?::int8[]) as u(id)""")) {
                for (int i = 0; i < n; i++) ids.add(1L + random.nextInt(MERCHANTS));
                List<Long> distinct = ids.stream().distinct().sorted().toList();
                ps.setString(1, tag + "-");
                ps.setObject(2, day.atTime(10, 0).atZone(cn.urbanmgmt.risk.events.EventService.ZONE).toOffsetDateTime());
                ps.setArray(3, c.createArrayOf("int8", distinct.toArray()));
                ps.executeUpdate();
                cn.urbanmgmt.risk.grading.Freshness.mark(c, distinct);
            }
            c.commit();
        }
        line("normal day " + day + ": new events for " + ids.stream().distinct().count() + " merchants (marked \"needs regrade\")");
    }

    private interface RequestFactory {
        OpenLoad.Request next(Random r);
    }

    /** Open-model load (see {@link OpenLoad}): after a warm-up at the same rate, {@code seconds} at {@code perSecond}. */
    private OpenLoad.Result latency(String label, int perSecond, int seconds, RequestFactory factory) throws Exception {
        try (OpenLoad load = new OpenLoad(base.getHost(), base.getPort(), 64)) {
            if (WARMUP_SECONDS > 0) load.run(requests(factory, perSecond * WARMUP_SECONDS, new Random(3)), perSecond);
            OpenLoad.Result r = load.run(requests(factory, perSecond * seconds, new Random(7)), perSecond);
            line(String.format("%s at %d/s for %d s (after %d s warm-up): p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors of %d", label,
                    perSecond, seconds, WARMUP_SECONDS, r.percentileMillis(0.50), r.percentileMillis(0.99), r.maxMillis(), r.errors(),
                    r.latencies().length));
            return r;
        }
    }

    private static List<OpenLoad.Request> requests(RequestFactory factory, int n, Random random) {
        List<OpenLoad.Request> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(factory.next(random));
        return list;
    }

    private String auth(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo1234").getBytes(StandardCharsets.UTF_8));
    }

    private OpenLoad.Request lookupRequest(Random r) {
        long id = 1 + r.nextInt(MERCHANTS);
        return new OpenLoad.Request(HttpMethod.GET, "/api/v1/merchants/" + id + "/grade", List.of("Authorization", auth("planner")), null);
    }

    private final AtomicLong eventSeq = new AtomicLong();

    private OpenLoad.Request eventRequest(Random r) {
        long id = 1 + r.nextInt(MERCHANTS);
        String body = "{\"type\":\"COMPLAINT\",\"source\":\"bench\",\"sourceId\":\"b-" + System.nanoTime() + "-" + eventSeq.incrementAndGet()
                + "\",\"occurredAt\":\"" + LocalDate.now().minusDays(1) + "\",\"merchantId\":" + id
                + ",\"channel\":\"HOTLINE_12345\",\"complaintCategory\":\"噪声扰民\",\"verified\":" + r.nextBoolean() + "}";
        return new OpenLoad.Request(HttpMethod.POST, "/api/v1/events", List.of("Authorization", auth("admin"), "Content-Type", "application/json"), body);
    }

    private long count(String table) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void line(String s) {
        System.out.println("[bench] " + s);
        report.add(s);
    }
}
