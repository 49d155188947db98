package cn.urbanmgmt.risk.outcomes;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A backtest on a small hand-built history whose hit rates, lift, AUC and days sooner are worked
 * out by hand below. The history is written straight into merchant_event with its past
 * recorded_at (the API stamps events with now), including an event recorded after D, a correction
 * recorded before D and one recorded after D.
 */
@QuarkusTest
class BacktestTest {

    static final String STREET = "pengpuzhen";
    static final String D = "2015-07-01";
    static final double EPS = 1e-9;

    @Inject
    AgroalDataSource dataSource;

    static long a, b, c, e, f, g, h;
    static String defaultVersion, lowThresholds;

    /** Written once for the class (REST Assured knows the test port only inside test methods). */
    void history() throws SQLException {
        if (defaultVersion != null) return;
        a = retail();
        b = retail();
        c = retail();
        e = retail();
        f = retail();
        g = retail();
        h = retail();
        // A: serious 40 + ordinary 20 + minor 8 + minor 8 = 76 -> RED
        caseEvent(a, "2015-03-01", "2015-03-02", "SERIOUS", null);
        caseEvent(a, "2015-04-01", "2015-04-01", "ORDINARY", null);
        caseEvent(a, "2015-05-01", "2015-05-01", "MINOR", null);
        caseEvent(a, "2015-05-10", "2015-05-10", "MINOR", null);
        inspection(a, "2015-06-30", "GS-01", "NO_PROBLEM", null);          // before D: not a horizon visit
        // B: serious 40 (150 days before D) -> YELLOW
        caseEvent(b, "2015-02-01", "2015-02-01", "SERIOUS", null);
        // C: ordinary 20 -> GREEN
        caseEvent(c, "2015-05-01", "2015-05-01", "ORDINARY", null);
        // F: a serious case that happened before D but was recorded after D: not known at D -> GREEN 0
        caseEvent(f, "2015-06-01", "2015-07-05", "SERIOUS", null);
        // G: serious, corrected to minor only after D: at D the serious case stood -> YELLOW 40
        long g1 = caseEvent(g, "2015-03-01", "2015-03-01", "SERIOUS", null);
        caseEvent(g, "2015-03-01", "2015-08-01", "MINOR", g1);
        // H: serious, corrected to minor before D -> minor 8, GREEN
        long h1 = caseEvent(h, "2015-03-01", "2015-03-01", "SERIOUS", null);
        caseEvent(h, "2015-03-01", "2015-04-15", "MINOR", h1);

        // The horizon [2015-07-01, 2015-09-29): one visit per merchant and day
        inspection(e, "2015-07-02", "GS-01", "NO_PROBLEM", null);
        inspection(c, "2015-07-05", "GS-01", "NO_PROBLEM", null);         // two results of one visit:
        inspection(c, "2015-07-05", "SC-01", "ORDERED_TO_RECTIFY", null); // the visit found a problem
        inspection(f, "2015-07-10", "GS-01", "NO_PROBLEM", null);
        inspection(b, "2015-07-20", "SC-01", "CASE_OPENED", null);
        inspection(h, "2015-07-25", "GS-01", "NO_PROBLEM", null);
        inspection(a, "2015-08-10", "SC-01", "RECTIFIED_ON_SPOT", null);
        long wrong = inspection(g, "2015-08-20", "SC-01", "CASE_OPENED", null);
        inspection(g, "2015-08-20", "SC-01", "NO_PROBLEM", wrong);        // corrected: the visit found nothing
        inspection(e, "2015-09-01", "GS-01", "NOT_FOUND", null);          // merchant not found: not a visit
        inspection(b, "2015-09-29", "SC-01", "CASE_OPENED", null);        // D + 90: after the horizon

        Map<String, String> files = defaultFiles();
        defaultVersion = upload(files, "回测测试：默认规则");
        Map<String, String> low = new LinkedHashMap<>(files);
        low.put("grading/00-thresholds.drl", files.get("grading/00-thresholds.drl").replace("setThresholds(40, 70)", "setThresholds(20, 50)"));
        lowThresholds = upload(low, "回测测试：分数线 20/50");
    }

