package cn.urbanmgmt.risk.approvals;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, point 3: four eyes where a grade goes down. The squad-downgrade path from the issue (a
 * correction that drops a merchant from YELLOW to GREEN) is held, counts nowhere, shows on the
 * timeline, in the work queue and the metric, and takes effect only when a second officer with the
 * right role approves it; the submitter cannot approve it; a refusal needs a reason; of two
 * approvers at once one wins; the audit chain still verifies.
 */
@QuarkusTest
class FourEyesEventsTest {

    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Object> seriousCase(long merchantId) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", "CASE");
        e.put("source", "four-eyes-test");
        e.put("sourceId", "FE-" + UUID.randomUUID());
        e.put("occurredAt", LocalDate.now().minusDays(10).toString());
        e.put("merchantId", merchantId);
        e.put("caseNo", "JA-" + UUID.randomUUID().toString().substring(0, 8));
        e.put("violationType", "STREET_OCCUPATION");
        e.put("severity", "SERIOUS");
        return e;
    }

    /** A new event (another source id) that corrects {@code old} down to a minor case. */
    private static Map<String, Object> minorCorrection(Map<String, Object> old) {
        Map<String, Object> e = new HashMap<>(old);
        e.put("sourceId", "FE-" + UUID.randomUUID());
        e.put("severity", "MINOR");
        e.put("supersedesSourceId", old.get("sourceId"));
        return e;
    }

    private static String grade(long merchantId) {
        return as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().statusCode(200).extract().path("grade");
    }

    private static double pendingGauge() {
        String metrics = as("admin").get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("approvals_pending")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no approvals_pending gauge"));
    }

    @Test
    void aSquadCorrectionThatLowersTheGradeWaitsForASecondOfficer() throws Exception {
        long m = TestSupport.createMerchant(TestSupport.uscc(), "jingansi");
        Map<String, Object> serious = seriousCase(m);
        asJson("wang.jingansi").body(serious).post("/api/v1/events").then().statusCode(201).body("grade.grade", equalTo("YELLOW"));

        // The path: a squad officer corrects it down. Held: 202, and the grade stays YELLOW.
        Map<String, Object> correction = minorCorrection(serious);
        JsonPath held = asJson("li.jingansi").body(correction).post("/api/v1/events").then().statusCode(202)
                .body("pending.status", equalTo("PENDING")).body("pending.statusLabel", equalTo("待审批"))
                .body("pending.gradeBefore", equalTo("YELLOW")).body("pending.gradeAfter", equalTo("GREEN"))
                .body("pending.submittedBy", equalTo("li.jingansi")).body("pending.reason", containsString("YELLOW"))
                .body("event", nullValue()).body("notice", containsString("待审批")).extract().jsonPath();
        long id = held.getLong("pending.id");
        assertEquals("YELLOW", grade(m));
        // The same submission again is the same item.
        asJson("li.jingansi").body(correction).post("/api/v1/events").then().statusCode(200).body("pending.id", is((int) id))
                .body("duplicate", is(true));

        // Visible on the timeline (status 待审批), not stored as an event, and the old case is not superseded yet.
        JsonPath timeline = as("squad-jingansi").get("/api/v1/merchants/" + m + "/events").then().statusCode(200).extract().jsonPath();
        assertEquals(2, timeline.getList("$").size());
        assertEquals("待审批", timeline.getString("find { it.approvalId == " + id + " }.statusLabel"));
        assertEquals(null, (Object) timeline.get("find { it.sourceId == '" + serious.get("sourceId") + "' }.supersededBy"));
        // In the work queue and the metric; on the console's 审批 page.
        as("chen.review").get("/api/v1/approvals").then().statusCode(200).body("items.id", hasItem((int) id));
        // A squad sees the items of its own streets only.
        as("squad-jingansi").queryParam("size", 500).get("/api/v1/approvals").then().statusCode(200).body("items.id", hasItem((int) id));
        as("squad-tianmuxilu").queryParam("size", 500).get("/api/v1/approvals").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(hasItem((int) id)));
        as("squad-tianmuxilu").get("/api/v1/approvals/" + id).then().statusCode(404);
        as("chen.review").get("/api/v1/approvals/" + id).then().statusCode(200).body("merchantId", is((int) m))
                .body("payload.severity", equalTo("MINOR"));
        assertTrue(pendingGauge() >= 1, "the gauge counts open items");
        Map<String, String> console = cn.urbanmgmt.risk.web.WebConsoleSecurityTest.login("chen.review");
        given().cookies(console).get("/console/approvals").then().statusCode(200).body(containsString("data-approval=\"" + id + "\""));
        given().cookies(cn.urbanmgmt.risk.web.WebConsoleSecurityTest.login("squad-jingansi")).get("/console/merchants/" + m).then()
                .statusCode(200).body(containsString("data-approval=\"" + id + "\"")).body(containsString("待审批"));

        // The submitter's colleagues in the field may not approve; nor may the submitter (403, zh-CN).
        asJson("wang.jingansi").body(Map.of()).post("/api/v1/approvals/" + id + "/approve").then().statusCode(403).contentType(PROBLEM);
        asJson("sun.credit").body(Map.of()).post("/api/v1/approvals/" + id + "/approve").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("无权审批"));
        assertEquals("YELLOW", grade(m));

        // Two reviewers at once: one wins, the other gets 409.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (String reviewer : List.of("chen.review", "liu.review")) {
                Callable<Response> call = () -> asJson(reviewer).body(Map.of("comment", "核实为轻微违法")).post("/api/v1/approvals/" + id + "/approve");
                answers.add(pool.submit(call));
            }
            List<Integer> codes = new ArrayList<>();
            Response won = null;
            for (Future<Response> f : answers) {
                Response r = f.get();
                codes.add(r.statusCode());
                if (r.statusCode() == 200) won = r;
                else r.then().statusCode(409).contentType(PROBLEM).body("detail", containsString("已由"));
            }
            assertEquals(List.of(200, 409), codes.stream().sorted().toList(), codes::toString);
            // Approved: stored through the one intake and regraded through the one regrade path.
            won.then().body("item.status", equalTo("APPROVED")).body("grade.grade", equalTo("GREEN"))
                    .body("grade.previousGrade", equalTo("YELLOW"));
            long eventId = won.jsonPath().getLong("item.eventId");
            assertEquals("GREEN", grade(m));
            as("admin").get("/api/v1/merchants/" + m + "/events").then()
                    .body("find { it.id == " + eventId + " }.recordedBy", equalTo("li.jingansi"))
                    .body("find { it.sourceId == '" + serious.get("sourceId") + "' }.supersededBy", is((int) eventId))
                    .body("findAll { it.status != null }.size()", is(0));
        } finally {
            pool.shutdownNow();
        }

        // Deciding again: 409.
        asJson("chen.review").body(Map.of("reason", "重复")).post("/api/v1/approvals/" + id + "/refuse").then().statusCode(409).contentType(PROBLEM);
        // Every step audited in the hash-chained trail, which still verifies.
        as("admin").get("/api/v1/audit/verify").then().statusCode(200).body("intact", is(true))
                .body("tables.table", hasItem("approval_audit"));
    }

    @Test
    void theSubmitterCannotApproveAndARefusalNeedsAReason() {
        long m = TestSupport.createMerchant(TestSupport.uscc(), "caojiadu");
        Map<String, Object> serious = seriousCase(m);
        asJson("admin").body(serious).post("/api/v1/events").then().statusCode(201);
        assertEquals("YELLOW", grade(m));
        // Even ADMIN cannot lower a grade alone.
        long id = asJson("admin").body(minorCorrection(serious)).post("/api/v1/events").then().statusCode(202)
                .extract().jsonPath().getLong("pending.id");
        asJson("admin").body(Map.of()).post("/api/v1/approvals/" + id + "/approve").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("不能审批自己提交的事项"));
        asJson("admin").body(Map.of("reason", "自己驳回")).post("/api/v1/approvals/" + id + "/refuse").then().statusCode(403);

        // A refusal without a reason: 400, naming the field, in zh-CN.
        asJson("chen.review").body(Map.of()).post("/api/v1/approvals/" + id + "/refuse").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("reason")).body("errors[0].message", containsString("驳回理由"));
        asJson("chen.review").body(Map.of("reason", "  ")).post("/api/v1/approvals/" + id + "/refuse").then().statusCode(400);
        asJson("chen.review").body(Map.of("reason", "案卷显示为严重违法，更正依据不足")).post("/api/v1/approvals/" + id + "/refuse").then()
                .statusCode(200).body("item.status", equalTo("REFUSED")).body("item.decisionComment", equalTo("案卷显示为严重违法，更正依据不足"))
                .body("item.decidedBy", equalTo("chen.review"));
        // Refused: nothing changed, nothing left on the timeline; listed among the refused items.
        assertEquals("YELLOW", grade(m));
        as("admin").get("/api/v1/merchants/" + m + "/events").then().body("size()", is(1)).body("[0].supersededBy", nullValue());
        as("admin").queryParam("status", "REFUSED").get("/api/v1/approvals").then().statusCode(200).body("items.id", hasItem((int) id));
        as("admin").queryParam("status", "NOPE").get("/api/v1/approvals").then().statusCode(400).contentType(PROBLEM);
        asJson("liu.review").body(Map.of()).post("/api/v1/approvals/" + id + "/approve").then().statusCode(409);
        asJson("chen.review").body(Map.of()).post("/api/v1/approvals/999999999/approve").then().statusCode(404).contentType(PROBLEM);
        given().get("/api/v1/approvals").then().statusCode(401);
        as("admin").get("/api/v1/audit/verify").then().statusCode(200).body("intact", is(true));
    }

    @Test
    void anEventThatRaisesOrKeepsTheGradeTakesEffectAtOnce() {
        long m = TestSupport.createMerchant(TestSupport.uscc(), "caojiadu");
        Map<String, Object> serious = seriousCase(m);
        asJson("admin").body(serious).post("/api/v1/events").then().statusCode(201).body("grade.grade", equalTo("YELLOW"));
        // A correction from serious to serious (another case number) keeps YELLOW: no second officer needed.
        Map<String, Object> same = minorCorrection(serious);
        same.put("severity", "SERIOUS");
        asJson("admin").body(same).post("/api/v1/events").then().statusCode(201).body("grade.grade", equalTo("YELLOW"))
                .body("pending", nullValue());
    }
}
