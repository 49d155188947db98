package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.badge;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.visits;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.common.tabular.TabularFile;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The item list and inspector registry (CRUD, import, export), weekly key units, and bad plan requests. */
@QuarkusTest
class RegistryAndRequestsTest {

    @Test
    void itemsCrudAndVersioningByEdition() {
        String code = code("TI");
        Map<String, Object> body = InspectionFixtures.item(code, "RISK_BASED");
        body.put("categories", List.of("CATERING", "RETAIL"));
        long id = asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(201)
                .body("code", equalTo(code)).body("categories", equalTo(List.of("CATERING", "RETAIL"))).extract().jsonPath().getLong("id");
        asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(409).contentType("application/problem+json");
        body.put("edition", 2022);
        asJson("admin").body(body).post("/api/v1/inspection/items").then().statusCode(201);
        as("squad-jingansi").get("/api/v1/inspection/items?edition=2022").then().statusCode(200).body("code", hasItem(code));
        asJson("squad-jingansi").body(body).post("/api/v1/inspection/items").then().statusCode(403);
        body.put("edition", 2021);
        body.put("name", "改名后的事项");
        asJson("planner").body(body).put("/api/v1/inspection/items/" + id).then().statusCode(200).body("name", equalTo("改名后的事项"));
        as("planner").delete("/api/v1/inspection/items/" + id).then().statusCode(204);
        as("planner").get("/api/v1/inspection/items/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anItemUsedByAPlanCannotBeDeleted() {
        String code = code("TI");
        long id = createItem(code, "RISK_BASED");
        staff(2, "sq-linfenlu", List.of(code));
        List<M> ms = List.of(M.of("linfenlu").opened(today().minusDays(5)));
        register(ms);
        createPlan(plan(List.of(code), List.of(ms.get(0).uscc())));
        as("planner").delete("/api/v1/inspection/items/" + id).then().statusCode(409).body("detail", containsString("停用"));
    }

    @Test
    void badItemsAreRefusedNamingTheField() {
        Map<String, Object> body = InspectionFixtures.item("bad code!", "RISK_BASED");
        body.remove("legalBasis");
        body.put("edition", 1999);
        asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("code", "legalBasis", "edition"));
        asJson("planner").body("{\"edition\":2021,\"code\":\"X-1\",\"mode\":\"SOMETIMES\"}").post("/api/v1/inspection/items")
                .then().statusCode(400).body("errors[0].field", equalTo("mode")).body("detail", containsString("ON_SITE"));
    }

