package cn.urbanmgmt.risk.security;

import static cn.urbanmgmt.risk.TestSupport.asJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, point 2: who may record what. The path from the issue: a squad posting an "unfounded
 * complaint" that supersedes someone else's serious case, or a credit repair, is refused.
 */
@QuarkusTest
class EventPermissionsTest {

    private static final String PROBLEM = "application/problem+json";

    private static long merchant(String street) {
        return TestSupport.createMerchant(TestSupport.uscc(), street);
    }

    private static Map<String, Object> event(long merchantId, String type) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", type);
        e.put("source", "perm-test");
        e.put("sourceId", "P-" + UUID.randomUUID());
        e.put("occurredAt", LocalDate.now().minusDays(10).toString());
        e.put("merchantId", merchantId);
        return e;
    }

    private static Map<String, Object> seriousCase(long merchantId) {
        Map<String, Object> e = event(merchantId, "CASE");
        e.put("caseNo", "JA-" + UUID.randomUUID().toString().substring(0, 8));
        e.put("violationType", "STREET_OCCUPATION");
        e.put("severity", "SERIOUS");
        return e;
    }

    private static Map<String, Object> minorCase(long merchantId) {
        Map<String, Object> e = seriousCase(merchantId);
        e.put("severity", "MINOR");
        return e;
    }

    private static Map<String, Object> unfoundedComplaint(long merchantId) {
        Map<String, Object> e = event(merchantId, "COMPLAINT");
        e.put("channel", "HOTLINE_12345");
        e.put("complaintCategory", "占道经营");
        e.put("verified", false);
        return e;
    }

    private static Map<String, Object> credit(long merchantId, String action) {
        Map<String, Object> e = event(merchantId, "CREDIT");
        e.put("creditAction", action);
        return e;
    }

    private static ValidatableResponse post(String user, Map<String, Object> e) {
        return asJson(user).body(e).post("/api/v1/events").then();
    }

    private static Map<String, Object> correcting(Map<String, Object> correction, Map<String, Object> old) {
        correction.put("supersedesSourceId", old.get("sourceId"));
        return correction;
    }

    @Test
    void aCorrectionSupersedesOnlyAnEventOfTheSameType() {
        long m = merchant("jingansi");
        Map<String, Object> serious = seriousCase(m);
        post("admin", serious).statusCode(201);
        String grade = asJson("admin").get("/api/v1/merchants/" + m + "/grade").then().statusCode(200).extract().path("grade");
        // The path: an "unfounded complaint" superseding a serious case. Refused for everyone, ADMIN included.
        for (String user : new String[]{"squad-jingansi", "admin"}) {
            post(user, correcting(unfoundedComplaint(m), serious)).statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", is("supersedesSourceId")).body("detail", containsString("同一类型"));
        }
        asJson("admin").get("/api/v1/merchants/" + m + "/grade").then().statusCode(200).body("grade", is(grade));
        // A case corrected by a case, by ADMIN: accepted; it lowers the grade, so it waits for a second officer (four eyes).
        long held = post("admin", correcting(minorCase(m), serious)).statusCode(202).body("pending.status", is("PENDING"))
                .extract().jsonPath().getLong("pending.id");
        TestSupport.approveHeld(held, "chen.review");
    }

    @Test
    void aSquadCorrectsOnlyWhatItsOwnOfficersRecordedInItsStreets() {
        long m = merchant("jingansi");
        Map<String, Object> byAdmin = seriousCase(m);
        post("admin", byAdmin).statusCode(201);
        // Recorded by someone else (ADMIN, another system): the squad may not correct it.
        post("squad-jingansi", correcting(minorCase(m), byAdmin)).statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("本中队人员"));

        Map<String, Object> byWang = seriousCase(m);
        post("wang.jingansi", byWang).statusCode(201).body("event.recordedBy", is("wang.jingansi"));
        // The mobile squad covers the street, but did not record the case.
        post("zhao.mobile", correcting(minorCase(m), byWang)).statusCode(403);
        // A colleague of the same squad may correct it (with an event of the same type).
        // It lowers the grade (RED -> YELLOW): held until a second officer approves; the event then names its recorder.
        long held = post("li.jingansi", correcting(minorCase(m), byWang)).statusCode(202).body("pending.submittedBy", is("li.jingansi"))
                .extract().jsonPath().getLong("pending.id");
        long eventId = TestSupport.approveHeld(held, "chen.review").getLong("item.eventId");
        TestSupport.as("admin").get("/api/v1/merchants/" + m + "/events").then().statusCode(200)
                .body("find { it.id == " + eventId + " }.recordedBy", is("li.jingansi"));

        // Another squad's merchant is out of reach altogether.
        long other = merchant("caojiadu");
        Map<String, Object> byZhang = seriousCase(other);
        post("zhang.caojiadu", byZhang).statusCode(201);
        post("wang.jingansi", correcting(minorCase(other), byZhang)).statusCode(400);
    }

    @Test
    void creditListingAndRepairOnlyByTheCreditRoleOrAdmin() {
        long m = merchant("jingansi");
        for (String user : new String[]{"squad-jingansi", "wang.jingansi", "planner"}) {
            post(user, credit(m, "REPAIRED")).statusCode(403).contentType(PROBLEM).body("detail", containsString("信用管理"));
            post(user, credit(m, "LISTED")).statusCode(403);
        }
        post("sun.credit", credit(m, "LISTED")).statusCode(201).body("grade.grade", is("RED"));
        // The credit officer records credit events only.
        post("sun.credit", seriousCase(m)).statusCode(403);
        // A credit repair always waits for a second officer (four eyes).
        long held = post("sun.credit", credit(m, "REPAIRED")).statusCode(202).extract().jsonPath().getLong("pending.id");
        TestSupport.approveHeld(held, "admin");
        post("admin", credit(m, "LISTED")).statusCode(201);
        // Reviewers and rule authors record no events.
        post("chen.review", seriousCase(m)).statusCode(403);
        post("author", seriousCase(m)).statusCode(403);
    }

    @Test
    void bulkImportPassesTheSameCheck() {
        long m = merchant("jingansi");
        String ndjson = "{\"type\":\"CREDIT\",\"source\":\"perm-test\",\"sourceId\":\"IMP-" + UUID.randomUUID()
                + "\",\"occurredAt\":\"" + LocalDate.now().minusDays(3) + "\",\"merchantId\":" + m + ",\"creditAction\":\"REPAIRED\"}\n";
        TestSupport.as("squad-jingansi").contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/events/import").then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("信用管理"));
    }
}
