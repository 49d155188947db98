package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 at the HTTP level: the visit search of the API (name, USCC, address; today / this week; mine),
 * checked like every other parameter; the result's checklist deductions and officers present through the
 * API; htmx after the session ended; console errors as zh-CN pages while the API keeps problem+json.
 */
@QuarkusTest
class SquadConsoleTest {

    static final String STREET = "zhijiangxilu";
    static final String SQUAD = "sq-zhijiangxilu";
    static final String SQUAD_USER = "squad-zhijiangxilu";

    @Inject
    AgroalDataSource db;

    /** A small plan of the test's own: merchants with unique names and addresses in 芷江西路街道, three inspectors. */
    record Setup(String item, String tag, List<String> usccs, List<Long> merchantIds, List<String> badges, long planId,
                 List<Map<String, Object>> visits) {
    }

    static Setup setup(int merchants) {
        String item = InspectionFixtures.code("SQ");
        asJson("planner").body(InspectionFixtures.item(item, "RISK_BASED")).post("/api/v1/inspection/items").then().statusCode(201);
        List<String> badges = InspectionFixtures.staff(3, SQUAD, List.of(item));
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<String> usccs = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < merchants; i++) {
            String uscc = TestSupport.uscc();
            Map<String, Object> m = new HashMap<>();
            m.put("uscc", uscc);
            m.put("name", "手机巡查面馆" + tag + "号" + i);
            m.put("address", "芷江西路" + tag + "弄" + i + "号");
            m.put("street", STREET);
            m.put("category", "CATERING");
            m.put("openedOn", InspectionFixtures.today().minusDays(20).toString()); // opened in the last 90 days: always drawn
            ids.add(asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id"));
            usccs.add(uscc);
        }
        Map<String, Object> body = InspectionFixtures.overlapping(InspectionFixtures.plan(List.of(item), usccs));
        body.put("name", "手机巡查测试计划" + tag);
        long planId = InspectionFixtures.createPlan(body).getLong("id");
        return new Setup(item, tag, usccs, ids, badges, planId, InspectionFixtures.visits(planId));
    }