    @Test
    void itemImportIsAllOrNothingWithZhHeadersAndExportRoundTrips() {
        String a = code("TI");
        String b = code("TI");
        String good = "年度版本,事项代码,事项名称,法律依据,适用行业,适用重点单位类型,检查方式,抽查政策,说明,启用\n"
                + "2021," + a + ",餐饮油烟,《大气污染防治法》第八十一条,餐饮、零售,,现场检查,RISK_BASED,,是\n"
                + "2021," + b + ",重点单位垃圾分类,《上海市生活垃圾管理条例》,,星级宾馆、医疗机构,现场检查,KEY_UNIT_WEEKLY,,是\n";
        String bad = good + "2021,,无代码,依据,火星,,飞行检查,RISK_BASED,,是\n";
        as("planner").contentType("text/csv").body(bad.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/items/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.line", hasItem(4)).body("errors.field", hasItems("code", "categories", "mode"));
        as("planner").get("/api/v1/inspection/items").then().body("code", org.hamcrest.Matchers.not(hasItem(a)));
        as("planner").contentType("text/csv").body(good.getBytes(Charset.forName("GBK"))).post("/api/v1/inspection/items/import")
                .then().statusCode(200).body("created", is(2)).body("encoding", equalTo("GBK"));
        as("planner").contentType("text/csv").body(good.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/items/import")
                .then().statusCode(200).body("created", is(0)).body("unchanged", is(2));
        byte[] xlsx = as("planner").get("/api/v1/inspection/items/export?format=xlsx&edition=2021").then().statusCode(200).extract().asByteArray();
        TabularFile.Content c = TabularFile.read(xlsx, null, 10_000);
        assertEquals(List.of("年度版本", "事项代码", "事项名称", "法律依据", "适用行业", "适用重点单位类型", "检查方式", "抽查政策", "说明", "启用", "检查要点"),
                c.headers());
        TabularFile.Row row = c.rows().stream().filter(r -> b.equals(r.get("事项代码"))).findFirst().orElseThrow();
        assertEquals("星级宾馆、医疗机构", row.get("适用重点单位类型"));
        assertEquals("现场检查", row.get("检查方式"));
        // the export imports back unchanged
        as("planner").contentType("application/octet-stream").body(xlsx).post("/api/v1/inspection/items/import")
                .then().statusCode(200).body("created", is(0)).body("updated", is(0));
    }

    @Test
    void inspectorsCrudImportExportAndScope() {
        String item = code("TI");
        createItem(item, "RISK_BASED");
        String b1 = badge();
        String b2 = badge();
        String csv = "执法证号,姓名,所属中队,在岗,检查资格事项,回避商户,回避人员\n"
                + b1 + ",张三,sq-zhijiangxilu,是," + item + ",,李四\n"
                + b2 + ",王五,芷江西路街道综合行政执法队,否," + item + "、NOPE-9,ABC,\n";
        as("planner").contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/inspectors/import")
                .then().statusCode(400).body("errors.line", hasItem(3)).body("errors.field", hasItems("qualifiedItems", "conflictUsccs"));
        as("planner").contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/inspectors/import?mode=PARTIAL")
                .then().statusCode(200).body("created", is(1)).body("rejected", is(1));
        JsonPath found = as("planner").get("/api/v1/inspection/inspectors?q=" + b1).then().statusCode(200).body("total", is(1)).extract().jsonPath();
        assertEquals(List.of("李四"), found.getList("items[0].conflictPersons"));
        long id = found.getLong("items[0].id");
        as("squad-zhijiangxilu").get("/api/v1/inspection/inspectors/" + id).then().statusCode(200);
        as("squad-jingansi").get("/api/v1/inspection/inspectors/" + id).then().statusCode(404);
        as("squad-jingansi").get("/api/v1/inspection/inspectors?q=" + b1).then().body("total", is(0));
        Map<String, Object> dup = InspectionFixtures.inspector(b1, "sq-jingansi", List.of(item));
        asJson("planner").body(dup).post("/api/v1/inspection/inspectors").then().statusCode(409);
        Map<String, Object> update = InspectionFixtures.inspector(b1, "sq-zhijiangxilu", List.of(item));
        update.put("active", false);
        asJson("planner").body(update).put("/api/v1/inspection/inspectors/" + id).then().statusCode(200).body("active", is(false));
        asJson("squad-zhijiangxilu").body(update).put("/api/v1/inspection/inspectors/" + id).then().statusCode(403);
        Map<String, Object> bad = InspectionFixtures.inspector("x", "sq-nowhere", List.of("NOPE-1"));
        asJson("planner").body(bad).post("/api/v1/inspection/inspectors").then().statusCode(400)
                .body("errors.field", hasItems("badgeNo", "squad", "qualifiedItems"));
        byte[] out = as("squad-zhijiangxilu").get("/api/v1/inspection/inspectors/export").then().statusCode(200).extract().asByteArray();
        TabularFile.Content c = TabularFile.read(out, null, 10_000);
        assertEquals(List.of("执法证号", "姓名", "所属中队", "在岗", "检查资格事项", "回避商户", "回避人员"), c.headers());
        assertTrue(c.rows().stream().allMatch(r -> "芷江西路街道综合行政执法队".equals(r.get("所属中队"))), "a squad exports its own officers");
        assertTrue(c.rows().stream().anyMatch(r -> b1.equals(r.get("执法证号")) && "否".equals(r.get("在岗"))));
    }

    @Test
    void garbageSortingKeyUnitsAreCoveredAtLeastTenPercentEveryWeek() {
        String item = code("TK");
        Map<String, Object> body = InspectionFixtures.item(item, "KEY_UNIT_WEEKLY");
        body.put("keyUnitTypes", List.of("STAR_HOTEL", "MEDICAL_INSTITUTION", "RESTAURANT", "TRANSPORT_HUB"));
        asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(201);
        staff(4, "sq-nanjingxilu", List.of(item));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 25; i++) ms.add(M.of("nanjingxilu").keyUnit(i % 2 == 0 ? "RESTAURANT" : "STAR_HOTEL", i % 2 == 0 ? "CATERING" : "HOTEL"));
        for (int i = 0; i < 5; i++) ms.add(M.of("nanjingxilu"));
        register(ms);
        Set<String> keyUnits = new HashSet<>();
        for (int i = 0; i < 25; i++) keyUnits.add(ms.get(i).uscc());
        Map<String, Object> p = plan(List.of(item), ms.stream().map(M::uscc).toList());
        p.put("periodEnd", today().plusDays(27).toString()); // 4 weeks
        JsonPath plan = createPlan(p);
        assertEquals(4, plan.getInt("weeks"));
        Map<String, Object> stratum = plan.<Map<String, Object>>getList("strata").get(0);
        assertEquals(Map.of("candidates", 25, "required", 3, "weekly", true), Map.of("candidates", stratum.get("candidates"),
                "required", stratum.get("required"), "weekly", stratum.get("weekly")));
        Map<Integer, Set<String>> byWeek = new HashMap<>();
        for (Map<String, Object> v : visits(plan.getLong("id"))) {
            int week = (Integer) v.get("week");
            byWeek.computeIfAbsent(week, k -> new HashSet<>()).add((String) v.get("uscc"));
            assertEquals(today().plusDays(7L * (week - 1)).toString(), v.get("windowStart"));
            assertEquals(today().plusDays(7L * (week - 1) + 6).toString(), v.get("windowEnd"));
            assertTrue(keyUnits.contains(v.get("uscc")), "only key units");
        }
        assertEquals(Set.of(1, 2, 3, 4), byWeek.keySet());
        Set<String> all = new HashSet<>();
        for (Set<String> week : byWeek.values()) {
            assertEquals(3, week.size(), "ceil(10% of 25) = 3 key units, at least 10%, every week");
            all.addAll(week);
        }
        assertEquals(12, all.size(), "consecutive slices of the ranking: different units each week");
    }

    @Test
    void badPlanRequestsAreRefusedNamingEveryField() {
        Map<String, Object> body = new HashMap<>();
        body.put("items", List.of("NO-SUCH-ITEM"));
        body.put("scope", Map.of("streets", List.of("火星街道"), "usccs", List.of("123")));
        body.put("periodStart", today().plusDays(10).toString());
        body.put("periodEnd", today().toString());
        body.put("seed", "not-hex");
        body.put("inspectorSquads", List.of("sq-moon"));
        body.put("inspectorsPerVisit", 1);
        asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "items[0]", "scope.streets[0]", "scope.usccs[0]", "periodEnd", "seed",
                        "inspectorSquads[0]", "inspectorsPerVisit"));
        asJson("planner").body("{\"name\":\"x\",\"items\":[\"GS-02\"],\"periodStart\":\"2026-13-01\",\"periodEnd\":\"2026-12-31\"}")
                .post("/api/v1/inspection/plans").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("periodStart"));
        asJson("planner").body("{\"name\":\"x\",\"items\":[\"GS-02\"],\"scope\":{\"categories\":[\"SPACESHIP\"]}}")
                .post("/api/v1/inspection/plans").then().statusCode(400).body("errors[0].field", equalTo("scope.categories[0]"));
        asJson("planner").body("not json").post("/api/v1/inspection/plans").then().statusCode(400).contentType("application/problem+json");
        as("planner").contentType("application/json").post("/api/v1/inspection/plans").then().statusCode(400);
        Map<String, Object> past = plan(List.of("GS-02"), List.of());
        past.put("periodStart", today().minusDays(20).toString());
        past.put("periodEnd", today().minusDays(1).toString());
        asJson("planner").body(past).post("/api/v1/inspection/plans").then().statusCode(400).body("errors[0].field", equalTo("periodEnd"));
        as("planner").get("/api/v1/inspection/plans/999999999").then().statusCode(404).contentType("application/problem+json");
        as("planner").get("/api/v1/inspection/plans/999999999/verify").then().statusCode(404);
        as("planner").get("/api/v1/inspection/visits?status=LATE").then().statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    void noCandidatesIsRefusedClearly() {
        String item = code("TN");
        Map<String, Object> body = InspectionFixtures.item(item, "RISK_BASED");
        body.put("categories", List.of("MEDICAL"));
        asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(201);
        List<M> ms = List.of(M.of("pengpuzhen"), M.of("pengpuzhen").status("CLOSED"));
        register(ms);
        asJson("planner").body(plan(List.of(item), ms.stream().map(M::uscc).toList())).post("/api/v1/inspection/plans")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("items")).body("errors[0].message", containsString("医疗"));
        asJson("planner").body(plan(List.of("GS-02"), List.of(cn.urbanmgmt.risk.TestSupport.uscc())))
                .post("/api/v1/inspection/plans").then().statusCode(422).body("errors[0].field", equalTo("scope"));
    }
}
