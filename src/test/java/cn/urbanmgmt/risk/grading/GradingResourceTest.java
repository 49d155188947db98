package cn.urbanmgmt.risk.grading;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.createMerchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.events.EventService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GradingResourceTest {

    static String daysAgo(int days) {
        return LocalDate.now(EventService.ZONE).minusDays(days).toString();
    }

    static Map<String, Object> event(long merchantId, String type, int daysAgo) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", type);
        e.put("source", "test");
        e.put("sourceId", UUID.randomUUID().toString());
        e.put("occurredAt", daysAgo(daysAgo));
        e.put("merchantId", merchantId);
        return e;
    }

    static Map<String, Object> seriousCase(long merchantId, int daysAgo) {
        Map<String, Object> e = event(merchantId, "CASE", daysAgo);
        e.put("caseNo", "JA-" + UUID.randomUUID().toString().substring(0, 8));
        e.put("violationType", "STREET_OCCUPATION");
        e.put("severity", "SERIOUS");
        e.put("fineYuan", 2000);
        return e;
    }

    static Map<String, Object> complaint(long merchantId, String category, Boolean verified, int daysAgo) {
        Map<String, Object> e = event(merchantId, "COMPLAINT", daysAgo);
        e.put("channel", "HOTLINE_12345");
        e.put("complaintCategory", category);
        e.put("verified", verified);
        return e;
    }

    static JsonPath post(Map<String, Object> event, int status) {
        return asJson("admin").body(event).post("/api/v1/events").then().statusCode(status).extract().jsonPath();
    }

    static long retail(String street) {
        return createMerchantWithCategory(street, "RETAIL");
    }

    static long createMerchantWithCategory(String street, String category) {
        Map<String, Object> m = cn.urbanmgmt.risk.TestSupport.merchant(uscc(), street);
        m.put("category", category);
        return asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void newMerchantIsGradedAtOnceFromStaticRisk() {
        long id = createMerchantWithCategory("jingansi", "ENTERTAINMENT");
        as("planner").get("/api/v1/merchants/" + id + "/grade").then().statusCode(200)
                .body("grade", equalTo("GREEN")).body("score", is(10))
                .body("reasons[0].rule", equalTo("高风险行业：娱乐场所、集贸市场"))
                .body("reasons[0].points", is(10))
                .body("ruleSetVersion", notNullValue());
        as("planner").get("/api/v1/merchants/" + id).then().body("grade", equalTo("GREEN")).body("score", is(10));
    }

    @Test
    void seriousCaseRaisesToYellowWithExplanationAndHistory() {
        long id = retail("jingansi");
        JsonPath r = post(seriousCase(id, 10), 201);
        assertEquals("YELLOW", r.getString("grade.grade"));
        assertEquals("GREEN", r.getString("grade.previousGrade"));
        assertTrue(r.getBoolean("grade.changed"));
        long eventId = r.getLong("event.id");

        as("squad-jingansi").get("/api/v1/merchants/" + id + "/grade").then().statusCode(200)
                .body("grade", equalTo("YELLOW")).body("gradeName", equalTo("黄色（中风险）")).body("score", is(40))
                .body("reasons.rule", hasItem("一年内的严重案件"))
                .body("reasons.rule", hasItem("半年内的严重案件至少黄色"))
                .body("reasons.find { it.rule == '一年内的严重案件' }.events[0].id", is((int) eventId))
                .body("reasons.find { it.rule == '一年内的严重案件' }.events[0].summary", containsString("严重"))
                .body("reasons.find { it.rule == '半年内的严重案件至少黄色' }.floor", equalTo("YELLOW"));

        as("squad-jingansi").get("/api/v1/merchants/" + id + "/grade/history").then().statusCode(200)
                .body("newGrade", equalTo(List.of("GREEN", "YELLOW")))
                .body("[1].oldGrade", equalTo("GREEN"))
                .body("[1].cause", containsString("事件"))
                .body("[1].ruleSetVersion", notNullValue());
    }

    @Test
    void casesAndVerifiedComplaintsAddUpToRed() {
        long id = retail("caojiadu");
        post(seriousCase(id, 20), 201);
        Map<String, Object> ordinary = seriousCase(id, 15);
        ordinary.put("severity", "ORDINARY");
        post(ordinary, 201);
        post(complaint(id, "油烟扰民", true, 3), 201);
        JsonPath r = post(complaint(id, "噪声扰民", true, 2), 201);
        assertEquals("RED", r.getString("grade.grade"));
        assertEquals(72, r.getInt("grade.score"));
    }

    @Test
    void unfoundedComplaintsNeverCountAndRepeatedOnesDo() {
        long id = retail("caojiadu");
        for (int i = 0; i < 6; i++) post(complaint(id, "占道经营", false, i + 1), 201);
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("score", is(0)).body("grade", equalTo("GREEN"));

        long other = retail("caojiadu");
        JsonPath last = null;
        for (int i = 0; i < 5; i++) last = post(complaint(other, "占道经营", null, i + 1), 201);
        assertEquals(20, last.getInt("grade.score"));
        as("admin").get("/api/v1/merchants/" + other + "/grade").then()
                .body("reasons[0].rule", equalTo("同一问题一年内重复投诉 5 次及以上"))
                .body("reasons[0].events", hasSize(5));
    }

    @Test
    void correctionToUnfoundedTakesThePointsAway() {
        long id = retail("beizhan");
        Map<String, Object> verified = complaint(id, "油烟扰民", true, 5);
        assertEquals(6, post(verified, 201).getInt("grade.score"));
        Map<String, Object> correction = complaint(id, "油烟扰民", false, 5);
        correction.put("supersedesSourceId", verified.get("sourceId"));
        JsonPath r = post(correction, 201);
        assertEquals(0, r.getInt("grade.score"));
        // Nothing is deleted: both are listed, the old one marked superseded.
        as("admin").get("/api/v1/merchants/" + id + "/events").then().body("$", hasSize(2))
                .body("find { it.sourceId == '" + verified.get("sourceId") + "' }.supersededBy", is(r.getInt("event.id")));
        // Correcting it again is refused: correct the latest one.
        Map<String, Object> again = complaint(id, "油烟扰民", true, 5);
        again.put("supersedesSourceId", verified.get("sourceId"));
        asJson("admin").body(again).post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("supersedesSourceId"));
    }

    @Test
    void seriousDishonestyIsRedUntilCreditRepair() {
        long id = retail("tianmuxilu");
        Map<String, Object> listed = event(id, "CREDIT", 800);
        listed.put("creditAction", "LISTED");
        assertEquals("RED", post(listed, 201).getString("grade.grade"));
        Map<String, Object> repaired = event(id, "CREDIT", 1);
        repaired.put("creditAction", "REPAIRED");
        // Four eyes: a credit repair is held until a second officer approves it; until then the merchant stays RED.
        long held = post(repaired, 202).getLong("pending.id");
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("grade", equalTo("RED"));
        JsonPath r = cn.urbanmgmt.risk.TestSupport.approveHeld(held, "chen.review");
        assertEquals("GREEN", r.getString("grade.grade"));
        assertEquals("RED", r.getString("grade.previousGrade"));
    }

    @Test
    void failedInspectionsAndRepeatedDetectionsRaiseTheGrade() {
        long id = retail("shimenerlu");
        Map<String, Object> inspection = event(id, "INSPECTION", 7);
        inspection.put("itemCode", "GS-01");
        inspection.put("outcome", "CASE_OPENED");
        inspection.put("score", 52);
        inspection.put("deductions", List.of(Map.of("code", "GS-01-02", "points", 12)));
        inspection.put("inspectors", List.of("JA1001", "JA1002"));
        JsonPath r = post(inspection, 201);
        assertEquals(25 + 15 + 5, r.getInt("grade.score"));
        assertEquals("YELLOW", r.getString("grade.grade"));
        as("admin").get("/api/v1/merchants/" + id + "/grade").then()
                .body("reasons.rule", hasItem("一年内检查后立案查处"))
                .body("reasons.rule", hasItem("一年内检查得分低于 60 分"))
                .body("reasons.rule", hasItem("一年内检查有单项扣 10 分及以上"));

        long other = retail("shimenerlu");
        Map<String, Object> minor = seriousCase(other, 20);
        minor.put("severity", "MINOR");
        assertEquals(8, post(minor, 201).getInt("grade.score"));
        JsonPath last = null;
        for (int i = 0; i < 3; i++) {
            Map<String, Object> d = event(other, "DETECTION", 10 + i);
            d.put("detectionSource", "CAMERA");
            d.put("detectionType", "跨门营业");
            last = post(d, 201);
        }
        // 8 (minor case) + 3 x 4 + 10 (three detections in 90 days) = 30: still GREEN under the 40-point line.
        assertEquals(30, last.getInt("grade.score"));
        assertEquals("GREEN", last.getString("grade.grade"));
        Map<String, Object> ordinary = seriousCase(other, 5);
        ordinary.put("severity", "ORDINARY");
        JsonPath up = post(ordinary, 201);
        assertEquals(50, up.getInt("grade.score"));
        assertEquals("YELLOW", up.getString("grade.grade"));
    }

    @Test
    void sameEventTwiceIsStoredOnceAndConflictingContentIsRefused() {
        long id = retail("daninglu");
        Map<String, Object> e = seriousCase(id, 3);
        long first = post(e, 201).getLong("event.id");
        JsonPath again = post(e, 200);
        assertTrue(again.getBoolean("duplicate"));
        assertEquals(first, again.getLong("event.id"));
        as("admin").get("/api/v1/merchants/" + id + "/events").then().body("$", hasSize(1));
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("score", is(40));

        Map<String, Object> changed = new HashMap<>(e);
        changed.put("severity", "MINOR");
        asJson("admin").body(changed).post("/api/v1/events").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("supersedesSourceId"));
    }

    @Test
    void badEventsAreRefusedWithTheFieldAtFault() {
        long id = retail("daninglu");
        Map<String, Object> noSeverity = seriousCase(id, 1);
        noSeverity.remove("severity");
        asJson("admin").body(noSeverity).post("/api/v1/events").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("severity"));
        Map<String, Object> foreign = complaint(id, "x", true, 1);
        foreign.put("severity", "SERIOUS");
        asJson("admin").body(foreign).post("/api/v1/events").then().statusCode(400).body("errors.field", hasItem("severity"))
                .body("errors[0].message", containsString("不适用"));
        Map<String, Object> future = seriousCase(id, -3);
        asJson("admin").body(future).post("/api/v1/events").then().statusCode(400).body("errors.field", hasItem("occurredAt"));
        Map<String, Object> badDate = seriousCase(id, 1);
        badDate.put("occurredAt", "last tuesday");
        asJson("admin").body(badDate).post("/api/v1/events").then().statusCode(400).body("errors.field", hasItem("occurredAt"));
        Map<String, Object> badType = seriousCase(id, 1);
        badType.put("type", "PARKING");
        asJson("admin").body(badType).post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("type"));
        Map<String, Object> unknownMerchant = seriousCase(999_999_999L, 1);
        asJson("admin").body(unknownMerchant).post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("merchantId"));
        Map<String, Object> badUscc = seriousCase(id, 1);
        badUscc.remove("merchantId");
        badUscc.put("uscc", "91350100M000100Y44");
        asJson("admin").body(badUscc).post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("uscc"));
        Map<String, Object> badScore = event(id, "INSPECTION", 1);
        badScore.put("itemCode", "GS-01");
        badScore.put("outcome", "NO_PROBLEM");
        badScore.put("score", 140);
        asJson("admin").body(badScore).post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("score"));
        as("admin").get("/api/v1/merchants/" + id + "/events").then().body("$", hasSize(0));
    }

    @Test
    void squadsSeeOnlyTheirStreetsGrades() {
        long other = retail("pengpuzhen");
        as("squad-jingansi").get("/api/v1/merchants/" + other + "/grade").then().statusCode(404);
        as("squad-jingansi").get("/api/v1/merchants/" + other + "/grade/history").then().statusCode(404);
        as("squad-jingansi").get("/api/v1/merchants/" + other + "/events").then().statusCode(404);
        asJson("squad-jingansi").body(seriousCase(other, 1)).post("/api/v1/events").then().statusCode(400)
                .body("errors[0].message", containsString("不在您的辖区内"));
        as("squad-jingansi").get("/api/v1/grades/distribution").then().statusCode(200)
                .body("groups.key", everyItem(equalTo("jingansi")));
        as("squad-jingansi").queryParam("grade", "GREEN").get("/api/v1/merchants").then().statusCode(200)
                .body("items.street", everyItem(equalTo("jingansi"))).body("items.grade", everyItem(equalTo("GREEN")));
    }

    @Test
    void distributionCountsAndSharesByStreetAndCategory() {
        retail("linfenlu");
        JsonPath d = as("planner").queryParam("by", "street").get("/api/v1/grades/distribution").then().statusCode(200)
                .extract().jsonPath();
        long total = d.getLong("overall.total");
        long sum = d.getLong("overall.counts.GREEN") + d.getLong("overall.counts.YELLOW") + d.getLong("overall.counts.RED");
        assertEquals(total, sum);
        assertTrue(d.getList("groups.name").contains("临汾路街道"));
        double shares = d.getDouble("overall.shares.GREEN") + d.getDouble("overall.shares.YELLOW") + d.getDouble("overall.shares.RED");
        assertEquals(100.0, shares, 0.01);
        as("planner").queryParam("by", "category").get("/api/v1/grades/distribution").then().statusCode(200)
                .body("groups.name", hasItem("零售"));
        as("planner").queryParam("by", "colour").get("/api/v1/grades/distribution").then().statusCode(400)
                .body("errors[0].field", equalTo("by"));
    }

    @Test
    void eventImportIsAllOrNothingAndIdempotent() {
        long id = retail("zhijiangxilu");
        String code = as("admin").get("/api/v1/merchants/" + id).then().extract().path("uscc");
        String csv = "type,source,sourceId,occurredAt,uscc,caseNo,violationType,severity,channel,complaintCategory,verified\n"
                + "CASE,case-sys," + UUID.randomUUID() + "," + daysAgo(5) + "," + code + ",JA-1,NOISE,SERIOUS,,,\n"
                + "COMPLAINT,12345," + UUID.randomUUID() + "," + daysAgo(4) + "," + code + ",,,,HOTLINE_12345,噪声扰民,是\n"
                + "CASE,case-sys," + UUID.randomUUID() + ",not-a-date," + code + ",JA-2,NOISE,HUGE,,,\n";
        as("admin").contentType("text/csv; charset=UTF-8").body(csv).post("/api/v1/events/import").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.line", everyItem(is(4)))
                .body("errors.field", hasItem("severity")).body("errors.field", hasItem("occurredAt"));
        as("admin").get("/api/v1/merchants/" + id + "/events").then().body("$", hasSize(0));

        String good = csv.substring(0, csv.lastIndexOf("CASE,case-sys"));
        as("admin").contentType("text/csv; charset=UTF-8").body(good).post("/api/v1/events/import").then().statusCode(200)
                .body("stored", is(2)).body("merchantsRegraded", is(1));
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("score", is(46)).body("grade", equalTo("YELLOW"));
        as("admin").contentType("text/csv; charset=UTF-8").body(good).post("/api/v1/events/import").then().statusCode(200)
                .body("stored", is(0)).body("duplicates", is(2));

        String ndjson = "{\"type\":\"DETECTION\",\"source\":\"camera\",\"sourceId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\""
                + daysAgo(1) + "\",\"merchantId\":" + id + ",\"detectionSource\":\"CAMERA\",\"detectionType\":\"跨门营业\"}\n"
                + "{\"type\":\"DETECTION\",\"source\":\"camera\",\"sourceId\":\"x\",\"occurredAt\":12,\"merchantId\":\"abc\"}\n";
        as("admin").contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/events/import?mode=PARTIAL").then().statusCode(200)
                .body("stored", is(1)).body("rejected", is(1)).body("errors[0].line", is(2));
    }

    @Test
    void regradeJobReportsProgressAndAgesRecordsOut() throws Exception {
        long id = retail("pengpuxincun");
        post(seriousCase(id, 300), 201);
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("grade", equalTo("YELLOW"));

        String later = LocalDate.now(EventService.ZONE).plusDays(100).toString();
        asJson("planner").body(Map.of("evaluationDate", later)).post("/api/v1/grading/regrade").then().statusCode(403);
        long job = asJson("author").body(Map.of("evaluationDate", later)).post("/api/v1/grading/regrade").then().statusCode(202)
                .body("status", equalTo("RUNNING")).body("total", greaterThan(0)).extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        assertEquals("DONE", done.getString("status"));
        assertEquals(done.getLong("total"), done.getLong("done"));
        assertEquals(100.0, done.getDouble("percent"));
        assertTrue(done.getDouble("ratePerSecond") > 0);
        assertEquals(later, done.getString("result.evaluationDate"));

        as("admin").get("/api/v1/merchants/" + id + "/grade").then().body("grade", equalTo("GREEN")).body("score", is(0));
        as("admin").get("/api/v1/merchants/" + id + "/grade/history").then()
                .body("[-1].oldGrade", equalTo("YELLOW")).body("[-1].newGrade", equalTo("GREEN"))
                .body("[-1].cause", containsString("任务 #" + job));
        as("planner").queryParam("from", later).queryParam("to", later).get("/api/v1/grades/trend").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].day", equalTo(later));
        as("admin").get("/api/v1/jobs").then().statusCode(200).body("id", hasItem((int) job));
        as("squad-jingansi").get("/api/v1/jobs/" + job).then().statusCode(403);
    }

    /** An admin can start the daily run (e.g. after an outage missed it) and the weekly safety pass by hand. */
    @Test
    void dailyAndSafetyRunsCanBeStartedByHand() throws Exception {
        String day = LocalDate.now(EventService.ZONE).plusDays(3).toString();
        long daily = asJson("admin").body(Map.of("evaluationDate", day, "mode", "daily")).post("/api/v1/grading/regrade").then().statusCode(202)
                .body("params.evaluationDate", equalTo(day)).body("createdBy", equalTo("admin")).extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(daily);
        assertEquals("DONE", done.getString("status"));
        assertTrue(List.of("INCREMENTAL", "FULL").contains(done.getString("result.mode")), done.prettify());
        long safety = asJson("admin").body(Map.of("evaluationDate", day, "mode", "SAFETY")).post("/api/v1/grading/regrade").then().statusCode(202)
                .body("params.mode", equalTo("SAFETY")).extract().jsonPath().getLong("id");
        assertEquals(0, waitForJob(safety).getInt("result.missed"));
        asJson("admin").body(Map.of("mode", "WEEKLY")).post("/api/v1/grading/regrade").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("mode")).body("errors[0].message", containsString("FULL、DAILY 或 SAFETY"));
        asJson("squad-jingansi").body(Map.of("mode", "DAILY")).post("/api/v1/grading/regrade").then().statusCode(403);
    }

    static JsonPath waitForJob(long job) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonPath p = as("admin").get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(p.getString("status"))) return p;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not finish in 30 s");
    }

    @Test
    void activeRuleSetIsReported() {
        as("squad-beizhan").get("/api/v1/grading/rules/active").then().statusCode(200)
                .body("version.length()", is(64)).body("rules", hasItem("严重失信直接定为红色"))
                .body("files", hasItem("grading/20-cases.drl"));
    }
}
