package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a recorded visit result is corrected through the four-eyes queue. A proposal (202) changes
 * nothing (result, event, grade, public result) until a second officer approves it; the proposer cannot
 * approve it; a refusal leaves everything as it was; bad input is problem+json naming the field; the
 * console's visit page offers 更正结果 and shows 待审批.
 */
@QuarkusTest
class ResultCorrectionTest {

    private static final String PROBLEM = "application/problem+json";

    private static String grade(long merchantId) {
        return as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().statusCode(200).extract().path("grade");
    }

    private static JsonPath visit(long visitId) {
        return as(SquadConsoleTest.SQUAD_USER).get("/api/v1/inspection/visits/" + visitId).then().statusCode(200).extract().jsonPath();
    }

    private static String publicOutcome(String uscc) {
        return as("admin").queryParam("uscc", uscc).get("/api/v1/public/results").then().statusCode(200).extract().path("items[0].outcome");
    }

    private static Map<String, Object> clean(String item) {
        Map<String, Object> r = new HashMap<>();
        r.put("itemCode", item);
        r.put("outcome", "NO_PROBLEM");
        r.put("findings", "复核现场照片：门责区域整洁，原登记有误");
        return r;
    }

    @Test
    void aCorrectedResultTakesEffectOnlyAfterASecondOfficerApprovesIt() {
        SquadConsoleTest.Setup s = SquadConsoleTest.setup(1);
        Map<String, Object> v = s.visits().get(0);
        long visitId = ((Number) v.get("id")).longValue();
        long merchantId = ((Number) v.get("merchantId")).longValue();
        String uscc = s.usccs().get(0);
        String path = "/api/v1/inspection/visits/" + visitId + "/result/corrections";

        // Nothing to correct before a result is recorded.
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("reason", "测试", "results", List.of(clean(s.item())))).post(path).then()
                .statusCode(409).contentType(PROBLEM).body("detail", containsString("尚未登记结果"));

