package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.badge;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createInspector;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.inspected;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.inspector;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.visits;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The second random: who inspects. Every visit's merchants are "new" (must-include) so every one is drawn. */
@QuarkusTest
class MatchingTest {

    /** n new merchants (opened 10 days ago) in a street: all must be inspected. */
    static List<M> fresh(int n, String street, String category) {
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            M m = M.of(street).opened(today().minusDays(10));
            ms.add(new M(m.uscc(), street, category, false, null, "OPERATING", m.openedOn(), null));
        }
        return ms;
    }

    static List<String> usccs(List<M> ms) {
        return ms.stream().map(M::uscc).toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> badges(Map<String, Object> visit) {
        return ((List<Map<String, Object>>) visit.get("inspectors")).stream().map(i -> (String) i.get("badgeNo")).toList();
    }

    @Test
    void twoQualifiedActiveInspectorsPerVisitWithBalancedWorkload() {
        String item = code("TM");
        createItem(item, "RISK_BASED");
        List<String> qualified = staff(5, "sq-zhijiangxilu", List.of(item));
        String inactive = badge();
        Map<String, Object> off = inspector(inactive, "sq-zhijiangxilu", List.of(item));
        off.put("active", false);
        createInspector(off);
        String otherItem = code("TM");
        createItem(otherItem, "RISK_BASED");
        List<String> unqualified = staff(2, "sq-zhijiangxilu", List.of(otherItem));
        List<M> ms = fresh(10, "zhijiangxilu", "RETAIL");
        register(ms);
        JsonPath p = createPlan(plan(List.of(item), usccs(ms)));
        List<Map<String, Object>> visits = visits(p.getLong("id"));
        assertEquals(10, visits.size());
        Map<String, Integer> load = new HashMap<>();
        for (Map<String, Object> v : visits) {
            List<String> b = badges(v);
            assertEquals(2, b.size(), "two inspectors per visit");
            assertEquals(2, new HashSet<>(b).size(), "two different inspectors");
            assertTrue(qualified.containsAll(b), "only active, qualified inspectors of the merchant's squad: " + b);
            assertFalse(b.contains(inactive));
            assertTrue(b.stream().noneMatch(unqualified::contains));
            assertEquals("sq-zhijiangxilu", v.get("squad"));
            b.forEach(x -> load.merge(x, 1, Integer::sum));
        }
        // fair share: ceil(10 visits × 2 / 5 inspectors) = 4, and with 20 seats everybody gets exactly 4
        assertEquals(Map.of(qualified.get(0), 4, qualified.get(1), 4, qualified.get(2), 4, qualified.get(3), 4, qualified.get(4), 4), load);
        Map<String, Object> pool = p.<Map<String, Object>>getList("pools").get(0);
        assertEquals(5, pool.get("inspectors"));
        assertEquals(4, pool.get("cap"));
        assertEquals(4, pool.get("maxLoad"));
        assertTrue(p.getList("warnings").isEmpty());
    }

    @Test
    void declaredConflictsAreRespected() {
        String item = code("TM");
        createItem(item, "RISK_BASED");
        List<M> ms = fresh(6, "pengpuxincun", "RETAIL");
        ms.set(0, ms.get(0).contact("赵六一"));
        register(ms);
        List<String> plain = staff(2, "sq-pengpuxincun", List.of(item));
        String byMerchant = badge();
        Map<String, Object> x = inspector(byMerchant, "sq-pengpuxincun", List.of(item));
        x.put("conflictUsccs", List.of(ms.get(1).uscc()));
        createInspector(x);
        String byPerson = badge();
        Map<String, Object> y = inspector(byPerson, "sq-pengpuxincun", List.of(item));
        y.put("conflictPersons", List.of("赵六一"));
        createInspector(y);
        // Several seeds: the conflicted inspectors would otherwise land on these merchants sooner or later.
        for (int s = 1; s <= 6; s++) {
            Map<String, Object> body = InspectionFixtures.overlapping(plan(List.of(item), usccs(ms)));
            for (Map<String, Object> v : visits(createPlan(body).getLong("id"))) {
                if (v.get("uscc").equals(ms.get(0).uscc())) assertFalse(badges(v).contains(byPerson), "person conflict");
                if (v.get("uscc").equals(ms.get(1).uscc())) assertFalse(badges(v).contains(byMerchant), "merchant conflict");
                assertTrue(plain.containsAll(badges(v)) || badges(v).contains(byMerchant) || badges(v).contains(byPerson));
            }
        }
    }

    @Test
    void aVisitWithSeveralItemsNeedsInspectorsQualifiedForAllAndOverloadIsReported() {
        String both = code("TM");
        String cateringOnly = code("TM");
        createItem(both, "RISK_BASED");
        Map<String, Object> second = InspectionFixtures.item(cateringOnly, "RISK_BASED");
        second.put("categories", List.of("CATERING"));
        asJson("planner").body(second).post("/api/v1/inspection/items").then().statusCode(201);
        List<M> catering = fresh(4, "daninglu", "CATERING");
        List<M> retail = fresh(2, "daninglu", "RETAIL");
        List<M> all = new ArrayList<>(catering);
        all.addAll(retail);
        register(all);
        List<String> full = staff(2, "sq-daninglu", List.of(both, cateringOnly));
        List<String> partial = staff(4, "sq-daninglu", List.of(both));
        JsonPath p = createPlan(plan(List.of(both, cateringOnly), usccs(all)));
        List<Map<String, Object>> visits = visits(p.getLong("id"));
        assertEquals(6, visits.size(), "one visit per merchant, items merged");
        Set<String> cateringUsccs = new HashSet<>(usccs(catering));
        for (Map<String, Object> v : visits) {
            @SuppressWarnings("unchecked")
            List<String> items = ((List<Map<String, Object>>) v.get("items")).stream().map(i -> (String) i.get("code")).toList();
            if (cateringUsccs.contains(v.get("uscc"))) {
                assertEquals(List.of(both, cateringOnly).stream().sorted().toList(), items);
                assertEquals(new HashSet<>(full), new HashSet<>(badges(v)), "only the two qualified for both items");
            } else {
                assertEquals(List.of(both), items);
            }
        }
        // cap = ceil(6 × 2 / 6) = 2, but the two fully qualified inspectors must take all four catering visits
        Map<String, Object> pool = p.<Map<String, Object>>getList("pools").get(0);
        assertEquals(2, pool.get("cap"));
        assertEquals(4, pool.get("maxLoad"));
        String warning = p.getString("warnings.find { it.code == 'WORKLOAD_OVER_CAP' }.message");
        assertTrue(warning.contains(full.get(0)) && warning.contains(full.get(1)), warning);
        assertFalse(warning.contains(partial.get(0)));
    }

    @Test
    void previousInspectorsAreAvoidedWhenOthersAreAvailable() {
        String item = code("TM");
        createItem(item, "RISK_BASED");
        List<M> ms = fresh(1, "shimenerlu", "RETAIL");
        Map<String, Long> ids = register(ms);
        List<String> team = staff(4, "sq-shimenerlu", List.of(item));
        // last inspection (another item, any time) was by the first two
        inspected(ids.get(ms.get(0).uscc()), "OTHER-ITEM", 100, List.of(team.get(0), team.get(1)));
        for (int s = 1; s <= 5; s++) {
            Map<String, Object> body = InspectionFixtures.overlapping(plan(List.of(item), usccs(ms)));
            List<String> b = badges(visits(createPlan(body).getLong("id")).get(0));
            assertEquals(Set.of(team.get(2), team.get(3)), new HashSet<>(b));
        }
    }

    @Test
    void previousInspectorsStayOnlyWhenThereIsNoOneElse() {
        String item = code("TM");
        createItem(item, "RISK_BASED");
        List<M> ms = fresh(1, "pengpuzhen", "RETAIL");
        Map<String, Long> ids = register(ms);
        List<String> team = staff(3, "sq-pengpuzhen", List.of(item));
        inspected(ids.get(ms.get(0).uscc()), "OTHER-ITEM", 100, List.of(team.get(0), team.get(1)));
        List<String> b = badges(visits(createPlan(plan(List.of(item), usccs(ms))).getLong("id")).get(0));
        assertTrue(b.contains(team.get(2)), "the one who was not there last time");
        assertEquals(2, b.size());
    }

    @Test
    void tooFewInspectorsIsRefusedClearlyAndNothingIsStored() {
        String item = code("TM");
        createItem(item, "RISK_BASED");
        List<M> ms = fresh(3, "jiangninglu", "RETAIL");
        register(ms);
        staff(1, "sq-jiangninglu", List.of(item));
        Map<String, Object> body = plan(List.of(item), usccs(ms));
        String name = "人员不足的计划" + item;
        body.put("name", name);
        asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("检查人员不足"))
                .body("detail", containsString("江宁路街道综合行政执法队 3 户"))
                .body("errors.field", hasItem("inspectors"))
                .body("errors[0].message", containsString("只有 1 名符合条件"));
        as("planner").get("/api/v1/inspection/plans").then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem(name)));
    }

    @Test
    void aNamedCrossSquadPoolStaffsTheVisits() {
        String item = code("TM");
        createItem(item, "RISK_BASED");
        List<M> ms = fresh(3, "beizhan", "RETAIL");
        register(ms);
        List<String> railway = staff(3, "sq-railway", List.of(item));
        Map<String, Object> body = plan(List.of(item), usccs(ms));
        body.put("inspectorSquads", List.of("铁路上海站执法中队"));
        JsonPath p = createPlan(body);
        assertEquals(List.of("sq-railway"), p.getList("inspectorSquads"));
        for (Map<String, Object> v : visits(p.getLong("id"))) {
            assertTrue(railway.containsAll(badges(v)));
            assertEquals("sq-railway", v.get("squad"));
        }
        as("squad-railway").get("/api/v1/inspection/plans/" + p.getLong("id") + "/visits").then().statusCode(200).body("total", is(3));
        as("squad-beizhan").get("/api/v1/inspection/plans/" + p.getLong("id") + "/visits").then().statusCode(200).body("total", is(0));
        as("planner").get("/api/v1/inspection/plans/" + p.getLong("id")).then().body("pools[0].pool", equalTo("POOL"));
    }
}