    static void badge(AgroalDataSource db, String user, String badge) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("update app_user set badge_no = ? where username = ?")) {
            s.setString(1, badge);
            s.setString(2, user);
            assertEquals(1, s.executeUpdate());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void visitsAreFoundByNameUsccOrAddressTodayThisWeekAndMine() {
        Setup s = setup(3);
        assertEquals(3, s.visits().size());
        // by name (part of it), by address, by USCC prefix: only that merchant's visit
        String name = "面馆" + s.tag() + "号1";
        as(SQUAD_USER).queryParam("q", name).get("/api/v1/inspection/visits").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].uscc", equalTo(s.usccs().get(1)));
        as(SQUAD_USER).queryParam("q", s.tag() + "弄2").get("/api/v1/inspection/visits").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].uscc", equalTo(s.usccs().get(2)));
        as(SQUAD_USER).queryParam("q", s.usccs().get(0).toLowerCase()).get("/api/v1/inspection/visits").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].uscc", equalTo(s.usccs().get(0)));
        as(SQUAD_USER).queryParam("q", s.tag()).queryParam("when", "today").get("/api/v1/inspection/visits").then().statusCode(200)
                .body("total", equalTo(3));
        as(SQUAD_USER).queryParam("q", s.tag()).queryParam("when", "week").get("/api/v1/inspection/visits").then().statusCode(200)
                .body("total", equalTo(3));
        // a merchant's visits
        as(SQUAD_USER).queryParam("merchantId", s.merchantIds().get(2)).get("/api/v1/inspection/visits").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].uscc", equalTo(s.usccs().get(2)));
        // another squad does not find them
        as("squad-jingansi").queryParam("q", s.tag()).get("/api/v1/inspection/visits").then().statusCode(200).body("total", equalTo(0));
        // "%" and "_" are searched as such, not as wildcards
        as(SQUAD_USER).queryParam("q", "面馆" + s.tag() + "_").get("/api/v1/inspection/visits").then().statusCode(200).body("total", equalTo(0));
        // mine: the visits the account's badge is assigned to
        String badge = s.badges().get(0);
        badge(db, SQUAD_USER, null);
        long expected = s.visits().stream().filter(v -> ((List<?>) v.get("inspectors")).stream()
                .anyMatch(i -> badge.equals(((Map<?, ?>) i).get("badgeNo")))).count();
        try {
            badge(db, SQUAD_USER, badge);
            as(SQUAD_USER).queryParam("mine", "true").get("/api/v1/inspection/visits").then().statusCode(200)
                    .body("total", equalTo((int) expected));
        } finally {
            badge(db, SQUAD_USER, null);
        }
        // bad parameters: problem+json naming the parameter, in Chinese
        as(SQUAD_USER).queryParam("q", "x".repeat(101)).get("/api/v1/inspection/visits").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("不能超过 100 个字"));
        as(SQUAD_USER).queryParam("q", "面\u0007馆").get("/api/v1/inspection/visits").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("q"));
        as(SQUAD_USER).queryParam("when", "tomorrow").get("/api/v1/inspection/visits").then().statusCode(400)
                .body("detail", containsString("today（今天）"));
        as(SQUAD_USER).queryParam("mine", "yes").get("/api/v1/inspection/visits").then().statusCode(400)
                .body("errors[0].field", equalTo("mine"));
        // documented
        String openapi = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertTrue(openapi.contains("商户名称或地址中包含的文字，或统一社会信用代码"), "the q parameter is documented");
    }

    @Test
    void resultsCarryDeductionsAndTheOfficersPresent() {
        Setup s = setup(2);
        Map<String, Object> visit = s.visits().get(0);
        long visitId = ((Number) visit.get("id")).longValue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> team = (List<Map<String, Object>>) visit.get("inspectors");
        String first = (String) team.get(0).get("badgeNo");
        Map<String, Object> result = new HashMap<>();
        result.put("itemCode", s.item());
        result.put("outcome", "ORDERED_TO_RECTIFY");
        result.put("deductions", List.of(Map.of("code", s.item() + "-03", "points", 12)));
        // one officer only: refused (two must be there); a stranger: refused
        asJson(SQUAD_USER).body(Map.of("results", List.of(result), "presentInspectors", List.of(first)))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(400)
                .body("detail", containsString("至少要有 2 名执法人员到场"));
        asJson(SQUAD_USER).body(Map.of("results", List.of(result), "presentInspectors", List.of(first, "NOBODY-1")))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(400)
                .body("detail", containsString("NOBODY-1 不是本任务指派的检查人员"));
        Map<String, Object> bad = new HashMap<>(result);
        bad.put("deductions", List.of(Map.of("code", s.item() + "-03", "points", 120)));
        asJson(SQUAD_USER).body(Map.of("results", List.of(bad))).post("/api/v1/inspection/visits/" + visitId + "/result").then()
                .statusCode(400).body("detail", containsString("扣分应在 0 到 100 之间"));
        List<String> both = team.stream().map(i -> (String) i.get("badgeNo")).toList();
        asJson(SQUAD_USER).body(Map.of("results", List.of(result), "presentInspectors", both))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(201)
                .body("visit.results[0].deductions[0].code", equalTo(s.item() + "-03"))
                .body("visit.presentInspectors.size()", equalTo(2));
        // the deduction reached the grading: the rule on single deductions of 10 points or more fired
        long merchantId = ((Number) visit.get("merchantId")).longValue();
        String reasons = as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().extract().asString();
        assertTrue(reasons.contains(s.item() + "-03"), reasons);
    }

    @Test
    void htmxAfterTheSessionEndedGoesToTheLoginPageAndConsoleErrorsArePages() {
        given().redirects().follow(false).header("HX-Request", "true").header("HX-Current-URL", "http://localhost/console/visits")
                .get("/console/visits").then().statusCode(200).header("HX-Redirect", equalTo("/login?expired=true"));
        given().redirects().follow(false).get("/console/visits").then().statusCode(302).header("Location", endsWith("/login"));
        given().get("/login?expired=true").then().statusCode(200).body(containsString("登录已过期"));
        given().get("/session").then().statusCode(200).body("active", equalTo(false)).body("timeoutSeconds", equalTo(3600));

        Map<String, String> cookies = WebConsoleSecurityTest.login(SQUAD_USER);
        given().cookies(cookies).get("/session").then().statusCode(200).body("active", equalTo(true));
        // an address the console does not have, a method an address does not take, a bad id: zh-CN pages, no JSON
        given().cookies(cookies).get("/console/no-such-page").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("id=\"error-detail\"")).body(not(containsString("\"status\"")));
        given().cookies(cookies).delete("/console/visits").then().statusCode(405).contentType(containsString("text/html"))
                .body(containsString("不支持"));
        given().cookies(cookies).get("/console/visits/abc").then().contentType(containsString("text/html"))
                .body(containsString("id=\"error-detail\""));
        // a result address opened with GET (what a login after a post returns to) is the visit's page
        given().cookies(cookies).redirects().follow(false).get("/console/visits/12345/result").then().statusCode(303)
                .header("Location", endsWith("/console/visits/12345"));
        // the API keeps problem+json
        as(SQUAD_USER).get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json");
        as(SQUAD_USER).delete("/api/v1/inspection/visits").then().statusCode(405).contentType("application/problem+json");
    }
}
