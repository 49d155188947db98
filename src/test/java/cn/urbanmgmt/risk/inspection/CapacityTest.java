package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Capacity per squad and week before the plan: settings, leave, refusal without a reason, what-if. */
@QuarkusTest
class CapacityTest {

    // No other test uses this street, so its squad's settings are this test's own.
    static final String STREET = "beizhan";
    static final String SQUAD = "sq-beizhan";

    @Test
    void settingsOutOfRangeAreNamed() {
        asJson("planner").body(Map.of("visitsPerInspectorPerDay", 30, "workingDays", List.of(0, 3, 8)))
                .put("/api/v1/inspection/capacity/squads/" + SQUAD).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("visitsPerInspectorPerDay", "workingDays[0]", "workingDays[2]"));
        asJson("planner").body(Map.of("visitsPerInspectorPerDay", 2, "workingDays", List.of(1))).put("/api/v1/inspection/capacity/squads/sq-nowhere")
                .then().statusCode(404);
        asJson("squad-beizhan").body(Map.of("visitsPerInspectorPerDay", 2, "workingDays", List.of(1))).put("/api/v1/inspection/capacity/squads/" + SQUAD)
                .then().statusCode(403);
        asJson("planner").body(Map.of("badgeNo", "NOBODY", "from", today().toString(), "to", today().minusDays(1).toString()))
                .post("/api/v1/inspection/capacity/leave").then().statusCode(400).body("errors.field", hasItem("to"));
    }

    @Test
    void aPlanOverCapacityIsRefusedUnlessAcceptedWithAReasonAndWhatIfComparesVariants() {
        asJson("planner").body(Map.of("visitsPerInspectorPerDay", 1, "workingDays", List.of(1, 2, 3, 4, 5, 6, 7)))
                .put("/api/v1/inspection/capacity/squads/" + SQUAD).then().statusCode(200).body("own", is(true));
        String item = code("TC");
        createItem(item, "RISK_BASED");
        List<String> team = staff(3, SQUAD, List.of(item));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 12; i++) ms.add(M.of(STREET).opened(today().minusDays(20)));
        register(ms);
        List<String> usccs = ms.stream().map(M::uscc).toList();
        Map<String, Object> body = plan(List.of(item), usccs);
        body.put("periodEnd", today().plusDays(6).toString()); // one week: 12 visits × 2 = 24 inspector-visits
        // one of the three is on leave all week: 2 inspectors × 7 days × 1 = 14
        asJson("planner").body(Map.of("badgeNo", team.get(0), "from", today().toString(), "to", today().plusDays(6).toString(), "reason", "年休假"))
                .post("/api/v1/inspection/capacity/leave").then().statusCode(201).body("squad", equalTo(SQUAD));

        JsonPath preview = asJson("planner").body(body).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(200).extract().jsonPath();
        assertTrue(preview.getBoolean("capacity.overCapacity"));
        Map<String, Object> cell = preview.getMap("capacity.cells[0]");
        assertEquals(SQUAD, cell.get("unit"));
        assertEquals(14, cell.get("capacity"));
        assertEquals(3, cell.get("inspectors"), "three active; the capacity counts only the days not on leave");
        assertEquals(14, cell.get("inspectorDays"));
        assertEquals(171, cell.get("percent"));

        int before = given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount");
        asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("capacityReason")).body("errors[0].message", containsString("北站街道综合行政执法队 第 1 周"))
                .body("errors[0].message", containsString("171 %")).body("detail", containsString("capacityReason"));
        assertEquals(before, given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount"), "nothing stored");

        body.put("capacityReason", "专项整治，抽调机动中队支援");
        JsonPath p = createPlan(body);
        assertEquals("专项整治，抽调机动中队支援", p.getString("lifecycle.capacityReason"));
        assertTrue(p.getBoolean("capacity.overCapacity"));
        Map<String, Object> onRegister = given().get("/api/v1/public/register").then().extract().jsonPath()
                .getMap("plans.find { it.planId == " + p.getLong("id") + " }");
        assertEquals("专项整治，抽调机动中队支援", onRegister.get("capacityReason"));
        as("planner").get("/api/v1/inspection/plans/" + p.getLong("id")).then().body("capacity.cells[0].percent", is(171));
        assertTrue(as("planner").get("/api/v1/inspection/plans/" + p.getLong("id") + "/verify").then().extract().jsonPath().getBoolean("identical"));

        // what-if: half the new merchants, or the same plan over four weeks
        Map<String, Object> req = Map.of("plan", plan(List.of(item), usccs.subList(0, 12)).entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getKey().equals("periodEnd") ? today().plusDays(6).toString() : e.getValue())),
                "variants", List.of(Map.of("label", "新开业 100 % → 50 %", "percents", Map.of("开业 90 天内", 50)),
                        Map.of("label", "检查期四周", "periodEnd", today().plusDays(27).toString())));
        JsonPath w = asJson("planner").body(req).post("/api/v1/inspection/plans/what-if").then().statusCode(200).extract().jsonPath();
        assertEquals(12, w.getInt("plan.visits"));
        assertTrue(w.getBoolean("plan.capacity.overCapacity"));
        assertEquals(6, w.getInt("variants[0].visits"));
        assertEquals(86, w.getInt("variants[0].capacity.cells[0].percent"));
        assertFalse(w.getBoolean("variants[0].capacity.overCapacity"));
        assertTrue(w.getList("variants[0].comparedWithPlan").contains("新开业 100 % → 50 %：北站街道综合行政执法队 第 1 周 171 % → 86 %"),
                w.getList("variants[0].comparedWithPlan").toString());
        assertEquals(4, w.getList("variants[1].capacity.cells").size());
        assertFalse(w.getBoolean("variants[1].capacity.overCapacity"));
        // nothing stored by what-if
        assertEquals(before + 1, given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount"));
        // a proportion out of range is named
        asJson("planner").body(Map.of("plan", plan(List.of(item), usccs), "variants", List.of(Map.of("percents", Map.of("开业 90 天内", 150)))))
                .post("/api/v1/inspection/plans/what-if").then().statusCode(400).body("errors[0].field", equalTo("variants[0].percents.开业 90 天内"));
    }
}