    @Test
    void backtestOfTwoVersionsMatchesTheHandComputation() throws Exception {
        history();
        long historyBefore = count("select count(*) from grade_history where merchant_id = any(?)");
        long gradesBefore = count("select count(*) from merchant_grade where merchant_id = any(?) and evaluation_date < '2016-01-01'");
        long trendBefore = count("select count(*) from grade_daily_count where cardinality(?::bigint[]) > 0");

        Map<String, Object> body = new HashMap<>();
        body.put("version", defaultVersion);
        body.put("compareWith", lowThresholds);
        body.put("asOf", D);
        body.put("horizonDays", 90);
        body.put("street", "彭浦镇");
        body.put("category", "零售");
        long job = asJson("author").body(body).post("/api/v1/backtests").then().statusCode(202).extract().jsonPath().getLong("id");
        String raw = waitForJob(job);
        JsonPath r = json(raw);
        assertEquals("DONE", r.getString("status"), r.prettify());

        assertEquals(D, r.getString("result.asOf"));
        assertEquals("2015-09-28", r.getString("result.horizonEnd"));
        JsonPath v1 = json(raw).setRootPath("result.versions[0]");
        JsonPath v2 = json(raw).setRootPath("result.versions[1]");
        assertEquals(defaultVersion, v1.getString("version"));
        assertEquals(lowThresholds, v2.getString("version"));

        // Grades at D with the default rules (40 yellow, 70 red):
        //   A 76 RED; B 40 YELLOW; G 40 YELLOW; C 20, H 8, E 0, F 0 GREEN.
        // Visits (date, problem): E 07-02 no, C 07-05 yes, F 07-10 no, B 07-20 yes, H 07-25 no, A 08-10 yes, G 08-20 no.
        assertEquals(7, v1.getInt("visits"));
        assertEquals(3, v1.getInt("problemVisits"));
        double overall = 3.0 / 7;
        assertEquals(overall, v1.getDouble("hitRate"), EPS);
        assertGrade(v1, "RED", 1, 1, 1.0 / 1, 1.0 / 3, (1.0 / 1) / overall);
        assertGrade(v1, "YELLOW", 2, 1, 1.0 / 2, 1.0 / 3, (1.0 / 2) / overall);
        assertGrade(v1, "GREEN", 4, 1, 1.0 / 4, 1.0 / 3, (1.0 / 4) / overall);
        assertEquals(1, v1.getInt("byGrade.find { it.grade == 'RED' }.merchants"));
        assertEquals(2, v1.getInt("byGrade.find { it.grade == 'YELLOW' }.merchants"));
        assertEquals(4, v1.getInt("byGrade.find { it.grade == 'GREEN' }.merchants"));

        // AUC of the score: problems {A 76, B 40, C 20} against no problem {G 40, H 8, E 0, F 0}:
        // A beats all 4; B ties G (1/2) and beats 3; C beats 3 -> (4 + 3.5 + 3) / 12.
        assertEquals((4 + 3.5 + 3) / 12, v1.getDouble("aucScore"), EPS);

        // Days sooner, risk order (grade, score, then real date): A, B, G, C, H, E, F
        // get the sorted real dates 07-02, 07-05, 07-10, 07-20, 07-25, 08-10, 08-20.
        // Problem visits: A 08-10 -> 07-02 = 39; B 07-20 -> 07-05 = 15; C 07-05 -> 07-20 = -15.
        double[] risk = {39, 15, -15};
        assertEquals(mean(risk), v1.getDouble("daysSooner.mean"), EPS);
        assertEquals(13.0, v1.getDouble("daysSooner.mean"), EPS);
        assertEquals(se(risk), v1.getDouble("daysSooner.standardError"), EPS);
        assertEquals(3, v1.getInt("daysSooner.problemVisits"));
        // Grade alone (ties in the real order): A, B, G, E, C, F, H -> C 07-05 gets 07-25 = -20.
        double[] byGrade = {39, 15, -20};
        assertEquals(mean(byGrade), v1.getDouble("daysSoonerGradeOnly.mean"), EPS);

        // Thresholds 20/50: C (20) becomes YELLOW. RED {A}: 1/1; YELLOW {B, G, C}: 2/3; GREEN {H, E, F}: 0/3.
        assertGrade(v2, "RED", 1, 1, 1.0, 1.0 / 3, 1.0 / overall);
        assertGrade(v2, "YELLOW", 3, 2, 2.0 / 3, 2.0 / 3, (2.0 / 3) / overall);
        assertGrade(v2, "GREEN", 3, 0, 0.0, 0.0, 0.0);
        // Same scores, so the same AUC and the same risk order.
        assertEquals((4 + 3.5 + 3) / 12, v2.getDouble("aucScore"), EPS);
        assertEquals(13.0, v2.getDouble("daysSooner.mean"), EPS);
        // Grade alone: A, then C 07-05, B 07-20, G 08-20, then E, F, H:
        // A 08-10 -> 07-02 = 39; C 07-05 -> 07-05 = 0; B 07-20 -> 07-10 = 10.
        assertEquals(mean(new double[] {39, 0, 10}), v2.getDouble("daysSoonerGradeOnly.mean"), EPS);

        // The console shows both versions side by side.
        Map<String, String> session = OutcomeFixtures.consoleLogin("author");
        String page = io.restassured.RestAssured.given().cookies(session).get("/console/backtests/" + job).then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(page, org.hamcrest.Matchers.allOf(
                org.hamcrest.Matchers.containsString("data-version=\"" + defaultVersion + "\""),
                org.hamcrest.Matchers.containsString("data-version=\"" + lowThresholds + "\""),
                org.hamcrest.Matchers.containsString("0.875"), org.hamcrest.Matchers.containsString("13.0 天"),
                org.hamcrest.Matchers.containsString("66.7%")));
        io.restassured.RestAssured.given().cookies(session).get("/console/backtests?version=" + lowThresholds + "&compareWith=ACTIVE")
                .then().statusCode(200).body(org.hamcrest.Matchers.containsString("#" + job))
                .body(org.hamcrest.Matchers.containsString("value=\"" + lowThresholds + "\""));
        io.restassured.RestAssured.given().cookies(session).get("/console/rules/grading/versions/" + lowThresholds)
                .then().statusCode(200).body(org.hamcrest.Matchers.containsString("/console/backtests?version=" + lowThresholds));

        // Nothing live was touched.
        assertEquals(historyBefore, count("select count(*) from grade_history where merchant_id = any(?)"));
        assertEquals(gradesBefore, count("select count(*) from merchant_grade where merchant_id = any(?) and evaluation_date < '2016-01-01'"));
        assertEquals(0, gradesBefore);
        assertEquals(trendBefore, count("select count(*) from grade_daily_count where cardinality(?::bigint[]) > 0"));
        // Today's grades are still today's: F's late serious case and G's correction count now.
        as("admin").get("/api/v1/merchants/" + g + "/grade").then().statusCode(200).body("evaluationDate", equalTo(LocalDate.now(
                cn.urbanmgmt.risk.events.EventService.ZONE).toString()));
    }

