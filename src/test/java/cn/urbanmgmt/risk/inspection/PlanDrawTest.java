package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.inspected;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.makeRed;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.makeYellow;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.seed;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.visits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The draw: strata and their exact counts, must-include, exclusions, weekly key units, reproducibility. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanDrawTest {

    static final String STREET = "linfenlu";
    static final String SQUAD = "sq-linfenlu";

    String item;
    List<String> usccs = new ArrayList<>();
    Set<String> green = new HashSet<>();
    Set<String> yellow = new HashSet<>();
    Set<String> red = new HashSet<>();
    Set<String> fresh = new HashSet<>();
    String closed;
    String recentlyInspected;

    /** Once per class; in @BeforeEach because REST Assured gets the test port only then. */
    @BeforeEach
    void district() {
        if (item != null) return;
        item = code("TD");
        createItem(item, "RISK_BASED");
        staff(4, SQUAD, List.of(item));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 100; i++) ms.add(M.of(STREET));
        for (int i = 0; i < 10; i++) ms.add(M.of(STREET));
        for (int i = 0; i < 3; i++) ms.add(M.of(STREET));
        for (int i = 0; i < 2; i++) ms.add(M.of(STREET).opened(today().minusDays(30)));
        ms.add(M.of(STREET).status("CLOSED"));
        ms.add(M.of(STREET));
        Map<String, Long> ids = register(ms);
        for (int i = 0; i < ms.size(); i++) {
            String u = ms.get(i).uscc();
            usccs.add(u);
            if (i < 100) green.add(u);
            else if (i < 110) {
                yellow.add(u);
                makeYellow(ids.get(u));
            } else if (i < 113) {
                red.add(u);
                makeRed(ids.get(u));
            } else if (i < 115) fresh.add(u);
            else if (i == 115) closed = u;
            else {
                recentlyInspected = u;
                inspected(ids.get(u), item, 10, List.of());
            }
        }
    }

    static Map<String, Map<String, Object>> strata(JsonPath plan) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> s : plan.<Map<String, Object>>getList("strata")) out.put((String) s.get("stratum"), s);
        return out;
    }

    @Test
    void strataGetExactlyTheCountsThePolicyImplies() {
        JsonPath p = createPlan(InspectionFixtures.overlapping(plan(List.of(item), usccs)));
        Map<String, Map<String, Object>> strata = strata(p);
        assertEquals(Map.of("candidates", 100, "required", 3, "drawn", 3, "percent", "3"),
                pick(strata.get("绿色（低风险）"), "candidates", "required", "drawn", "percent"));
        assertEquals(Map.of("candidates", 10, "required", 3, "drawn", 3, "percent", "30"),
                pick(strata.get("黄色（中风险）"), "candidates", "required", "drawn", "percent"));
        assertEquals(Map.of("candidates", 3, "required", 3, "drawn", 3, "percent", "100"),
                pick(strata.get("红色（高风险）"), "candidates", "required", "drawn", "percent"));
        assertEquals(Map.of("candidates", 2, "required", 2, "drawn", 2, "percent", "100"),
                pick(strata.get("开业 90 天内"), "candidates", "required", "drawn", "percent"));
        assertEquals(11, p.getInt("visitCount"));

        List<Map<String, Object>> visits = visits(p.getLong("id"));
        assertEquals(11, visits.size());
        Set<String> drawn = visits.stream().map(v -> (String) v.get("uscc")).collect(Collectors.toSet());
        assertTrue(drawn.containsAll(red), "every RED merchant is inspected");
        assertTrue(drawn.containsAll(fresh), "every merchant opened in the last 90 days is inspected");
        assertFalse(drawn.contains(closed), "closed merchants are excluded");
        assertFalse(drawn.contains(recentlyInspected), "merchants inspected for the item within 30 days are excluded");
        assertEquals(3, drawn.stream().filter(green::contains).count());
        assertEquals(3, drawn.stream().filter(yellow::contains).count());
        Map<String, Integer> excluded = new HashMap<>();
        for (Map<String, Object> e : p.<Map<String, Object>>getList("exclusions")) excluded.put((String) e.get("reason"), (Integer) e.get("merchants"));
        assertEquals(Map.of("商户已关闭", 1, "30 天内已检查过该事项", 1), excluded);
    }

    @Test
    void sameSeedSameDrawDifferentSeedDifferentDrawInDryRuns() {
        // A planner's own seed is for dry runs and re-runs only; they are never stored.
        Map<String, Object> body = plan(List.of(item), usccs);
        body.put("seed", seed(42));
        JsonPath a = dryRun(body);
        JsonPath b = dryRun(body);
        body.put("seed", seed(43));
        JsonPath c = dryRun(body);
        assertEquals(a.getString("digests.result"), b.getString("digests.result"));
        assertEquals(a.getString("digests.draw"), b.getString("digests.draw"));
        assertNotEquals(a.getString("digests.draw"), c.getString("digests.draw"));
        assertFalse(a.getBoolean("seedGenerated"));
        assertEquals(seed(42), a.getString("seed"));
        assertTrue(a.getBoolean("dryRun"));
        assertTrue(a.get("id") == null, "a dry run is not stored");
    }

    static JsonPath dryRun(Map<String, Object> body) {
        return asJson("planner").body(body).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void seedIsGeneratedWhenNotGiven() {
        JsonPath a = createPlan(InspectionFixtures.overlapping(plan(List.of(item), usccs)));
        assertTrue(a.getBoolean("seedGenerated"));
        assertTrue(a.getString("seed").matches("[0-9a-f]{64}"));
        JsonPath b = createPlan(InspectionFixtures.overlapping(plan(List.of(item), usccs)));
        assertNotEquals(a.getString("seed"), b.getString("seed"));
    }

    static List<String> lines(List<Map<String, Object>> visits) {
        return visits.stream().map(v -> v.get("visitNo") + "|" + v.get("uscc") + "|" + v.get("windowStart") + "|" + v.get("strata") + "|"
                + ((List<?>) v.get("inspectors")).stream().map(i -> ((Map<?, ?>) i).get("badgeNo").toString()).toList()).toList();
    }

    static Map<String, Object> pick(Map<String, Object> m, String... keys) {
        Map<String, Object> out = new HashMap<>();
        for (String k : keys) out.put(k, m.get(k));
        return out;
    }

    @Test
    void dryRunStoresNothing() {
        asJson("planner").body(plan(List.of(item), usccs)).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(200)
                .body("dryRun", org.hamcrest.Matchers.is(true)).body("id", org.hamcrest.Matchers.nullValue())
                .body("visitCount", org.hamcrest.Matchers.is(11));
    }
}