        Map<String, Object> adverse = new HashMap<>();
        adverse.put("itemCode", s.item());
        adverse.put("outcome", "CASE_OPENED");
        adverse.put("findings", "店外占道经营，拒不整改");
        adverse.put("score", 40);
        adverse.put("deductions", List.of(Map.of("code", s.item() + "-03", "points", 12)));
        String recordedGrade = asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("results", List.of(adverse)))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(201).extract().path("grade.grade");
        assertEquals(recordedGrade, grade(merchantId));
        assertNotEquals("GREEN", recordedGrade, "a case opened, a score under 60 and a 12-point deduction raise the grade");
        long eventId = visit(visitId).getLong("results[0].eventId");
        as("planner").contentType("application/json").body(Map.of("ids", List.of(visit(visitId).getLong("results[0].id"))))
                .post("/api/v1/inspection/results/publish").then().statusCode(200);
        assertEquals("CASE_OPENED", publicOutcome(uscc));

        // Bad input: problem+json naming the field, in Chinese.
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("results", List.of(clean(s.item())))).post(path).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("reason")).body("detail", containsString("更正原因"));
        Map<String, Object> noOutcome = clean(s.item());
        noOutcome.remove("outcome");
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("reason", "复核", "results", List.of(noOutcome))).post(path).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("results[0].outcome"));
        Map<String, Object> stranger = clean("NOPE-99");
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("reason", "复核", "results", List.of(stranger))).post(path).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("results[0].itemCode"));
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("reason", "复核", "results", List.of(adverse))).post(path).then().statusCode(400)
                .contentType(PROBLEM).body("detail", containsString("与现有结果相同"));
        asJson(SquadConsoleTest.SQUAD_USER).body("{\"reason\": 5, \"results\": {}}").post(path).then().statusCode(400).contentType(PROBLEM);
        // Another squad does not see the visit.
        asJson("squad-jingansi").body(Map.of("reason", "复核", "results", List.of(clean(s.item())))).post(path).then().statusCode(404)
                .contentType(PROBLEM);

        // The admin proposes: 202 with the pending item; nothing changes yet.
        JsonPath held = asJson("admin").body(Map.of("reason", "复核现场照片，结果登记有误", "results", List.of(clean(s.item())))).post(path)
                .then().statusCode(202).body("status", equalTo("PENDING")).body("statusLabel", equalTo("待审批"))
                .body("kind", equalTo("RESULT_CORRECTION")).body("visitId", equalTo((int) visitId))
                .body("summary", containsString("立案查处 → 未发现问题")).body("reason", containsString("复核现场照片"))
                .extract().jsonPath();
        long first = held.getLong("id");
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("reason", "再次提交", "results", List.of(clean(s.item())))).post(path).then()
                .statusCode(409).contentType(PROBLEM).body("detail", containsString("待审批"));
        assertEquals("CASE_OPENED", visit(visitId).getString("results[0].outcome"));
        assertEquals(recordedGrade, grade(merchantId));
        assertEquals("CASE_OPENED", publicOutcome(uscc));
        as(SquadConsoleTest.SQUAD_USER).get(path).then().statusCode(200).body("[0].id", equalTo((int) first))
                .body("[0].status", equalTo("PENDING"));
        as("chen.review").get("/api/v1/approvals").then().statusCode(200).body("items.id", hasItem((int) first));

        // The proposer cannot approve it (403 problem+json); nor can a squad.
        asJson("admin").body(Map.of()).post("/api/v1/approvals/" + first + "/approve").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("不能审批自己提交的事项"));
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of()).post("/api/v1/approvals/" + first + "/approve").then().statusCode(403)
                .contentType(PROBLEM);

        // Refused: everything as it was.
        asJson("chen.review").body(Map.of("reason", "照片不足以证明")).post("/api/v1/approvals/" + first + "/refuse").then().statusCode(200)
                .body("item.status", equalTo("REFUSED"));
        JsonPath after = visit(visitId);
        assertEquals("CASE_OPENED", after.getString("results[0].outcome"));
        assertEquals(eventId, after.getLong("results[0].eventId"));
        assertEquals(s.item() + "-03", after.getString("results[0].deductions[0].code"));
        assertEquals(null, (Object) after.get("results[0].correctedAt"));
        assertEquals(recordedGrade, grade(merchantId));
        assertEquals("CASE_OPENED", publicOutcome(uscc));
        as("admin").get("/api/v1/events/" + eventId).then().statusCode(200).body("supersededBy", equalTo(null));

        // The squad proposes again; a reviewer approves: result, event, grade and public result change.
        long second = asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("reason", "复核现场照片，结果登记有误", "results", List.of(clean(s.item()))))
                .post(path).then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath approved = asJson("chen.review").body(Map.of("comment", "照片清楚")).post("/api/v1/approvals/" + second + "/approve").then()
                .statusCode(200).body("item.status", equalTo("APPROVED")).extract().jsonPath();
        String newGrade = approved.getString("grade.grade");
        assertNotEquals(recordedGrade, newGrade, "the correction removes the case, the low score and the 12-point deduction");
        assertEquals(newGrade, grade(merchantId));
        after = visit(visitId);
        assertEquals("NO_PROBLEM", after.getString("results[0].outcome"));
        assertEquals("复核现场照片：门责区域整洁，原登记有误", after.getString("results[0].findings"));
        org.junit.jupiter.api.Assertions.assertNotNull(after.get("results[0].correctedAt"), "the row says it was corrected");
        assertEquals(null, (Object) after.get("results[0].deductions"));
        long newEvent = after.getLong("results[0].eventId");
        assertEquals(approved.getLong("item.eventId"), newEvent);
        as("admin").get("/api/v1/events/" + eventId).then().statusCode(200).body("supersededBy", equalTo((int) newEvent));
        as("admin").get("/api/v1/events/" + newEvent).then().statusCode(200).body("outcome", equalTo("NO_PROBLEM"))
                .body("supersedesId", equalTo((int) eventId)).body("recordedBy", equalTo(SquadConsoleTest.SQUAD_USER));
        assertEquals("NO_PROBLEM", publicOutcome(uscc));
        String reasons = as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().extract().asString();
        assertEquals(false, reasons.contains(s.item() + "-03"), reasons);
        as(SquadConsoleTest.SQUAD_USER).get(path).then().statusCode(200).body("status", equalTo(List.of("APPROVED", "REFUSED")));
        given().cookies(WebConsoleSecurityTest.login(SquadConsoleTest.SQUAD_USER)).get("/console/visits/" + visitId).then().statusCode(200)
                .body(containsString("经审批更正")).body(containsString("已批准")).body(containsString("已驳回"))
                .body(containsString("id=\"correction-form\""));
        // the audit chain still verifies
        as("admin").get("/api/v1/audit/verify").then().statusCode(200).body("intact", equalTo(true));
    }

    @Test
    void theVisitPageOffersTheCorrectionFormAndShowsItWaiting() {
        SquadConsoleTest.Setup s = SquadConsoleTest.setup(1);
        long visitId = ((Number) s.visits().get(0).get("id")).longValue();
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("results", List.of(Map.of("itemCode", s.item(), "outcome", "ORDERED_TO_RECTIFY"))))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(201);
        Map<String, String> cookies = WebConsoleSecurityTest.login(SquadConsoleTest.SQUAD_USER);
        given().cookies(cookies).get("/console/visits/" + visitId).then().statusCode(200)
                .body(containsString("id=\"correction-form\"")).body(containsString("更正原因")).body(containsString("id=\"correction-rows\""));
        String form = "/console/visits/" + visitId + "/result/corrections";
        // no reason: the form comes back with the message, nothing submitted
        OfficePagesTest.form(cookies).formParam("itemCode", s.item()).formParam("outcome", "NO_PROBLEM").formParam("findings", "")
                .formParam("score", "").formParam("reason", "").post(form).then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("请填写更正原因")).body(containsString("更正未提交"));
        as(SquadConsoleTest.SQUAD_USER).get("/api/v1/inspection/visits/" + visitId + "/result/corrections").then().statusCode(200)
                .body("size()", equalTo(0));
        OfficePagesTest.form(cookies).formParam("itemCode", s.item()).formParam("outcome", "NO_PROBLEM").formParam("findings", "整改到位")
                .formParam("score", "").formParam("dedItem", s.item()).formParam("dedCode", "").formParam("dedPoints", "")
                .formParam("reason", "现场已整改，原登记结果有误").post(form).then().statusCode(200)
                .body(containsString("id=\"correction-notice\"")).body(containsString("待审批")).body(containsString("id=\"correction-pending\""))
                .body(not(containsString("id=\"correction-form\"")));
        long id = as(SquadConsoleTest.SQUAD_USER).get("/api/v1/inspection/visits/" + visitId + "/result/corrections").then().statusCode(200)
                .body("[0].status", equalTo("PENDING")).extract().jsonPath().getLong("[0].id");
        given().cookies(WebConsoleSecurityTest.login("chen.review")).get("/console/approvals").then().statusCode(200)
                .body(containsString("data-approval=\"" + id + "\"")).body(containsString("检查结果更正"))
                .body(containsString("/console/visits/" + visitId));
    }
}
