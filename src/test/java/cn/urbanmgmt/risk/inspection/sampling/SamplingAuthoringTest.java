package cn.urbanmgmt.risk.inspection.sampling;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.approveRules;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.simulateSamplingClean;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.simulateSamplingWholeDistrict;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.makeRed;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.makeYellow;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sampling rules' authoring loop through the REST API against the real app, PostgreSQL and
 * Drools: validate, test, simulate, activate, roll back, diff, export, audit, and who may do what.
 * Shares the database and the app-wide active sampling rules with the other tests: every test puts
 * the default sampling rules back when it ends.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplingAuthoringTest {

    static final String API = "/api/v1/inspection/sampling-rules";
    static final String DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "sampling").hash();
    static final String GRADING_DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "grading").hash();
    static final String STRATA = "sampling/20-risk-strata.drl";
    static final String GREEN_RULE = "绿色（低风险）抽取 3%";

    @Inject
    SamplingEngine engine;

    @Inject
    EntityManager em;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    String item;
    List<String> usccs = new ArrayList<>();
    Map<String, Long> ids;

    /** Once per class (in @BeforeEach because REST Assured gets the port only then): 40 green, 5 yellow, 2 red and 1 closed merchant, 4 inspectors. */
    @BeforeEach
    void district() {
        restore();
        if (item != null) return;
        item = code("SA");
        createItem(item, "RISK_BASED");
        staff(4, "sq-pengpuzhen", List.of(item));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 48; i++) ms.add(i == 47 ? M.of("pengpuzhen").status("CLOSED") : M.of("pengpuzhen"));
        ids = register(ms);
        for (int i = 0; i < ms.size(); i++) {
            String u = ms.get(i).uscc();
            usccs.add(u);
            if (i >= 40 && i < 45) makeYellow(ids.get(u));
            else if (i >= 45 && i < 47) makeRed(ids.get(u));
        }
    }

    @AfterEach
    void restore() {
        String active = activeVersion();
        if (DEFAULT.equals(active)) return;
        asJson("admin").body(Map.of("version", DEFAULT, "comment", "测试结束，恢复默认抽查规则")).post(API + "/rollback").then().statusCode(200);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** The default sampling rules and their scenarios, as upload paths. */
    static Map<String, String> defaultFiles() {
        RuleSource s = RuleSource.fromDirectory(Path.of("rules"), "sampling");
        Map<String, String> files = new LinkedHashMap<>(s.files());
        files.putAll(s.tests());
        return files;
    }

    static Map<String, String> replace(Map<String, String> files, String path, String from, String to) {
        String text = files.get(path);
        if (!text.contains(from)) throw new IllegalArgumentException(path + " does not contain " + from);
        Map<String, String> m = new LinkedHashMap<>(files);
        m.put(path, text.replace(from, to));
        return m;
    }

    /** Green merchants drawn at 10 % instead of 3 %, the rule renamed; the scenarios not updated. */
    static Map<String, String> greenAtTen() {
        return replace(replace(defaultFiles(), STRATA, "$c.sample(\"绿色（低风险）\", 3);", "$c.sample(\"绿色（低风险）\", 10);"),
                STRATA, "rule \"绿色（低风险）抽取 3%\"", "rule \"绿色（低风险）抽取 10%\"");
    }

    /** The same, with the scenarios updated to the new policy. */
    static Map<String, String> greenAtTenWithScenarios() {
        Map<String, String> files = new LinkedHashMap<>(greenAtTen());
        files.replaceAll((path, text) -> path.startsWith("tests/sampling/")
                ? text.replace("[绿色（低风险）抽取 3%]", "[绿色（低风险）抽取 10%]").replace("stratum: 绿色（低风险）\n      percent: 3", "stratum: 绿色（低风险）\n      percent: 10")
                .replace("{decision: 抽取, stratum: 绿色（低风险）, percent: 3}", "{decision: 抽取, stratum: 绿色（低风险）, percent: 10}")
                : text);
        return files;
    }

    static JsonPath upload(Map<String, String> files, String comment) {
        Map<String, Object> body = new HashMap<>();
        body.put("files", files);
        body.put("comment", comment);
        return asJson("author").body(body).post(API + "/versions").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201))
                .contentType("application/json").extract().jsonPath();
    }

    static String activeVersion() {
        return as("author").get(API + "/active").then().statusCode(200).extract().jsonPath().getString("version");
    }

    static JsonPath waitForJob(long job) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonPath p = as("planner").get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(p.getString("status"))) return p;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not finish in 60 s");
    }

    Map<String, Object> planBody() {
        return plan(List.of(item), usccs);
    }

    /** A dry-run plan over the test's merchants: stratum name to its count row. */
    Map<String, Map<String, Object>> dryRunStrata() {
        JsonPath p = asJson("planner").body(planBody()).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> s : p.<Map<String, Object>>getList("strata")) out.put((String) s.get("stratum"), s);
        out.put("_plan", Map.of("samplingRulesVersion", p.getString("samplingRulesVersion")));
        return out;
    }

    Map<String, Object> simulationBody() {
        return Map.of("items", List.of(item), "scope", Map.of("usccs", usccs));
    }

    // ---- validate ---------------------------------------------------------------------------------------

    @Test
    void brokenSamplingRulesAreReportedAtFileLineAndRule() {
        record Expect(String what, Map<String, String> files, String kind, String file, int line, String rule, String message) {
        }
        Map<String, String> base = defaultFiles();
        List<Expect> cases = List.of(
                new Expect("缺右括号", replace(base, STRATA, "grade == Grade.GREEN )", "grade == Grade.GREEN"),
                        "SYNTAX", STRATA, 12, GREEN_RULE, "上面的条件可能少了右括号"),
                new Expect("字段拼错", replace(base, STRATA, "grade == Grade.GREEN", "grad == Grade.GREEN"),
                        "UNKNOWN_FIELD", STRATA, 11, GREEN_RULE, "是否想写“grade”"),
                new Expect("类型拼错", replace(base, STRATA, "$c : SamplingCandidate( samplingPolicy == \"RISK_BASED\", grade == Grade.GREEN )",
                        "$c : SamplingCandidat( samplingPolicy == \"RISK_BASED\", grade == Grade.GREEN )"),
                        "UNKNOWN_TYPE", STRATA, 11, GREEN_RULE, "SamplingCandidate"),
                new Expect("结论调用了不存在的方法", replace(base, STRATA, "$c.sample(\"绿色（低风险）\", 3);", "$c.sampel(\"绿色（低风险）\", 3);"),
                        "CONSEQUENCE", STRATA, 13, GREEN_RULE, "sampel"),
                new Expect("比例超过 100%", replace(base, STRATA, "$c.sample(\"绿色（低风险）\", 3);", "$c.sample(\"绿色（低风险）\", 150);"),
                        "RUNTIME", STRATA, 9, GREEN_RULE, "抽查比例应在 0 到 100"),
                new Expect("同一分层两个比例", replace(base, STRATA, "$c.sample(\"黄色（中风险）\", 30);",
                        "if ($c.isKeyUnit()) { $c.sample(\"黄色（中风险）\", 40); } else { $c.sample(\"黄色（中风险）\", 30); }"),
                        "STRATUM_CONFLICT", STRATA, 17, "黄色（中风险）抽取 30%", "不同的抽查比例（30% 与 40%）"));
        for (Expect x : cases) {
            JsonPath stored = upload(x.files(), "错误示例：" + x.what());
            assertFalse(stored.getBoolean("validation.ok"), x.what());
            assertEquals(x.kind(), stored.getString("validation.problems[0].kind"), x.what() + ": " + stored.getString("validation.problems"));
            assertEquals(x.file(), stored.getString("validation.problems[0].file"), x.what());
            assertEquals(x.line(), stored.getInt("validation.problems[0].line"), x.what() + ": " + stored.getString("validation.problems[0]"));
            assertEquals(x.rule(), stored.getString("validation.problems[0].rule"), x.what());
            assertTrue(stored.getString("validation.problems[0].message").contains(x.message()),
                    x.what() + ": " + stored.getString("validation.problems[0].message"));
            String version = stored.getString("version.version");
            as("author").post(API + "/versions/" + version.substring(0, 12) + "/validate").then().statusCode(200)
                    .body("ok", is(false)).body("problems[0].line", is(x.line())).body("problems[0].rule", equalTo(x.rule()));
            as("planner").queryParam("version", version).queryParam("action", "VALIDATE").get(API + "/audit").then().statusCode(200)
                    .body("[0].username", equalTo("author")).body("[0].outcome", equalTo("FAILED"));
            // Refused at activation, with the problem placed; nothing changes.
            asJson("author").body(Map.of("comment", "试图启用有错误的抽查规则")).post(API + "/versions/" + version + "/activate").then()
                    .statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo(x.file()))
                    .body("errors[0].line", is(x.line())).body("detail", containsString("生效的抽查规则没有改变"));
        }
        assertEquals(DEFAULT, activeVersion());
        // The sampling audit is its own: the grading audit does not list these versions.
        as("author").queryParam("action", "VALIDATE").queryParam("limit", 1000).get("/api/v1/rules/audit").then().statusCode(200)
                .body("comment", not(hasItem("错误示例：缺右括号")));
    }

    @Test
    void theDefaultSamplingRulesValidateAndPassTheirScenarios() {
        as("author").post(API + "/versions/" + DEFAULT + "/validate").then().statusCode(200).body("ok", is(true)).body("errors", is(0))
                .body("warnings", is(0)).body("rules", hasItem(GREEN_RULE));
        JsonPath test = as("author").post(API + "/versions/" + DEFAULT + "/test").then().statusCode(200).extract().jsonPath();
        assertTrue(test.getBoolean("ok"));
        assertEquals(test.getInt("total"), test.getInt("passed"));
        assertTrue(test.getInt("total") >= 15);
        assertEquals("必查：红色（高风险）", test.getString("results.find { it.name == '红色（高风险）商户全部检查' }.actual.text"));
        assertEquals(List.of("红色（高风险）商户全部检查"), test.getList("results.find { it.name == '红色（高风险）商户全部检查' }.firedRules"));
    }

    // ---- test ---------------------------------------------------------------------------------------------

    @Test
    void failingScenariosBlockActivation() throws Exception {
        JsonPath stored = upload(greenAtTen(), "绿色商户抽查比例提高到 10%，但没有更新测试场景");
        assertTrue(stored.getBoolean("validation.ok"), stored.prettify());
        String version = stored.getString("version.version");

        JsonPath test = as("author").post(API + "/versions/" + version + "/test").then().statusCode(200).extract().jsonPath();
        assertFalse(test.getBoolean("ok"));
        assertTrue(test.getInt("failed") > 0);
        assertEquals(test.getInt("total"), test.getInt("passed") + test.getInt("failed"));
        List<Map<String, Object>> failed = test.getList("results.findAll { !it.passed }");
        assertTrue(failed.stream().anyMatch(r -> String.valueOf(r.get("failures")).contains("期望抽查比例 3%，实际 10%")), failed::toString);
        assertTrue(failed.stream().anyMatch(r -> String.valueOf(r.get("failures")).contains("期望规则“绿色（低风险）抽取 3%”触发，但它没有触发")), failed::toString);

        asJson("author").body(Map.of("comment", "提高绿色商户比例")).post(API + "/versions/" + version + "/activate").then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", startsWith("tests/sampling/")).body("errors[0].line", greaterThan(0))
                .body("problems.kind", hasItem("SCENARIO")).body("errors[0].message", containsString("未通过"));
        assertEquals(DEFAULT, activeVersion());
        as("author").queryParam("version", version).queryParam("action", "ACTIVATE").get(API + "/audit").then()
                .body("[0].outcome", equalTo("FAILED")).body("[0].comment", equalTo("提高绿色商户比例"));

        // Policy and expectations changed together: same rules, same version, new scenarios; now it may be activated.
        JsonPath again = upload(greenAtTenWithScenarios(), "同时更新了测试场景");
        assertEquals(version, again.getString("version.version"), "same rules, same version: only the scenarios changed");
        as("author").post(API + "/versions/" + version + "/test").then().statusCode(200).body("ok", is(true));
        simulateSamplingClean(version); // activation needs a fault-free simulation of the whole district
        approveRules(API, version); // four eyes: a reviewer approves before activation
        asJson("author").body(Map.of("comment", "提高绿色商户比例")).post(API + "/versions/" + version + "/activate").then().statusCode(200)
                .body("version", equalTo(version)).body("previous", equalTo(DEFAULT)).body("action", equalTo("ACTIVATE"))
                .body("regrade", nullValue());
        assertEquals(version, activeVersion());
    }

    // ---- simulate -------------------------------------------------------------------------------------------

    @Test
    void simulationShowsTheChangedStratumCountsForAChangedProportion() throws Exception {
        String candidate = upload(greenAtTen(), "模拟：绿色 10%").getString("version.version");
        Map<String, Map<String, Object>> before = dryRunStrata();
        // Planners may simulate: what would the policy do to their plan?
        long job = asJson("planner").body(simulationBody()).post(API + "/versions/" + candidate + "/simulate").then().statusCode(202)
                .header("Location", containsString("/api/v1/jobs/")).body("type", equalTo("SAMPLING_SIMULATION")).extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        assertEquals("DONE", done.getString("status"), done::prettify);
        JsonPath r = new JsonPath(done.prettify()).setRootPath("result");
        assertEquals(candidate, r.getString("candidate"));
        assertEquals(DEFAULT, r.getString("baseline"));
        assertEquals(48, r.getInt("merchants"));
        assertEquals(48, r.getInt("candidates"));
        // No period given: four weeks from next Monday.
        java.time.LocalDate monday = SamplingSimulation.nextMonday(InspectionFixtures.today());
        assertEquals(monday.toString(), r.getString("periodStart"));
        assertEquals(monday.plusDays(27).toString(), r.getString("periodEnd"));
        assertEquals(4, r.getInt("weeks"));
        assertEquals(40, r.getInt("changed"));
        String row = "byItem[0].strata.find { it.stratum == '%s' }.%s";
        assertEquals(item, r.getString("byItem[0].item"));
        assertEquals(Map.of("candidates", 40, "percent", "3", "weekly", false, "draw", 2), r.getMap(row.formatted("绿色（低风险）", "before")));
        assertEquals(Map.of("candidates", 40, "percent", "10", "weekly", false, "draw", 4), r.getMap(row.formatted("绿色（低风险）", "after")));
        assertEquals(r.getMap(row.formatted("黄色（中风险）", "before")), r.getMap(row.formatted("黄色（中风险）", "after")));
        assertEquals(Map.of("candidates", 5, "percent", "30", "weekly", false, "draw", 2), r.getMap(row.formatted("黄色（中风险）", "after")));
        assertEquals(Map.of("candidates", 2, "percent", "100", "draw", 2), r.getMap(row.formatted("红色（高风险）", "after")));
        assertEquals(1, r.getInt("byItem[0].strata.find { it.reason == '商户已关闭' }.after.candidates"));
        assertEquals(Map.of("excluded", 1, "mustInclude", 2, "sampled", 45, "drawn", 6), r.getMap("byItem[0].before"));
        assertEquals(Map.of("excluded", 1, "mustInclude", 2, "sampled", 45, "drawn", 8), r.getMap("byItem[0].after"));
        // The same counts a dry-run plan shows today.
        assertEquals(40, before.get("绿色（低风险）").get("candidates"));
        assertEquals(2, before.get("绿色（低风险）").get("required"));
        // The changed decisions, with sample merchants.
        assertEquals(1, r.getList("changes").size());
        assertEquals("抽取 3%：绿色（低风险）", r.getString("changes[0].from"));
        assertEquals("抽取 10%：绿色（低风险）", r.getString("changes[0].to"));
        assertEquals(40, r.getInt("changes[0].count"));
        assertEquals(20, r.getList("changes[0].samples").size());
        assertTrue(usccs.contains(r.getString("changes[0].samples[0].uscc")));
        assertEquals("GREEN", r.getString("changes[0].samples[0].grade"));
        assertEquals("抽取 3%：绿色（低风险）", r.getString("changes[0].samples[0].before.text"));
        assertEquals("10", r.getString("changes[0].samples[0].after.percent"));
        assertEquals(List.of("绿色（低风险）抽取 10%"), r.getList("changes[0].samples[0].firedRules"));
        assertEquals(List.of(), r.getList("conflicts"));
        assertEquals(List.of(), r.getList("faults"));
        // Nothing changed, and both steps are in the sampling audit.
        assertEquals(DEFAULT, activeVersion());
        assertEquals(before.get("绿色（低风险）"), dryRunStrata().get("绿色（低风险）"));
        as("author").queryParam("version", candidate).queryParam("action", "SIMULATE").get(API + "/audit").then()
                .body("username", hasItem("planner")).body("summary", hasItem(containsString("40 个抽查决定将变化，抽取数 6 → 8")));
    }

    @Test
    void simulationShowsCapacityPerSquadAndWeekForBothVersionsAndFlagsTheSquadTheCandidateOverloads() throws Exception {
        // Its own item, street and squad (no other test staffs 共和新路): one inspector, the default 4 visits a day, Monday to Friday.
        String capItem = code("SC");
        createItem(capItem, "RISK_BASED");
        staff(1, "sq-gonghexinlu", List.of(capItem));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 40; i++) ms.add(M.of("gonghexinlu"));
        Map<String, Long> registered = register(ms);
        try {
            capacityOfBothVersions(capItem, ms);
        } finally {
            // Other tests count the merchants of 共和新路 (a grading simulation scoped to the street expects its own six).
            cn.urbanmgmt.risk.grading.TestMerchants.delete(dataSource, registered.values());
        }
    }

    private void capacityOfBothVersions(String capItem, List<M> ms) throws Exception {
        List<String> green = ms.stream().map(M::uscc).toList();
        String candidate = upload(replace(defaultFiles(), STRATA, "$c.sample(\"绿色（低风险）\", 3);", "$c.sample(\"绿色（低风险）\", 30);"),
                "模拟：绿色 3% → 30%，看检查力量").getString("version.version");
        java.time.LocalDate monday = SamplingSimulation.nextMonday(InspectionFixtures.today());
        long job = asJson("planner").body(Map.of("items", List.of(capItem), "scope", Map.of("usccs", green), "periodStart", monday.toString(),
                "days", 7, "inspectorsPerVisit", 2)).post(API + "/versions/" + candidate + "/simulate").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        assertEquals("DONE", done.getString("status"), done::prettify);
        JsonPath r = new JsonPath(done.prettify()).setRootPath("result.capacity");
        assertEquals(2, r.getInt("inspectorsPerVisit"));
        assertEquals(monday.toString(), r.getString("periodStart"));
        assertEquals(monday.plusDays(6).toString(), r.getString("periodEnd"));
        // 40 green: 3 % draws 2, 30 % draws 12; two inspectors each
        assertEquals(2, r.getInt("before.visits"));
        assertEquals(12, r.getInt("after.visits"));
        assertFalse(r.getBoolean("before.overCapacity"));
        assertTrue(r.getBoolean("after.overCapacity"));
        assertEquals(1, r.getList("rows").size(), r.prettify());
        assertEquals("sq-gonghexinlu", r.getString("rows[0].unit"));
        assertEquals(1, r.getInt("rows[0].week"));
        assertEquals(20, r.getInt("rows[0].capacity"), "one inspector × 5 working days × 4");
        assertEquals(Map.of("needed", "4", "percent", 20, "over", false), r.getMap("rows[0].before"));
        assertEquals(Map.of("needed", "24", "percent", 120, "over", true), r.getMap("rows[0].after"));
        assertTrue(r.getString("after.over[0]").contains("共和新路街道综合行政执法队 第 1 周"), r.getString("after.over"));
        assertEquals(List.of("候选版本：共和新路街道综合行政执法队 第 1 周 20 % → 120 %（超出）"), r.getList("comparison"));

        // Three inspectors per visit: the same draw needs half as much again.
        long three = asJson("planner").body(Map.of("items", List.of(capItem), "scope", Map.of("usccs", green), "periodStart", monday.toString(),
                "days", 7, "inspectorsPerVisit", 3)).post(API + "/versions/" + candidate + "/simulate").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        JsonPath t = new JsonPath(waitForJob(three).prettify()).setRootPath("result.capacity");
        assertEquals(Map.of("needed", "6", "percent", 30, "over", false), t.getMap("rows[0].before"));
        assertEquals(Map.of("needed", "36", "percent", 180, "over", true), t.getMap("rows[0].after"));

        // The console's 检查力量 table shows both versions side by side, the week over capacity flagged.
        Map<String, String> cookies = cn.urbanmgmt.risk.web.WebConsoleSecurityTest.login("author");
        String html = RestAssured.given().cookies(cookies).get("/console/rules/sampling/simulations/" + job).then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"sim-capacity-table\""), html);
        assertTrue(html.contains("<tr data-unit=\"sq-gonghexinlu\" data-week=\"1\" class=\"over\">"), html);
        assertTrue(html.contains("<td class=\"num\" data-field=\"after-percent\">120 %（超出）</td>"), html);
        assertTrue(html.contains("<td class=\"num\" data-field=\"before-percent\">20 %</td>"), html);
        assertTrue(html.contains("id=\"sim-capacity-over\""), html);

        // Out of range or contradictory period and team size are named.
        asJson("planner").body(Map.of("items", List.of(capItem), "days", 0)).post(API + "/versions/" + candidate + "/simulate").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("days"));
        asJson("planner").body(Map.of("items", List.of(capItem), "days", 7, "periodEnd", monday.plusDays(6).toString()))
                .post(API + "/versions/" + candidate + "/simulate").then().statusCode(400).body("errors[0].field", equalTo("days"));
        asJson("planner").body(Map.of("items", List.of(capItem), "inspectorsPerVisit", 1)).post(API + "/versions/" + candidate + "/simulate").then()
                .statusCode(400).body("errors[0].field", equalTo("inspectorsPerVisit"));
    }

    @Test
    void simulationReportsRuleFaultsAndConflictsThatWouldRefuseAPlan() throws Exception {
        // Two of the test's own merchants get other decisions: probes never see them, so validation cannot.
        String odd = usccs.get(40);
        String faulty = usccs.get(41);
        String candidate = upload(replace(defaultFiles(), STRATA, "$c.sample(\"黄色（中风险）\", 30);",
                "if ($c.getUscc().equals(\"" + odd + "\")) { $c.sample(\"黄色（中风险）\", 50); } "
                        + "else if ($c.getUscc().equals(\"" + faulty + "\")) { $c.sample(\"黄色（中风险）\", 150); } "
                        + "else { $c.sample(\"黄色（中风险）\", 30); }"), "模拟：同一分层两个比例，一个商户出错").getString("version.version");
        long job = asJson("author").body(simulationBody()).post(API + "/versions/" + candidate + "/simulate").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        assertEquals("DONE", done.getString("status"), done::prettify);
        assertEquals(1, done.getList("result.conflicts").size(), done.prettify());
        assertEquals("CANDIDATE", done.getString("result.conflicts[0].side"));
        assertEquals("黄色（中风险）", done.getString("result.conflicts[0].stratum"));
        assertEquals(List.of("30%", "50%"), done.getList("result.conflicts[0].proportions"));
        assertTrue(done.getString("result.conflicts[0].message").contains("会被拒绝"));
        assertEquals(1, done.getList("result.faults").size(), done.prettify());
        assertEquals("CANDIDATE", done.getString("result.faults[0].side"));
        assertEquals("黄色（中风险）抽取 30%", done.getString("result.faults[0].rule"));
        assertEquals(1, done.getInt("result.faults[0].count"));
        assertEquals(List.of(ids.get(faulty).intValue()), done.getList("result.faults[0].merchantIds"));
        assertTrue(done.getString("result.faults[0].message").contains("抽查比例应在 0 到 100"));
        // The faulty merchant is left out of the counts; the others are all there.
        assertEquals(47, done.getInt("result.candidates"));
        as("author").queryParam("version", candidate).queryParam("action", "SIMULATE").get(API + "/audit").then()
                .body("[0].outcome", equalTo("FAILED")).body("[0].summary", containsString("1 个对象规则执行出错"));
    }

    // ---- activate, plans, roll back ------------------------------------------------------------------------------

    @Test
    void activationNeedsAFaultFreeSimulationOfTheWholeDistrictAndEveryItem() throws Exception {
        // Two of the test's yellow merchants get other decisions: one a second proportion (a plan would be refused), one an invalid one.
        String odd = usccs.get(42);
        String faulty = usccs.get(43);
        String candidate = upload(replace(defaultFiles(), STRATA, "$c.sample(\"黄色（中风险）\", 30);",
                "if ($c.getUscc().equals(\"" + odd + "\")) { $c.sample(\"黄色（中风险）\", 60); } "
                        + "else if ($c.getUscc().equals(\"" + faulty + "\")) { $c.sample(\"黄色（中风险）\", 170); } "
                        + "else { $c.sample(\"黄色（中风险）\", 30); }"), "启用前必须全区模拟").getString("version.version");
        as("author").post(API + "/versions/" + candidate + "/test").then().statusCode(200).body("ok", is(true));

        // No simulation yet: refused, saying which simulation to run.
        asJson("author").body(Map.of("comment", "未模拟就启用")).post(API + "/versions/" + candidate + "/activate").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("没有完成过全区模拟"))
                .body("detail", containsString("范围为全区"));
        // A simulation of part of the district does not count.
        long partial = asJson("author").body(simulationBody()).post(API + "/versions/" + candidate + "/simulate").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        assertEquals("DONE", waitForJob(partial).getString("status"));
        asJson("author").body(Map.of("comment", "只模拟了部分商户")).post(API + "/versions/" + candidate + "/activate").then().statusCode(422)
                .body("detail", containsString("只模拟了部分范围"));
        // The whole district: the fault and the conflict are named, with the merchant; the active version is unchanged.
        JsonPath full = simulateSamplingWholeDistrict(candidate);
        assertEquals("DONE", full.getString("status"), full::prettify);
        String detail = asJson("author").body(Map.of("comment", "模拟有错误仍启用")).post(API + "/versions/" + candidate + "/activate").then()
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("任务 #" + full.getLong("id")))
                .body("problems.kind", hasItem("STRATUM_CONFLICT")).body("problems.kind", hasItem("RUNTIME"))
                .body("problems.message", hasItem(containsString("#" + ids.get(faulty))))
                .body("problems.message", hasItem(containsString("黄色（中风险）抽取 30%")))
                .extract().jsonPath().getString("detail");
        // One faulting rule, and one conflict per item in which the odd merchant is a candidate.
        assertEquals(1, full.getList("result.faults").size(), full::prettify);
        assertTrue(full.getList("result.conflicts").size() >= 1, full::prettify);
        assertTrue(detail.contains((1 + full.getList("result.conflicts").size()) + " 处错误"), detail);
        assertEquals(DEFAULT, activeVersion());
        as("author").queryParam("version", candidate).queryParam("action", "ACTIVATE").get(API + "/audit").then()
                .body("[0].outcome", equalTo("FAILED"));
    }

    @Test
    void activationChangesWhatANewPlanDrawsAndRollbackRestoresIt() throws Exception {
        Map<String, Map<String, Object>> before = dryRunStrata();
        assertEquals(DEFAULT, before.get("_plan").get("samplingRulesVersion"));
        assertEquals(2, before.get("绿色（低风险）").get("required"));
        assertEquals("3", before.get("绿色（低风险）").get("percent"));

        String version = upload(greenAtTenWithScenarios(), "绿色商户抽查比例提高到 10%").getString("version.version");
        simulateSamplingClean(version);
        approveRules(API, version); // four eyes: a reviewer approves before activation
        JsonPath activated = asJson("author").body(Map.of("comment", "2027 年度加大低风险商户抽查比例")).post(API + "/versions/" + version + "/activate")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(DEFAULT, activated.getString("previous"));
        as("planner").get(API + "/active").then().statusCode(200).body("version", equalTo(version)).body("instanceVersion", equalTo(version))
                .body("inSync", is(true)).body("degraded", nullValue()).body("rules", hasItem("绿色（低风险）抽取 10%"))
                .body("details.activatedBy", equalTo("author"));
        RestAssured.given().get("/q/health/ready").then().body("checks.find { it.name == 'sampling-rules' }.data.version", equalTo(version))
                .body("checks.find { it.name == 'sampling-rules' }.data.state", equalTo("OK"));

        // A new plan draws with the new version.
        JsonPath plan = asJson("planner").body(planBody()).post("/api/v1/inspection/plans").then().statusCode(201).extract().jsonPath();
        assertEquals(version, plan.getString("samplingRulesVersion"));
        Map<String, Object> green = plan.<Map<String, Object>>getList("strata").stream().filter(s -> s.get("stratum").equals("绿色（低风险）")).findFirst().orElseThrow();
        assertEquals(4, green.get("required"));
        assertEquals(4, green.get("drawn"));
        assertEquals("10", green.get("percent"));
        assertEquals(8, plan.getInt("visitCount"));
        // Grading is not touched.
        as("author").get("/api/v1/rules/active").then().body("version", equalTo(GRADING_DEFAULT));

        // An administrator rolls back in one call, to the version active before.
        JsonPath rolledBack = asJson("admin").body(Map.of("comment", "比例调整待局务会通过，先恢复")).post(API + "/rollback").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(DEFAULT, rolledBack.getString("version"));
        assertEquals(version, rolledBack.getString("previous"));
        assertEquals("ROLLBACK", rolledBack.getString("action"));
        Map<String, Map<String, Object>> after = dryRunStrata();
        assertEquals(DEFAULT, after.get("_plan").get("samplingRulesVersion"));
        assertEquals(2, after.get("绿色（低风险）").get("required"));
        // The stored plan keeps the version it was drawn with.
        as("planner").get("/api/v1/inspection/plans/" + plan.getLong("id")).then().body("samplingRulesVersion", equalTo(version));

        as("author").queryParam("limit", 20).get(API + "/audit").then().statusCode(200)
                .body("find { it.action == 'ACTIVATE' && it.version == '" + version + "' }.comment", equalTo("2027 年度加大低风险商户抽查比例"))
                .body("find { it.action == 'ACTIVATE' && it.version == '" + version + "' }.summary", containsString("进行中的计划按原版本完成"))
                .body("find { it.action == 'ROLLBACK' && it.version == '" + DEFAULT + "' }.username", equalTo("admin"))
                .body("find { it.action == 'ROLLBACK' && it.version == '" + DEFAULT + "' }.previous", equalTo(version));
        as("author").get(API + "/versions/" + version.substring(0, 8)).then().statusCode(200).body("version.active", is(false))
                .body("version.activatedBy", equalTo("author")).body("rules.find { it.name == '绿色（低风险）抽取 10%' }.file", equalTo(STRATA))
                .body("rules.find { it.name == '绿色（低风险）抽取 10%' }.line", is(9));
    }

    @Test
    void aPlanInFlightFinishesOnTheRulesItStartedWith() throws Exception {
        String version = upload(greenAtTenWithScenarios(), "进行中的计划").getString("version.version");
        simulateSamplingClean(version);
        approveRules(API, version); // four eyes: a reviewer approves before activation
        try (SamplingEngine.Lease lease = engine.lease()) {
            assertEquals(DEFAULT, lease.rules().version());
            asJson("author").body(Map.of("comment", "计划进行中启用")).post(API + "/versions/" + version + "/activate").then().statusCode(200);
            assertEquals(version, engine.activeHere().version());
            // The plan's rules are still usable and still decide as before.
            SamplingCandidate c = new SamplingCandidate(1, "000000000000000000", "jingansi", MerchantCategory.RETAIL, false, null,
                    MerchantStatus.OPERATING, 400, Grade.GREEN, 0, item, InspectionMode.ON_SITE, "RISK_BASED", null, 28, 4);
            lease.rules().evaluateBatch(List.of(c));
            assertEquals(300, c.resolve().basisPoints());
            assertFalse(lease.rules().isDisposed());
        }
    }

    @Test
    void anotherInstancesActivationIsFollowedWithinSeconds() throws Exception {
        String version = upload(greenAtTenWithScenarios(), "另一个实例启用").getString("version.version");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update rule_set_version set active = false where kind = 'SAMPLING' and active").executeUpdate();
            em.createNativeQuery("update rule_set_version set active = true, activated_at = now(), activated_by = 'other-instance' where hash = ?1")
                    .setParameter(1, version).executeUpdate();
        });
        long deadline = System.currentTimeMillis() + 5000;
        String here = null;
        while (System.currentTimeMillis() < deadline) {
            here = as("author").get(API + "/active").then().extract().jsonPath().getString("instanceVersion");
            if (version.equals(here)) break;
            Thread.sleep(100);
        }
        assertEquals(version, here);
        assertEquals(version, dryRunStrata().get("_plan").get("samplingRulesVersion"));
    }

    // ---- reload, diff, export --------------------------------------------------------------------------------------

    @Test
    void reloadReadsTheDiskAsACandidateAndNoLongerActivatesIt() throws Exception {
        String other = upload(greenAtTenWithScenarios(), "先启用另一个版本").getString("version.version");
        simulateSamplingClean(other);
        approveRules(API, other); // four eyes: a reviewer approves before activation
        asJson("author").body(Map.of("comment", "启用")).post(API + "/versions/" + other + "/activate").then().statusCode(200);
        asJson("author").body(Map.of("comment", "重新读取磁盘上的抽查规则")).post(API + "/reload").then().statusCode(200)
                .body("version.version", equalTo(DEFAULT)).body("created", is(false)).body("validation.ok", is(true))
                .body("version.active", is(false)).body("version.tests", is(4));
        assertEquals(other, activeVersion(), "reading the disk does not activate it");
        asJson("author").body(Map.of()).post(API + "/versions/reload").then().statusCode(200).body("version.version", equalTo(DEFAULT));
        assertEquals(other, activeVersion());
        as("author").queryParam("action", "RELOAD").get(API + "/audit").then().body("[1].comment", equalTo("重新读取磁盘上的抽查规则"))
                .body("[0].outcome", equalTo("OK"));
        as("author").get(API + "/versions").then().statusCode(200).body("version", hasItem(DEFAULT)).body("version", hasItem(other))
                .body("version", not(hasItem(GRADING_DEFAULT)));
    }

    @Test
    void diffAndExportWorkAsForTheGradingRules() {
        Map<String, String> files = greenAtTenWithScenarios();
        String changed = upload(files, "测试：差异").getString("version.version");
        JsonPath d = as("planner").queryParam("from", DEFAULT.substring(0, 10)).queryParam("to", changed).get(API + "/diff").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(DEFAULT, d.getString("from"));
        assertEquals("CHANGED", d.getString("files.find { it.file == '" + STRATA + "' }.status"));
        assertTrue(d.getString("files.find { it.file == '" + STRATA + "' }.diff").contains("\n-    $c.sample(\"绿色（低风险）\", 3);\n+    $c.sample(\"绿色（低风险）\", 10);\n"));
        assertEquals("UNCHANGED", d.getString("files.find { it.file == 'sampling/00-exclusions.drl' }.status"));
        assertEquals("CHANGED", d.getString("files.find { it.file == 'tests/sampling/20-risk-strata.yaml' }.status"));
        assertEquals(List.of("绿色（低风险）抽取 10%"), d.getList("addedRules.rule"));
        assertEquals(List.of(GREEN_RULE), d.getList("removedRules.rule"));

        JsonPath json = as("admin").get(API + "/versions/" + changed + "/export").then().statusCode(200).extract().jsonPath();
        Map<String, String> exported = new HashMap<>(json.getMap("files"));
        exported.putAll(json.getMap("tests"));
        assertEquals(files, exported);
        byte[] zip = as("author").accept("application/zip").get(API + "/versions/" + changed + "/export").then().statusCode(200)
                .contentType("application/zip").header("Content-Disposition", containsString("sampling-rules-" + changed.substring(0, 12)))
                .extract().asByteArray();
        as("author").contentType("application/zip").body(zip).queryParam("comment", "从 zip 上传").post(API + "/versions").then()
                .statusCode(200).body("created", is(false)).body("version.version", equalTo(changed));
        // A zip of the whole rules/ folder: each kind takes its own files.
        as("author").contentType("application/zip").body(zipOf(Map.of("rules/grading/00-thresholds.drl", "不是抽查规则",
                "rules/tests/10-static-risk.yaml", "scenarios: []", "rules/sampling/a.drl", files.get("sampling/00-exclusions.drl")
                        .replace("package sampling;", "package sampling;\n"), "rules/tests/sampling/x.yaml", "scenarios: []")))
                .post(API + "/versions").then().statusCode(201).body("version.files", is(1)).body("version.tests", is(1));
    }

    static byte[] zipOf(Map<String, String> files) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // ---- bad input ------------------------------------------------------------------------------------------------------

    @Test
    void badInputIsRefusedWithTheFieldAtFault() {
        asJson("author").body(Map.of("files", Map.of("grading/00-thresholds.drl", "rule"))).post(API + "/versions").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("files.grading/00-thresholds.drl"))
                .body("errors[0].message", containsString("sampling/xxx.drl 或 tests/sampling/xxx.yaml"));
        // The sampling scenarios do not belong in a grading version.
        Map<String, String> grading = new HashMap<>();
        grading.put("grading/00-thresholds.drl", "package grading;");
        grading.put("tests/sampling/10-must-include.yaml", "scenarios: []");
        asJson("author").body(Map.of("files", grading)).post("/api/v1/rules/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("files.tests/sampling/10-must-include.yaml"))
                .body("errors[0].message", containsString("/api/v1/rule-sets/sampling/versions"));
        asJson("author").body(Map.of("files", Map.of("tests/sampling/only.yaml", "scenarios: []"))).post(API + "/versions").then().statusCode(400)
                .body("errors[0].field", equalTo("files")).body("errors[0].message", containsString("sampling/ 下的 .drl"));
        as("author").contentType("application/zip").body(new byte[]{1, 2, 3}).post(API + "/versions").then().statusCode(400)
                .contentType("application/problem+json");
        as("author").get(API + "/versions/abcdef0123").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("抽查规则版本"));
        // A grading version is not a sampling version, and the other way round.
        as("author").get(API + "/versions/" + GRADING_DEFAULT).then().statusCode(404);
        as("author").get("/api/v1/rules/versions/" + DEFAULT).then().statusCode(404);
        as("author").get(API + "/versions/not-a-version").then().statusCode(400).body("errors[0].field", equalTo("version"));
        as("author").get(API + "/diff?from=" + DEFAULT).then().statusCode(400).body("errors[0].field", equalTo("to"));
        asJson("author").body(Map.of("comment", "已经生效")).post(API + "/versions/" + DEFAULT + "/activate").then().statusCode(409)
                .contentType("application/problem+json");
        String other = upload(greenAtTen(), "测试：错误输入").getString("version.version");
        asJson("author").body(Map.of()).post(API + "/versions/" + other + "/activate").then().statusCode(400).body("errors[0].field", equalTo("comment"));
        asJson("admin").body(Map.of("comment", " ")).post(API + "/rollback").then().statusCode(400).body("errors[0].field", equalTo("comment"));
        asJson("admin").body(Map.of("version", "0123456789ab", "comment", "x")).post(API + "/rollback").then().statusCode(404);
        asJson("author").body(Map.of()).post(API + "/versions/" + other + "/simulate").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("items"));
        asJson("author").body(Map.of("items", List.of("NO-SUCH-ITEM"))).post(API + "/versions/" + other + "/simulate").then().statusCode(400)
                .body("errors[0].field", equalTo("items[0]"));
        asJson("author").body(Map.of("items", List.of(item), "scope", Map.of("streets", List.of("火星街道")))).post(API + "/versions/" + other + "/simulate")
                .then().statusCode(400).body("errors[0].field", equalTo("scope.streets[0]")).body("errors[0].message", containsString("不存在"));
        asJson("author").body(Map.of("items", List.of(item), "evaluationDate", "明天")).post(API + "/versions/" + other + "/simulate").then()
                .statusCode(400).contentType("application/problem+json");
        asJson("author").body(Map.of("items", List.of(item), "periodStart", "2027-03-01", "periodEnd", "2027-02-01"))
                .post(API + "/versions/" + other + "/simulate").then().statusCode(400).body("errors[0].field", equalTo("periodEnd"));
        as("author").queryParam("action", "DELETE").get(API + "/audit").then().statusCode(400).body("errors[0].field", equalTo("action"));
        as("author").queryParam("format", "pdf").get(API + "/versions/" + other + "/export").then().statusCode(400).body("errors[0].field", equalTo("format"));
        String broken = upload(replace(defaultFiles(), STRATA, "grade == Grade.GREEN", "grad == Grade.GREEN"), "测试：不能模拟").getString("version.version");
        asJson("author").body(simulationBody()).post(API + "/versions/" + broken + "/simulate").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].line", is(11)).body("errors[0].value", equalTo(GREEN_RULE));
        assertEquals(DEFAULT, activeVersion());
    }

    // ---- documented ----------------------------------------------------------------------------------------------------

    @Test
    void everyStepIsDocumentedInOpenApi() {
        JsonPath doc = RestAssured.given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("get " + API + "/active", List.of("200", "401", "403"));
        expected.put("get " + API + "/versions", List.of("200", "401", "403"));
        expected.put("post " + API + "/versions", List.of("200", "201", "400", "401", "403"));
        expected.put("post " + API + "/reload", List.of("200", "409", "401", "403"));
        expected.put("get " + API + "/versions/{version}", List.of("200", "400", "404"));
        expected.put("post " + API + "/versions/{version}/validate", List.of("200", "404"));
        expected.put("post " + API + "/versions/{version}/test", List.of("200", "404"));
        expected.put("post " + API + "/versions/{version}/simulate", List.of("202", "400", "404", "422", "401", "403"));
        expected.put("post " + API + "/versions/{version}/activate", List.of("200", "400", "404", "409", "422"));
        expected.put("post " + API + "/rollback", List.of("200", "400", "404", "409", "422"));
        expected.put("get " + API + "/diff", List.of("200", "400", "404"));
        expected.put("get " + API + "/versions/{version}/export", List.of("200", "400", "404"));
        expected.put("get " + API + "/audit", List.of("200", "400"));
        expected.forEach((op, codes) -> {
            String[] p = op.split(" ", 2);
            Map<String, Object> responses = doc.getMap("paths.'" + p[1] + "'." + p[0] + ".responses");
            assertNotNull(responses, op);
            for (String code : codes) assertTrue(responses.containsKey(code), op + " documents " + code + ": " + responses.keySet());
        });
        // Problems are documented as application/problem+json.
        assertNotNull(doc.get("paths.'" + API + "/versions/{version}/activate'.post.responses.'422'.content.'application/problem+json'"));
        // The test report documents the sampling scenario results (not the grading ones).
        String ref = doc.getString("paths.'" + API + "/versions/{version}/test'.post.responses.'200'.content.'application/json'.schema.'$ref'");
        String schema = ref.substring(ref.lastIndexOf('/') + 1);
        String items = doc.getString("components.schemas." + schema + ".properties.results.items.'$ref'");
        assertTrue(items.endsWith("SamplingScenarioResult"), items);
    }

    // ---- who may do what -----------------------------------------------------------------------------------------------------

    @Test
    void everyStepIsAuthorized() {
        String v = upload(greenAtTenWithScenarios(), "测试：权限").getString("version.version");
        List<String> reads = List.of(API + "/active", API + "/versions", API + "/versions/" + v, API + "/versions/" + v + "/export",
                API + "/diff?from=" + DEFAULT + "&to=" + v, API + "/audit");
        record Post(String path, Object body) {
        }
        Map<String, Object> uploadBody = Map.of("files", defaultFiles());
        List<Post> authorOnly = List.of(new Post(API + "/reload", Map.of()), new Post(API + "/versions/reload", Map.of()),
                new Post(API + "/versions", uploadBody), new Post(API + "/versions/" + v + "/validate", Map.of()),
                new Post(API + "/versions/" + v + "/test", Map.of()), new Post(API + "/versions/" + v + "/activate", Map.of("comment", "无权")));
        Post simulate = new Post(API + "/versions/" + v + "/simulate", simulationBody());
        Post rollback = new Post(API + "/rollback", Map.of("version", DEFAULT, "comment", "回滚到生效版本"));

        RestAssured.given().get(API + "/versions").then().statusCode(401).contentType("application/problem+json");
        for (String r : reads) {
            as("squad-jingansi").get(r).then().statusCode(403).contentType("application/problem+json");
            as("planner").get(r).then().statusCode(200);
            as("admin").get(r).then().statusCode(200);
            as("author").get(r).then().statusCode(200);
        }
        for (Post w : authorOnly) {
            for (String user : List.of("squad-jingansi", "planner", "admin")) {
                asJson(user).body(w.body()).post(w.path()).then().statusCode(403).contentType("application/problem+json");
            }
        }
        for (String user : List.of("squad-jingansi", "admin")) {
            asJson(user).body(simulate.body()).post(simulate.path()).then().statusCode(403).contentType("application/problem+json");
        }
        asJson("planner").body(simulate.body()).post(simulate.path()).then().statusCode(202);
        asJson("author").body(simulate.body()).post(simulate.path()).then().statusCode(202);
        // Rollback is the administrator's one-person emergency action (four eyes): not the author's, not the planner's.
        for (String user : List.of("squad-jingansi", "planner", "author")) {
            asJson(user).body(rollback.body()).post(rollback.path()).then().statusCode(403).contentType("application/problem+json");
        }
        // An administrator may roll back: authorized, refused only because DEFAULT is active already.
        asJson("admin").body(rollback.body()).post(rollback.path()).then().statusCode(409).contentType("application/problem+json");
        // The rule author may do everything.
        asJson("author").body(Map.of()).post(API + "/versions/" + v + "/validate").then().statusCode(200);
        asJson("author").body(Map.of()).post(API + "/versions/" + v + "/test").then().statusCode(200).body("ok", is(true));
        asJson("author").body(Map.of()).post(API + "/reload").then().statusCode(200);
        assertEquals(DEFAULT, activeVersion());
        assertNotNull(v);
    }
}