    @Test
    void badRequestsNameTheField() {
        asJson("author").body(Map.of("asOf", "2015-13-01")).post("/api/v1/backtests").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("asOf"));
        asJson("author").body(Map.of("asOf", LocalDate.now().plusDays(3).toString())).post("/api/v1/backtests").then().statusCode(400)
                .body("errors[0].field", equalTo("asOf"));
        asJson("author").body(Map.of("asOf", D, "horizonDays", 0)).post("/api/v1/backtests").then().statusCode(400)
                .body("errors[0].field", equalTo("horizonDays"));
        asJson("author").body(Map.of("asOf", D, "street", "火星街道")).post("/api/v1/backtests").then().statusCode(400)
                .body("errors[0].field", equalTo("street"));
        asJson("author").body(Map.of("asOf", D, "version", "abcdef12")).post("/api/v1/backtests").then().statusCode(404)
                .contentType("application/problem+json");
        asJson("author").body(Map.of("asOf", D, "compareWith", "xyz")).post("/api/v1/backtests").then().statusCode(400)
                .body("errors[0].field", equalTo("compareWith"));
        asJson("squad-jingansi").body(Map.of("asOf", D)).post("/api/v1/backtests").then().statusCode(403);
        asJson("planner").body(Map.of("asOf", D)).post("/api/v1/backtests").then().statusCode(403);
    }

    // ---- the hand computation ------------------------------------------------------------------

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Sample standard deviation over sqrt(n). */
    static double se(double[] x) {
        double m = mean(x);
        double ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        return Math.sqrt(ss / (x.length - 1)) / Math.sqrt(x.length);
    }

    static void assertGrade(JsonPath v, String grade, int visits, int problems, double hitRate, double share, double lift) {
        String p = "byGrade.find { it.grade == '" + grade + "' }.";
        assertEquals(visits, v.getInt(p + "visits"), grade);
        assertEquals(problems, v.getInt(p + "problemVisits"), grade);
        assertEquals(hitRate, v.getDouble(p + "hitRate"), EPS, grade);
        assertEquals(share, v.getDouble(p + "shareOfProblems"), EPS, grade);
        assertEquals(lift, v.getDouble(p + "lift"), EPS, grade);
    }

    // ---- fixtures ------------------------------------------------------------------------------

    /** Numbers as doubles (the default reads them as floats). */
    static JsonPath json(String body) {
        return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** The job's JSON once it is no longer running. */
    static String waitForJob(long job) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            String body = as("admin").get("/api/v1/jobs/" + job).then().statusCode(200).extract().asString();
            if (!"RUNNING".equals(json(body).getString("status"))) return body;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not finish in 120 s");
    }

    static Map<String, String> defaultFiles() {
        RuleSource s = RuleSource.fromDirectory(Path.of("rules"), "grading");
        Map<String, String> files = new LinkedHashMap<>(s.files());
        files.putAll(s.tests());
        return files;
    }

    static String upload(Map<String, String> files, String comment) {
        return asJson("author").body(Map.of("files", files, "comment", comment)).post("/api/v1/rules/versions")
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().jsonPath().getString("version.version");
    }

    static long retail() {
        return OutcomeFixtures.retail(STREET);
    }

    long count(String sql) throws SQLException {
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setArray(1, conn.createArrayOf("bigint", new Object[] {a, b, c, e, f, g, h}));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long caseEvent(long merchant, String occurred, String recorded, String severity, Long supersedes) throws SQLException {
        return OutcomeFixtures.caseEvent(dataSource, merchant, occurred, recorded, severity, false, 1000, supersedes);
    }

    long inspection(long merchant, String occurred, String item, String outcome, Long supersedes) throws SQLException {
        return OutcomeFixtures.inspection(dataSource, merchant, occurred, item, outcome, null, supersedes);
    }
}
