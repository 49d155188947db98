package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.approveRules;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.activeVersion;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.corpus;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.defaultFiles;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.replace;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.restore;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.simulateClean;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.upload;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.waitForJob;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.with;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule author's loop through the REST API against the real app, PostgreSQL and Drools. The
 * tests share one database and the app-wide active rule set with the other test classes: each test
 * that activates something puts the default rules back when it ends.
 */
@QuarkusTest
class RuleAuthoringResourceTest {

    static final String DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "grading").hash();
    static final String TEST_RULE = "测试专用：名称以“规则测试专用”开头的商户加 50 分";
    static final String TEST_RULE_FILE = """
            // 只用于自动化测试：不影响任何测试场景，只影响名称以“规则测试专用”开头的商户。
            package grading;

            import cn.urbanmgmt.risk.grading.model.*;

            rule "测试专用：名称以“规则测试专用”开头的商户加 50 分"
            when
                $a : Assessment()
                MerchantFact( name matches "规则测试专用.*" )
            then
                $a.addPoints(50, "测试专用规则");
            end
            """;

    @Inject
    GradingService grading;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    @AfterEach
    void defaultRulesAreActive() {
        restore(DEFAULT);
    }

    static Map<String, String> withTestRule() {
        return with(defaultFiles(), "grading/70-test-only.drl", TEST_RULE_FILE);
    }

    static long merchant(String name, String street, String category) {
        Map<String, Object> m = TestSupport.merchant(uscc(), street);
        m.put("name", name);
        m.put("category", category);
        return asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static JsonPath event(long merchantId, Map<String, Object> fields, int daysAgo) {
        Map<String, Object> e = new HashMap<>(fields);
        e.put("source", "test");
        e.put("sourceId", UUID.randomUUID().toString());
        e.put("occurredAt", LocalDate.now(EventService.ZONE).minusDays(daysAgo).toString());
        e.put("merchantId", merchantId);
        return asJson("admin").body(e).post("/api/v1/events").then().statusCode(201).extract().jsonPath();
    }

    static Map<String, Object> caseOf(String severity) {
        return Map.of("type", "CASE", "caseNo", "T-" + UUID.randomUUID().toString().substring(0, 8), "violationType", "NOISE", "severity", severity);
    }

    // ---- validate -----------------------------------------------------------------------------------

    @Test
    void brokenRulesAreReportedWithFileLineAndRule() {
        record Expect(String corpus, boolean ok, String kind, String file, int line, String rule) {
        }
        List<Expect> cases = List.of(
                new Expect("syntax-error", false, "SYNTAX", "grading/20-cases.drl", 11, "一年内的严重案件"),
                new Expect("unknown-field", false, "UNKNOWN_FIELD", "grading/20-cases.drl", 18, "一年内的严重案件"),
                new Expect("unknown-type", false, "UNKNOWN_TYPE", "grading/20-cases.drl", 17, "一年内的严重案件"),
                new Expect("bad-consequence", false, "CONSEQUENCE", "grading/20-cases.drl", 19, "一年内的严重案件"),
                new Expect("duplicate-rule-name", false, "DUPLICATE_RULE", "grading/30-complaints.drl", 6, "一年内有问题"),
                new Expect("infinite-loop", false, "LOOP", "grading/20-cases.drl", 6, "一年内的案件"),
                new Expect("never-fires", true, "NEVER_FIRES", "grading/20-cases.drl", 18, "单项扣 10 分"));
        for (Expect x : cases) {
            JsonPath stored = upload(corpus(x.corpus()), "错误示例：" + x.corpus());
            assertEquals(x.ok(), stored.getBoolean("validation.ok"), x.corpus());
            assertEquals(x.kind(), stored.getString("validation.problems[0].kind"), x.corpus());
            assertEquals(x.file(), stored.getString("validation.problems[0].file"), x.corpus());
            assertEquals(x.line(), stored.getInt("validation.problems[0].line"), x.corpus());
            assertEquals(x.rule(), stored.getString("validation.problems[0].rule"), x.corpus());
            // The same through the validate step, which is audited.
            String version = stored.getString("version.version");
            as("author").post("/api/v1/rules/versions/" + version.substring(0, 12) + "/validate").then().statusCode(200)
                    .body("ok", is(x.ok())).body("problems[0].line", is(x.line())).body("problems[0].rule", equalTo(x.rule()))
                    .body("problems[0].message", not(equalTo("")));
            as("planner").queryParam("version", version).queryParam("action", "VALIDATE").get("/api/v1/rules/audit").then().statusCode(200)
                    .body("[0].username", equalTo("author")).body("[0].outcome", equalTo(x.ok() ? "OK" : "FAILED"));
        }
        assertEquals(DEFAULT, activeVersion());
    }

    @Test
    void brokenRulesCannotBeActivatedAndNothingChanges() {
        String version = upload(corpus("syntax-error"), "语法错误").getString("version.version");
        asJson("author").body(Map.of("comment", "试图启用有语法错误的规则")).post("/api/v1/rules/versions/" + version + "/activate").then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("grading/20-cases.drl")).body("errors[0].line", is(11))
                .body("errors[0].value", equalTo("一年内的严重案件")).body("problems[0].column", is(1))
                .body("detail", containsString("生效的规则集没有改变"));
        assertEquals(DEFAULT, activeVersion());
        as("author").queryParam("version", version).queryParam("action", "ACTIVATE").get("/api/v1/rules/audit").then()
                .body("[0].outcome", equalTo("FAILED")).body("[0].comment", equalTo("试图启用有语法错误的规则"));
    }

    // ---- test -------------------------------------------------------------------------------------

    @Test
    void failingScenariosBlockActivation() throws Exception {
        Map<String, String> files = replace(defaultFiles(), "grading/00-thresholds.drl", "setThresholds(40, 70)", "setThresholds(30, 70)");
        JsonPath stored = upload(files, "黄色分数线降到 30 分，但没有更新测试场景");
        assertTrue(stored.getBoolean("validation.ok"));
        String version = stored.getString("version.version");

        JsonPath test = as("author").post("/api/v1/rules/versions/" + version + "/test").then().statusCode(200).extract().jsonPath();
        assertFalse(test.getBoolean("ok"));
        assertTrue(test.getInt("failed") > 0);
        assertEquals(test.getInt("total"), test.getInt("passed") + test.getInt("failed"));
        // A quiet catering key unit has 10 points: still green at 30; but 8 + 20 ... the repeated-complaint scenario scores 20 (green) - fine.
        List<Map<String, Object>> failed = test.getList("results.findAll { !it.passed }");
        assertTrue(failed.stream().anyMatch(r -> String.valueOf(r.get("failures")).contains("期望等级 GREEN（绿），实际 YELLOW（黄）")), failed::toString);

        Response refused = asJson("author").body(Map.of("comment", "调低分数线")).post("/api/v1/rules/versions/" + version + "/activate");
        refused.then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", startsWith("tests/")).body("errors[0].line", greaterThan(0))
                .body("problems.kind", hasItem("SCENARIO")).body("errors[0].message", containsString("未通过"));
        assertEquals(DEFAULT, activeVersion());

        // Fix the scenarios along with the rules: now it may be activated.
        Map<String, String> fixed = new HashMap<>(files);
        fixed.keySet().removeIf(p -> p.startsWith("tests/"));
        fixed.put("tests/thresholds.yaml", """
                evaluationDate: 2026-06-30
                scenarios:
                  - name: 30 分即为黄色
                    events:
                      - {type: INSPECTION, daysAgo: 3, outcome: ORDERED_TO_RECTIFY}
                      - {type: INSPECTION, daysAgo: 5, outcome: CASE_OPENED}
                    expect: {grade: YELLOW, score: 40}
                  - name: 25 分仍为绿色
                    events:
                      - {type: INSPECTION, daysAgo: 3, outcome: CASE_OPENED}
                    expect: {grade: GREEN, score: 25}
                """);
        JsonPath again = upload(fixed, "同时更新了测试场景");
        assertEquals(version, again.getString("version.version"), "same rules, same version: only the scenarios changed");
        as("author").post("/api/v1/rules/versions/" + version + "/test").then().statusCode(200).body("ok", is(true)).body("total", is(2));
        simulateClean(version);
        approveRules("/api/v1/rules", version); // four eyes: a reviewer approves before activation
        asJson("author").body(Map.of("comment", "调低分数线")).post("/api/v1/rules/versions/" + version + "/activate").then().statusCode(200)
                .body("version", equalTo(version)).body("previous", equalTo(DEFAULT));
        assertEquals(version, activeVersion());
    }

    // ---- activate, roll back ------------------------------------------------------------------------

    @Test
    void activateRegradesEveryoneAndRollbackRestores() throws Exception {
        long id = merchant("规则测试专用-" + UUID.randomUUID().toString().substring(0, 6), "jiangninglu", "RETAIL");
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("grade", equalTo("GREEN")).body("ruleSetVersion", equalTo(DEFAULT));
        String version = upload(withTestRule(), "测试：新增一条规则").getString("version.version");
        simulateClean(version);
        approveRules("/api/v1/rules", version); // four eyes: a reviewer approves before activation

        JsonPath activated = asJson("author").body(Map.of("comment", "测试启用")).post("/api/v1/rules/versions/" + version + "/activate")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(version, activated.getString("version"));
        assertEquals(DEFAULT, activated.getString("previous"));
        assertEquals("ACTIVATE", activated.getString("action"));
        assertEquals("DONE", waitForJob(activated.getLong("regrade.id")).getString("status"));
        as("squad-jiangninglu").get("/api/v1/merchants/" + id + "/grade").then().statusCode(200)
                .body("grade", equalTo("YELLOW")).body("score", is(50)).body("ruleSetVersion", equalTo(version))
                .body("reasons.rule", hasItem(TEST_RULE));
        as("planner").get("/api/v1/rules/active").then().body("version", equalTo(version)).body("instanceVersion", equalTo(version))
                .body("inSync", is(true));
        as("planner").get("/api/v1/grading/rules/active").then().body("version", equalTo(version)).body("rules", hasItem(TEST_RULE));

        // Roll back in one call, to the version active before.
        // Rollback is the administrator's one-person emergency action (four eyes): the author alone may not switch the active rules.
        asJson("author").body(Map.of("comment", "作者自行回滚")).post("/api/v1/rules/rollback").then().statusCode(403)
                .contentType("application/problem+json");
        JsonPath rolledBack = asJson("admin").body(Map.of("comment", "测试回滚")).post("/api/v1/rules/rollback").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(DEFAULT, rolledBack.getString("version"));
        assertEquals(version, rolledBack.getString("previous"));
        assertEquals("ROLLBACK", rolledBack.getString("action"));
        assertEquals("DONE", waitForJob(rolledBack.getLong("regrade.id")).getString("status"));
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("grade", equalTo("GREEN")).body("ruleSetVersion", equalTo(DEFAULT));
        as("admin").get("/api/v1/merchants/" + id + "/grade/history").then()
                .body("newGrade", equalTo(List.of("GREEN", "YELLOW", "GREEN")))
                .body("[1].ruleSetVersion", equalTo(version)).body("[2].ruleSetVersion", equalTo(DEFAULT));

        // Who did what and why.
        as("author").queryParam("limit", 20).get("/api/v1/rules/audit").then().statusCode(200)
                .body("find { it.action == 'ACTIVATE' && it.version == '" + version + "' }.comment", equalTo("测试启用"))
                .body("find { it.action == 'ACTIVATE' && it.version == '" + version + "' }.username", equalTo("author"))
                .body("find { it.action == 'ROLLBACK' && it.version == '" + DEFAULT + "' }.previous", equalTo(version))
                .body("find { it.action == 'ROLLBACK' && it.version == '" + DEFAULT + "' }.details.regradeJob", is(rolledBack.getInt("regrade.id")));
        as("author").get("/api/v1/rules/versions/" + version.substring(0, 8)).then().statusCode(200)
                .body("version.active", is(false)).body("version.activatedBy", equalTo("author"))
                .body("rules.find { it.name == '" + TEST_RULE + "' }.file", equalTo("grading/70-test-only.drl"))
                .body("rules.find { it.name == '" + TEST_RULE + "' }.line", is(6));
    }

    @Test
    void activationIsAtomicUnderConcurrentGrading() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) ids.add(merchant("规则测试专用-并发-" + i + "-" + UUID.randomUUID().toString().substring(0, 4), "shimenerlu", "RETAIL"));
        String version = upload(withTestRule(), "测试：并发启用").getString("version.version");
        simulateClean(version);
        approveRules("/api/v1/rules", version); // four eyes: a reviewer approves before activation

        List<Graded> results = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int worker = t;
            workers.add(pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    long merchant = ids.get((worker + n++) % ids.size());
                    long sentAt = System.nanoTime();
                    Map<String, Object> e = new HashMap<>(caseOf("MINOR"));
                    e.put("source", "test");
                    e.put("sourceId", UUID.randomUUID().toString());
                    e.put("occurredAt", LocalDate.now(EventService.ZONE).minusDays(400).toString());
                    e.put("merchantId", merchant);
                    Response r = asJson("admin").body(e).post("/api/v1/events");
                    JsonPath body = r.jsonPath();
                    results.add(new Graded(r.statusCode(), r.statusCode() == 201 ? body.getString("grade.ruleSetVersion") : null,
                            r.statusCode() == 201 ? body.getString("gradeError") : r.asString(), sentAt));
                }
                return null;
            }));
        }
        try {
            // However busy the machine: some requests before, during and after the switch.
            awaitResults(results, 8, 0);
            asJson("author").body(Map.of("comment", "并发测试")).post("/api/v1/rules/versions/" + version + "/activate").then().statusCode(200);
            long activatedAt = System.nanoTime();
            awaitResults(results, 8, activatedAt + 50_000_000L);
            stop.set(true);
            for (Future<?> f : workers) f.get(60, TimeUnit.SECONDS);

            for (Graded g : results) {
                assertEquals(201, g.status(), () -> "every event was accepted and graded: " + g);
                assertEquals(null, g.error(), () -> "no grading error: " + g);
                assertTrue(Set.of(DEFAULT, version).contains(g.version()), g::toString);
            }
            // Requests sent once the activation has answered are all graded with the new version.
            List<Graded> after = results.stream().filter(g -> g.at() > activatedAt + 50_000_000L).toList();
            assertFalse(after.isEmpty());
            assertTrue(after.stream().allMatch(g -> version.equals(g.version())), after::toString);
            assertTrue(results.stream().anyMatch(g -> DEFAULT.equals(g.version())), "some requests graded before the switch");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /**
     * One event posted during the concurrency test: status, the version that graded it, when it was sent
     * (System.nanoTime): a request sent before the switch may be answered after it, graded by the old version.
     */
    record Graded(int status, String version, String error, long at) {
    }

    /** Waits until {@code n} results were recorded after {@code since} (System.nanoTime), at most 60 s. */
    static void awaitResults(List<Graded> results, int n, long since) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            long count;
            synchronized (results) {
                count = results.stream().filter(r -> r.at() > since).count();
            }
            if (count >= n) return;
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + n + " graded events in 60 s");
    }

    @Test
    void anInstanceFollowsAnActivationMadeByAnotherAndNeverWritesWithAStaleVersion() throws Exception {
        long id = merchant("规则测试专用-多实例-" + UUID.randomUUID().toString().substring(0, 4), "nanjingxilu", "RETAIL");
        String version = upload(withTestRule(), "测试：另一个实例启用").getString("version.version");
        // Another instance activates: only the database changes; this instance has not heard of it yet.
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update rule_set_version set active = false where kind = 'GRADING' and active").executeUpdate();
            em.createNativeQuery("update rule_set_version set active = true, activated_at = now(), activated_by = 'other-instance' where hash = ?1")
                    .setParameter(1, version).executeUpdate();
        });
        // A grading transaction right now finds the mismatch before writing, switches and grades again.
        GradingService.BatchResult r = grading.regradeMerchants(List.of(id), "测试：多实例");
        assertEquals(version, r.version());
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("ruleSetVersion", equalTo(version)).body("score", is(50));
        // And the poller has this instance on the new version within 5 s.
        long deadline = System.currentTimeMillis() + 5000;
        String here = null;
        while (System.currentTimeMillis() < deadline) {
            here = as("author").get("/api/v1/rules/active").then().extract().jsonPath().getString("instanceVersion");
            if (version.equals(here)) break;
            Thread.sleep(100);
        }
        assertEquals(version, here);
        // The write check refuses a version that is not the database's active one.
        try (Connection c = dataSource.getConnection()) {
            assertThrows(RuleSetService.StaleRulesException.class, () -> RuleSetService.verifyActive(c, DEFAULT));
            RuleSetService.verifyActive(c, version);
        }
    }

    // ---- simulate ---------------------------------------------------------------------------------

    @Test
    void simulationReportsTheTransitionMatrixOnAKnownDistrict() throws Exception {
        String street = "gonghexinlu";
        long quiet = merchant("模拟-安静的零售店", street, "RETAIL");
        long serious = merchant("模拟-严重案件", street, "RETAIL");
        event(serious, caseOf("SERIOUS"), 30);                           // 40: yellow before and after
        long rising = merchant("模拟-一般加轻微", street, "RETAIL");
        event(rising, caseOf("ORDINARY"), 20);
        event(rising, caseOf("MINOR"), 10);                              // 28: green -> yellow at 25
        long worse = merchant("模拟-严重加一般", street, "RETAIL");
        event(worse, caseOf("SERIOUS"), 30);
        event(worse, caseOf("ORDINARY"), 20);                            // 60: yellow -> red at 60
        long listed = merchant("模拟-严重失信", street, "CATERING");
        event(listed, Map.of("type", "CREDIT", "creditAction", "LISTED"), 100);  // red (floor) before and after
        long ktv = merchant("模拟-娱乐场所", street, "ENTERTAINMENT");     // 10: green
        List<Long> all = List.of(quiet, serious, rising, worse, listed, ktv);
        Map<Long, String> gradesBefore = new HashMap<>();
        for (long m : all) gradesBefore.put(m, as("admin").get("/api/v1/merchants/" + m + "/grade").then().extract().path("grade"));

        String candidate = upload(replace(defaultFiles(), "grading/00-thresholds.drl", "setThresholds(40, 70)", "setThresholds(25, 60)"),
                "模拟：分数线 25/60").getString("version.version");
        for (String baseline : List.of("ACTIVE", "STORED")) {
            long job = asJson("author").body(Map.of("street", "共和新路街道", "baseline", baseline))
                    .post("/api/v1/rules/versions/" + candidate + "/simulate").then().statusCode(202)
                    .body("type", equalTo("SIMULATION")).extract().jsonPath().getLong("id");
            JsonPath done = waitForJob(job);
            assertEquals("DONE", done.getString("status"), done::prettify);
            assertEquals(6, done.getInt("result.merchants"), baseline);
            assertEquals(2, done.getInt("result.changed"));
            Map<String, Map<String, Integer>> matrix = done.getMap("result.matrix");
            assertEquals(Map.of("GREEN", 2, "YELLOW", 1, "RED", 0), matrix.get("GREEN"), baseline);
            assertEquals(Map.of("GREEN", 0, "YELLOW", 1, "RED", 1), matrix.get("YELLOW"), baseline);
            assertEquals(Map.of("GREEN", 0, "YELLOW", 0, "RED", 1), matrix.get("RED"), baseline);
            assertEquals(Map.of("GREEN", 3, "YELLOW", 2, "RED", 1), done.getMap("result.before.counts"));
            assertEquals(Map.of("GREEN", 2, "YELLOW", 2, "RED", 2), done.getMap("result.after.counts"));
            assertEquals(50.0, done.getDouble("result.before.shares.GREEN"), 0.001);
            assertEquals(List.of(street), done.getList("result.byStreet.key"));
            assertEquals("共和新路街道", done.getString("result.byStreet[0].name"));
            assertEquals(2, done.getInt("result.byStreet[0].changed"));
            assertEquals(List.of("CATERING", "RETAIL", "ENTERTAINMENT"), done.getList("result.byCategory.key"));
            assertEquals(Map.of("GREEN", 1, "YELLOW", 2, "RED", 1), done.getMap("result.byCategory.find { it.key == 'RETAIL' }.after.counts"));
            assertEquals(Map.of("GREEN", 2, "YELLOW", 2, "RED", 0), done.getMap("result.byCategory.find { it.key == 'RETAIL' }.before.counts"));
            // A sample of each changed cell, with the new reasons.
            assertEquals(List.of("GREEN>YELLOW", "YELLOW>RED"), done.getList("result.samples.collect { it.from + '>' + it.to }"));
            assertEquals((int) rising, done.getInt("result.samples[0].merchants[0].merchantId"));
            assertEquals(28, done.getInt("result.samples[0].merchants[0].scoreAfter"));
            assertEquals(28, done.getInt("result.samples[0].merchants[0].scoreBefore"));
            assertTrue(done.getList("result.samples[0].merchants[0].reasons.rule").contains("一年内的一般案件"));
            assertEquals((int) worse, done.getInt("result.samples[1].merchants[0].merchantId"));
            assertEquals("RED", done.getString("result.samples[1].merchants[0].after"));
            assertEquals(List.of(), done.getList("result.faults"));
        }
        // Nothing changed.
        assertEquals(DEFAULT, activeVersion());
        for (long m : all) {
            as("admin").get("/api/v1/merchants/" + m + "/grade").then().body("grade", equalTo(gradesBefore.get(m))).body("ruleSetVersion", equalTo(DEFAULT));
        }
        as("author").queryParam("version", candidate).queryParam("action", "SIMULATE").get("/api/v1/rules/audit").then()
                .body("summary", hasItem(containsString("2 个等级将变化")));
    }

    @Test
    void aRuleThatLoopsForSomeMerchantsIsReportedBySimulationByName() throws Exception {
        long looping = merchant("循环测试-" + UUID.randomUUID().toString().substring(0, 4), "baoshanlu", "RETAIL");
        merchant("模拟-正常商户", "baoshanlu", "RETAIL");
        String rule = "测试专用：对某个商户无限循环";
        String candidate = upload(with(defaultFiles(), "grading/80-loop.drl", """
                package grading;

                import cn.urbanmgmt.risk.grading.model.*;

                rule "测试专用：对某个商户无限循环"
                when
                    $a : Assessment()
                    MerchantFact( name matches "循环测试.*" )
                then
                    $a.addPoints(1, "循环");
                    update($a);
                end
                """), "模拟：只对某个商户循环的规则").getString("version.version");
        long job = asJson("author").body(Map.of("street", "baoshanlu")).post("/api/v1/rules/versions/" + candidate + "/simulate").then()
                .statusCode(202).extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        assertEquals("DONE", done.getString("status"));
        assertEquals(1, done.getInt("result.merchants"));
        assertEquals(rule, done.getString("result.faults[0].rule"));
        assertEquals("LOOP", done.getString("result.faults[0].kind"));
        assertEquals("CANDIDATE", done.getString("result.faults[0].side"));
        assertEquals(1, done.getInt("result.faults[0].count"));
        assertEquals(List.of((int) looping), done.getList("result.faults[0].merchantIds"));
        assertTrue(done.getString("result.faults[0].message").contains("死循环"));
    }

    @Test
    void activationNeedsAFaultFreeSimulationOfThatExactVersionOverTheWholeRegistry() throws Exception {
        // A version no other test simulated (the database is shared): the test rule with a comment of its own.
        String version = upload(with(defaultFiles(), "grading/70-test-only.drl", TEST_RULE_FILE + "// " + UUID.randomUUID() + "\n"),
                "测试：启用前必须模拟").getString("version.version");
        // No simulation at all: refused, and told what to run.
        asJson("author").body(Map.of("comment", "没有模拟就启用")).post("/api/v1/rules/versions/" + version + "/activate").then()
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("没有完成过全区模拟"))
                .body("detail", containsString("生效的规则集没有改变"));
        // A simulation of one street does not count.
        long street = asJson("author").body(Map.of("street", "baoshanlu")).post("/api/v1/rules/versions/" + version + "/simulate").then()
                .statusCode(202).extract().jsonPath().getLong("id");
        assertEquals("DONE", waitForJob(street).getString("status"));
        asJson("author").body(Map.of("comment", "只模拟了一个街镇")).post("/api/v1/rules/versions/" + version + "/activate").then()
                .statusCode(422).body("detail", containsString("没有完成过全区模拟"));
        assertEquals(DEFAULT, activeVersion());
        as("author").queryParam("version", version).queryParam("action", "ACTIVATE").get("/api/v1/rules/audit").then()
                .body("[0].outcome", equalTo("FAILED")).body("[0].summary", containsString("全区模拟"));
        // A clean simulation of the whole registry: now it may be activated.
        simulateClean(version);
        approveRules("/api/v1/rules", version); // four eyes: a reviewer approves before activation
        asJson("author").body(Map.of("comment", "模拟后启用")).post("/api/v1/rules/versions/" + version + "/activate").then().statusCode(200);
        assertEquals(version, activeVersion());
    }

    @Test
    void aVersionThatFaultsOnAnyMerchantCannotBeActivatedAndTheRefusalNamesRuleAndMerchant() throws Exception {
        long looping = merchant("循环测试-" + UUID.randomUUID().toString().substring(0, 4), "caojiadu", "RETAIL");
        String rule = "测试专用：对某个商户无限循环";
        String candidate = upload(with(defaultFiles(), "grading/80-loop.drl", """
                package grading;

                import cn.urbanmgmt.risk.grading.model.*;

                rule "测试专用：对某个商户无限循环"
                when
                    $a : Assessment()
                    MerchantFact( name matches "循环测试.*" )
                then
                    $a.addPoints(1, "循环");
                    update($a);
                end
                """ + "// " + UUID.randomUUID() + "\n"), "启用前模拟：只对某个商户循环的规则").getString("version.version");
        long job = asJson("author").body(Map.of()).post("/api/v1/rules/versions/" + candidate + "/simulate").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        assertEquals("DONE", done.getString("status"));
        assertEquals(rule, done.getString("result.faults[0].rule"));
        Response refused = asJson("author").body(Map.of("comment", "试图启用有循环的规则")).post("/api/v1/rules/versions/" + candidate + "/activate");
        refused.then().statusCode(422).contentType("application/problem+json")
                .body("problems[0].rule", equalTo(rule)).body("problems[0].kind", equalTo("LOOP"))
                .body("problems[0].file", equalTo("grading/80-loop.drl")).body("problems[0].line", is(5))
                .body("problems[0].message", containsString("#" + looping)).body("problems[0].message", containsString("任务 #" + job));
        assertEquals(DEFAULT, activeVersion());
    }

    // ---- diff, export, reload ---------------------------------------------------------------------------

    @Test
    void diffShowsChangedFilesAndRules() {
        String changed = upload(replace(withTestRule(), "grading/00-thresholds.drl", "setThresholds(40, 70)", "setThresholds(45, 70)"),
                "测试：差异").getString("version.version");
        JsonPath d = as("planner").queryParam("from", DEFAULT.substring(0, 10)).queryParam("to", changed).get("/api/v1/rules/diff").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(DEFAULT, d.getString("from"));
        assertEquals("CHANGED", d.getString("files.find { it.file == 'grading/00-thresholds.drl' }.status"));
        String text = d.getString("files.find { it.file == 'grading/00-thresholds.drl' }.diff");
        assertTrue(text.contains("--- a/grading/00-thresholds.drl\n+++ b/grading/00-thresholds.drl\n@@ -"), text);
        assertTrue(text.contains("\n-    assessment.setThresholds(40, 70);\n+    assessment.setThresholds(45, 70);\n"), text);
        assertEquals("ADDED", d.getString("files.find { it.file == 'grading/70-test-only.drl' }.status"));
        assertEquals("UNCHANGED", d.getString("files.find { it.file == 'grading/20-cases.drl' }.status"));
        assertEquals(List.of(TEST_RULE), d.getList("addedRules.rule"));
        assertEquals(List.of("等级分数线：40 分黄色、70 分红色"), d.getList("changedRules.rule"));
        assertEquals(List.of(), d.getList("removedRules"));
        as("planner").queryParam("from", changed).queryParam("to", DEFAULT).get("/api/v1/rules/diff").then()
                .body("removedRules.rule", equalTo(List.of(TEST_RULE)))
                .body("files.find { it.file == 'grading/70-test-only.drl' }.status", equalTo("REMOVED"));
    }

    @Test
    void exportGivesBackTheFilesAsJsonOrZip() {
        Map<String, String> files = withTestRule();
        String version = upload(files, "测试：导出").getString("version.version");
        JsonPath json = as("planner").get("/api/v1/rules/versions/" + version + "/export").then().statusCode(200).extract().jsonPath();
        Map<String, String> exported = new HashMap<>(json.getMap("files"));
        exported.putAll(json.getMap("tests"));
        assertEquals(files, exported);

        byte[] zip = as("author").accept("application/zip").get("/api/v1/rules/versions/" + version + "/export").then().statusCode(200)
                .contentType("application/zip").header("Content-Disposition", containsString("rules-" + version.substring(0, 12)))
                .extract().asByteArray();
        as("author").contentType("application/zip").body(zip).queryParam("comment", "从 zip 上传").post("/api/v1/rules/versions").then()
                .statusCode(200).body("created", is(false)).body("version.version", equalTo(version));
        as("author").queryParam("format", "zip").get("/api/v1/rules/versions/" + version + "/export").then().statusCode(200)
                .contentType("application/zip");
    }

    @Test
    void reloadFromDiskFindsTheDefaultVersion() {
        asJson("author").body(Map.of("comment", "重新读取")).post("/api/v1/rules/versions/reload").then().statusCode(200)
                .body("version.version", equalTo(DEFAULT)).body("created", is(false)).body("validation.ok", is(true))
                .body("validation.errors", is(0)).body("version.active", is(true)).body("version.tests", greaterThan(5));
        as("author").get("/api/v1/rules/versions").then().statusCode(200).body("version", hasItem(DEFAULT));
        as("author").queryParam("action", "RELOAD").get("/api/v1/rules/audit").then().body("[0].comment", equalTo("重新读取"));
    }

    // ---- bad input --------------------------------------------------------------------------------

    @Test
    void badInputIsRefusedWithTheFieldAtFault() {
        asJson("author").body(Map.of("files", Map.of("grading/x.txt", "rule"))).post("/api/v1/rules/versions").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("files.grading/x.txt"));
        asJson("author").body(Map.of("files", Map.of("../etc/passwd.drl", "x"))).post("/api/v1/rules/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("files.../etc/passwd.drl"));
        asJson("author").body(Map.of("files", Map.of("tests/only.yaml", "scenarios: []"))).post("/api/v1/rules/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("files"));
        asJson("author").body(Map.of("files", Map.of())).post("/api/v1/rules/versions").then().statusCode(400).body("errors[0].field", equalTo("files"));
        asJson("author").body("{\"files\": 12}").post("/api/v1/rules/versions").then().statusCode(400).contentType("application/problem+json");
        as("author").contentType("application/zip").body(new byte[]{1, 2, 3}).post("/api/v1/rules/versions").then().statusCode(400)
                .contentType("application/problem+json");
        as("author").get("/api/v1/rules/versions/abcdef0123").then().statusCode(404).contentType("application/problem+json");
        as("author").get("/api/v1/rules/versions/not-a-version").then().statusCode(400).body("errors[0].field", equalTo("version"));
        as("author").get("/api/v1/rules/diff?from=" + DEFAULT).then().statusCode(400).body("errors[0].field", equalTo("to"));
        asJson("author").body(Map.of("comment", "已经生效")).post("/api/v1/rules/versions/" + DEFAULT + "/activate").then().statusCode(409);
        String other = upload(withTestRule(), "测试：错误输入").getString("version.version");
        asJson("author").body(Map.of()).post("/api/v1/rules/versions/" + other + "/activate").then().statusCode(400)
                .body("errors[0].field", equalTo("comment"));
        asJson("admin").body(Map.of("comment", " ")).post("/api/v1/rules/rollback").then().statusCode(400).body("errors[0].field", equalTo("comment"));
        asJson("admin").body(Map.of("version", "0123456789ab", "comment", "x")).post("/api/v1/rules/rollback").then().statusCode(404);
        asJson("author").body(Map.of("street", "火星街道")).post("/api/v1/rules/versions/" + other + "/simulate").then().statusCode(400)
                .body("errors[0].field", equalTo("street"));
        asJson("author").body(Map.of("evaluationDate", "明天")).post("/api/v1/rules/versions/" + other + "/simulate").then().statusCode(400)
                .body("errors[0].field", equalTo("evaluationDate"));
        asJson("author").body(Map.of("category", "飞船")).post("/api/v1/rules/versions/" + other + "/simulate").then().statusCode(400)
                .body("errors[0].field", equalTo("category"));
        asJson("author").body(Map.of("baseline", "YESTERDAY")).post("/api/v1/rules/versions/" + other + "/simulate").then().statusCode(400)
                .body("errors[0].field", equalTo("baseline"));
        as("author").queryParam("action", "DELETE").get("/api/v1/rules/audit").then().statusCode(400).body("errors[0].field", equalTo("action"));
        as("author").queryParam("format", "pdf").get("/api/v1/rules/versions/" + other + "/export").then().statusCode(400)
                .body("errors[0].field", equalTo("format"));
        String broken = upload(corpus("unknown-field"), "测试：不能模拟").getString("version.version");
        asJson("author").body(Map.of()).post("/api/v1/rules/versions/" + broken + "/simulate").then().statusCode(422)
                .body("errors[0].line", is(18)).body("errors[0].value", equalTo("一年内的严重案件"));
        assertEquals(DEFAULT, activeVersion());
    }

    // ---- who may do what ------------------------------------------------------------------------------

    @Test
    void everyStepIsAuthorized() {
        String v = upload(withTestRule(), "测试：权限").getString("version.version");
        List<String> reads = List.of("/api/v1/rules/active", "/api/v1/rules/versions", "/api/v1/rules/versions/" + v,
                "/api/v1/rules/versions/" + v + "/export", "/api/v1/rules/diff?from=" + DEFAULT + "&to=" + v, "/api/v1/rules/audit");
        record Post(String path, Object body) {
        }
        List<Post> writes = List.of(new Post("/api/v1/rules/versions/reload", Map.of()),
                new Post("/api/v1/rules/versions", Map.of("files", withTestRule())),
                new Post("/api/v1/rules/versions/" + v + "/validate", Map.of()),
                new Post("/api/v1/rules/versions/" + v + "/test", Map.of()),
                new Post("/api/v1/rules/versions/" + v + "/simulate", Map.of()),
                new Post("/api/v1/rules/versions/" + v + "/activate", Map.of("comment", "无权")));
        Post rollback = new Post("/api/v1/rules/rollback", Map.of("version", DEFAULT, "comment", "回滚到生效版本"));

        io.restassured.RestAssured.given().get("/api/v1/rules/versions").then().statusCode(401).contentType("application/problem+json");
        for (String r : reads) {
            as("squad-jingansi").get(r).then().statusCode(403).contentType("application/problem+json");
            as("planner").get(r).then().statusCode(200);
            as("admin").get(r).then().statusCode(200);
        }
        for (Post w : writes) {
            for (String user : List.of("squad-jingansi", "planner", "admin")) {
                asJson(user).body(w.body()).post(w.path()).then().statusCode(403).contentType("application/problem+json");
            }
        }
        // Rollback is the administrator's one-person emergency action (four eyes): not the author's, not the planner's.
        for (String user : List.of("squad-jingansi", "planner", "author")) {
            asJson(user).body(rollback.body()).post(rollback.path()).then().statusCode(403).contentType("application/problem+json");
        }
        // An administrator may roll back: authorized, refused only because DEFAULT is active already.
        asJson("admin").body(rollback.body()).post(rollback.path()).then().statusCode(409);
        // The rule author may do everything.
        asJson("author").body(Map.of()).post("/api/v1/rules/versions/" + v + "/validate").then().statusCode(200);
        asJson("author").body(Map.of()).post("/api/v1/rules/versions/" + v + "/test").then().statusCode(200).body("ok", is(true));
        assertEquals(DEFAULT, activeVersion());
    }
}
