package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: each inspection item has a stored checklist (检查要点). The item API, import, export and the
 * office item form carry it; files without the column keep the items' checklists; the result form offers
 * the check points as a select, and a deduction code not on a non-empty checklist (or over its check
 * point's most points) is refused naming the field.
 */
@QuarkusTest
class ItemChecklistTest {

    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Object> point(String code, String text, int max) {
        return Map.of("code", code, "text", text, "maxPoints", max);
    }

    @Test
    void theItemApiImportAndExportCarryTheChecklist() {
        String code = InspectionFixtures.code("CK");
        Map<String, Object> item = InspectionFixtures.item(code, "RISK_BASED");
        // bad check points: problem+json naming the field, in Chinese
        item.put("checklist", List.of(point("XX-01", "门前堆物", 5)));
        asJson("planner").body(item).post("/api/v1/inspection/items").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("checklist")).body("detail", containsString("应为事项代码加两位序号"));
        item.put("checklist", List.of(point(code + "-01", "门前堆物", 120)));
        asJson("planner").body(item).post("/api/v1/inspection/items").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("checklist")).body("detail", containsString("最高扣分应在 0 到 100 之间"));
        item.put("checklist", List.of(point(code + "-01", "门前堆物", 5), point(code.toLowerCase() + "-01", "重复", 5)));
        asJson("planner").body(item).post("/api/v1/inspection/items").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("重复"));

        item.put("checklist", List.of(point(code + "-01", "门前责任区堆放杂物", 5), point(code + "-02", "占用人行道设摊经营", 15)));
        JsonPath created = asJson("planner").body(item).post("/api/v1/inspection/items").then().statusCode(201)
                .body("checklist.code", equalTo(List.of(code + "-01", code + "-02"))).body("checklist[1].maxPoints", equalTo(15))
                .extract().jsonPath();
        long id = created.getLong("id");
        // an edit without the field keeps it; an empty list clears it
        Map<String, Object> edit = InspectionFixtures.item(code, "RISK_BASED");
        edit.put("name", "改名后的事项" + code);
        asJson("planner").body(edit).put("/api/v1/inspection/items/" + id).then().statusCode(200).body("checklist.size()", equalTo(2));

        // export: the 检查要点 column, one check point a line
        byte[] xlsx = as("planner").get("/api/v1/inspection/items/export?format=xlsx&edition=2021").then().statusCode(200).extract().asByteArray();
        TabularFile.Row row = TabularFile.read(xlsx, null, 10_000).rows().stream().filter(r -> code.equals(r.get("事项代码"))).findFirst().orElseThrow();
        assertEquals(code + "-01：门前责任区堆放杂物：5\n" + code + "-02：占用人行道设摊经营：15", row.get("检查要点"));

        // an import without the column keeps the checklist (the old files still work)
        String old = "年度版本,事项代码,事项名称,法律依据,适用行业,适用重点单位类型,检查方式,抽查政策,说明,启用\n"
                + "2021," + code + ",再次改名" + code + ",《上海市市容环境卫生管理条例》第二十二条,,,现场检查,RISK_BASED,,是\n";
        as("planner").contentType("text/csv").body(old.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/items/import").then()
                .statusCode(200).body("updated", equalTo(1));
        as("planner").get("/api/v1/inspection/items/" + id).then().statusCode(200).body("name", equalTo("再次改名" + code))
                .body("checklist.size()", equalTo(2));
        // with the column: replaced; a line it cannot read is reported with its line number
        String with = "年度版本,事项代码,事项名称,法律依据,适用行业,适用重点单位类型,检查方式,抽查政策,说明,启用,检查要点\n"
                + "2021," + code + ",再次改名" + code + ",《上海市市容环境卫生管理条例》第二十二条,,,现场检查,RISK_BASED,,是,\"" + code
                + "-01：门前责任区堆放杂物：5\n" + code + "-03：招牌破损：时间：10\"\n";
        as("planner").contentType("text/csv").body(with.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/items/import").then()
                .statusCode(200).body("updated", equalTo(1));
        as("planner").get("/api/v1/inspection/items/" + id).then().statusCode(200)
                .body("checklist.code", equalTo(List.of(code + "-01", code + "-03"))).body("checklist[1].text", equalTo("招牌破损：时间"));
        String broken = with.replace("：10\"", "：很多\"");
        as("planner").contentType("text/csv").body(broken.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/items/import").then()
                .statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("checklist")).body("errors.line", hasItem(2));

        asJson("planner").body(new HashMap<>(Map.of("edition", 2021, "code", code, "name", "清空", "legalBasis", "《条例》", "mode", "ON_SITE",
                "samplingPolicy", "RISK_BASED", "checklist", List.of()))).put("/api/v1/inspection/items/" + id).then().statusCode(200)
                .body("checklist.size()", equalTo(0));
    }

    @Test
    void theResultFormOffersTheCheckPointsAndRefusesOthers() {
        SquadConsoleTest.Setup s = SquadConsoleTest.setup(1);
        long itemId = as("planner").get("/api/v1/inspection/items").then().statusCode(200).extract().jsonPath()
                .getLong("find { it.code == '" + s.item() + "' }.id");
        Map<String, Object> item = InspectionFixtures.item(s.item(), "RISK_BASED");
        item.put("checklist", List.of(point(s.item() + "-01", "门前责任区堆放杂物", 5), point(s.item() + "-02", "占用人行道设摊经营", 15)));
        asJson("planner").body(item).put("/api/v1/inspection/items/" + itemId).then().statusCode(200);
        Map<String, Object> visit = s.visits().get(0);
        long visitId = ((Number) visit.get("id")).longValue();

        // the console form: a select of the check points instead of a free code box
        String page = given().cookies(WebConsoleSecurityTest.login(SquadConsoleTest.SQUAD_USER)).get("/console/visits/" + visitId).then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("<select name=\"dedCode\""), "a select of check points");
        assertTrue(page.contains("value=\"" + s.item() + "-02\"") && page.contains("占用人行道设摊经营（最多扣 15 分）"), "the check points offered");

        Map<String, Object> r = new HashMap<>();
        r.put("itemCode", s.item());
        r.put("outcome", "ORDERED_TO_RECTIFY");
        r.put("deductions", List.of(Map.of("code", s.item() + "-09", "points", 3)));
        String path = "/api/v1/inspection/visits/" + visitId + "/result";
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("results", List.of(r))).post(path).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("results[0].deductions[0].code")).body("detail", containsString("不在事项 " + s.item() + " 的检查表中"));
        r.put("deductions", List.of(Map.of("code", s.item() + "-01", "points", 8)));
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("results", List.of(r))).post(path).then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("results[0].deductions[0].points")).body("detail", containsString("最高扣分 5 分"));
        r.put("deductions", List.of(Map.of("code", s.item().toLowerCase() + "-02", "points", 12)));
        asJson(SquadConsoleTest.SQUAD_USER).body(Map.of("results", List.of(r))).post(path).then().statusCode(201)
                .body("visit.results[0].deductions[0].code", equalTo(s.item() + "-02"));
    }

    @Test
    void theOfficeItemFormEditsTheChecklist() {
        Map<String, String> c = WebConsoleSecurityTest.login("planner");
        String code = InspectionFixtures.code("CF");
        OfficePagesTest.form(c).formParam("edition", "2026").formParam("code", code).formParam("name", "办公检查表事项").formParam("legalBasis", "《条例》第一条")
                .formParam("mode", "ON_SITE").formParam("samplingPolicy", "RISK_BASED").formParam("active", "true")
                .formParam("checklist", code + "-01 门前堆物 5").post("/console/office/items").then().statusCode(400)
                .body(containsString("id=\"err-checklist\"")).body(containsString("应写成"));
        OfficePagesTest.form(c).formParam("edition", "2026").formParam("code", code).formParam("name", "办公检查表事项").formParam("legalBasis", "《条例》第一条")
                .formParam("mode", "ON_SITE").formParam("samplingPolicy", "RISK_BASED").formParam("active", "true")
                .formParam("checklist", code + "-01：门前堆物：5\r\n\r\n" + code + "-02: 占道经营: 15").post("/console/office/items").then().statusCode(303);
        JsonPath stored = as("planner").queryParam("edition", 2026).get("/api/v1/inspection/items").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(code + "-01", code + "-02"), stored.getList("find { it.code == '" + code + "' }.checklist.code"));
        long id = stored.getLong("find { it.code == '" + code + "' }.id");
        given().cookies(c).get("/console/office/items/" + id + "/edit").then().statusCode(200)
                .body(containsString(code + "-02：占道经营：15"));
        given().cookies(c).get("/console/office/items?edition=2026").then().statusCode(200).body(containsString("2 条"));
    }
}
