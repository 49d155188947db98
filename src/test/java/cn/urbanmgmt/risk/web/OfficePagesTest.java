package cn.urbanmgmt.risk.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, the office: 办公 pages post forms (with the CSRF token, as a browser does) to the same services
 * as the API; field errors come back in zh-CN next to their field; imports show their per-line report;
 * events and corrections are entered and refused as EventPermissions says.
 */
@QuarkusTest
class OfficePagesTest {

    static RequestSpecification form(Map<String, String> cookies) {
        // As a browser posts a form: UTF-8 (REST Assured's default for forms is ISO-8859-1).
        return given().redirects().follow(false).cookies(cookies).contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE));
    }

    static RequestSpecification upload(Map<String, String> cookies, String csv, String mode) {
        return given().redirects().follow(false).cookies(cookies).multiPart(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .multiPart("file", "list.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv").multiPart("mode", mode);
    }

    static long merchantId(Response r) {
        Matcher m = Pattern.compile("/console/merchants/(\\d+)").matcher(r.getHeader("Location"));
        assertTrue(m.find(), r.getHeader("Location"));
        return Long.parseLong(m.group(1));
    }

    @Test
    void officeRegistersEditsAndClosesAMerchantWithFieldErrorsInChinese() {
        Map<String, String> c = WebConsoleSecurityTest.login("planner");
        given().cookies(c).get("/console/office").then().statusCode(200).body(containsString("登记商户")).body(containsString("执法检查人员"));
        given().cookies(c).get("/console/merchants").then().statusCode(200).body(containsString("href=\"/console/office\""));
        String uscc = TestSupport.uscc();
        // Nothing named, a control character in the address, a date that is no date: each error next to its field.
        form(c).formParam("uscc", uscc).formParam("name", "").formParam("address", "愚园路\u0007号").formParam("street", "jingansi")
                .formParam("category", "CATERING").formParam("openedOn", "2024-13-40").post("/console/office/merchants")
                .then().statusCode(400).body(containsString("id=\"err-address\">含有不允许的控制字符 U+0007"))
                .body(containsString("id=\"err-openedOn\">日期“2024-13-40”格式不正确"));
        // The service's own validation, field by field, in zh-CN; the form keeps what was typed.
        form(c).formParam("uscc", uscc).formParam("name", "").formParam("address", "愚园路1号").formParam("street", "jingansi")
                .formParam("category", "CATERING").formParam("openedOn", "2024-03-01").post("/console/office/merchants")
                .then().statusCode(400).body(containsString("id=\"err-name\">名称不能为空")).body(containsString("value=\"愚园路1号\""));
        Response created = form(c).formParam("uscc", uscc).formParam("name", "办公测试面馆").formParam("address", "愚园路1号")
                .formParam("street", "jingansi").formParam("category", "CATERING").formParam("openedOn", "2024-03-01")
                .formParam("contactName", "王五").post("/console/office/merchants");
        created.then().statusCode(303);
        long id = merchantId(created);
        given().cookies(c).get("/console/merchants/" + id + "?notice=created").then().statusCode(200).body(containsString("商户已登记"))
                .body(containsString("办公测试面馆")).body(containsString("/console/office/merchants/" + id + "/edit"));
        TestSupport.as("planner").get("/api/v1/merchants/" + id).then().statusCode(200).body("contactName", org.hamcrest.Matchers.is("王五"));
        // The same USCC again: the service's conflict, in Chinese.
        form(c).formParam("uscc", uscc).formParam("name", "重复").formParam("address", "愚园路2号").formParam("street", "jingansi")
                .formParam("category", "CATERING").formParam("openedOn", "2024-03-01").post("/console/office/merchants")
                .then().statusCode(409).body(containsString("已登记"));

        String edit = given().cookies(c).get("/console/office/merchants/" + id + "/edit").then().statusCode(200)
                .body(containsString("value=\"办公测试面馆\"")).extract().asString();
        Matcher v = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(edit);
        assertTrue(v.find());
        form(c).formParam("uscc", uscc).formParam("name", "办公测试面馆（改名）").formParam("address", "愚园路1号").formParam("street", "jingansi")
                .formParam("category", "CATERING").formParam("openedOn", "2024-03-01").formParam("status", "OPERATING")
                .formParam("version", v.group(1)).post("/console/office/merchants/" + id).then().statusCode(303);
        TestSupport.as("planner").get("/api/v1/merchants/" + id).then().body("name", org.hamcrest.Matchers.is("办公测试面馆（改名）"));
        form(c).post("/console/office/merchants/" + id + "/close").then().statusCode(303);
        TestSupport.as("planner").get("/api/v1/merchants/" + id).then().body("status", org.hamcrest.Matchers.is("CLOSED"));
        // Without the CSRF token nothing happens.
        given().redirects().follow(false).cookies(c).formParam("name", "x").post("/console/office/merchants/" + id).then().statusCode(400);
        // A rule author has no 办公 pages.
        given().cookies(WebConsoleSecurityTest.login("author")).get("/console/office/merchants/new").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("无权访问"));
    }

    @Test
    void merchantImportShowsItsPerLineReport() {
        Map<String, String> c = WebConsoleSecurityTest.login("planner");
        given().cookies(c).get("/console/office/merchants/import").then().statusCode(200).body(containsString("统一社会信用代码、名称、地址"));
        String good = TestSupport.uscc();
        String csv = "统一社会信用代码,名称,地址,街镇,行业类别,开业日期\n"
                + good + ",导入测试商店,常德路5号,静安寺街道,零售,2023-01-02\n"
                + "123,坏行,常德路6号,不存在街道,零售,2023-01-02\n";
        // All or nothing: refused, each bad cell with its line and column (zh-CN header), nothing imported.
        upload(c, csv, "ALL_OR_NOTHING").post("/console/office/merchants/import").then().statusCode(400)
                .body(containsString("id=\"import-refused\"")).body(containsString("第 3 行")).body(containsString("<td>街镇</td>"))
                .body(containsString("<td>统一社会信用代码</td>")).body(not(containsString("<td>uscc</td>")));
        TestSupport.as("planner").get("/api/v1/merchants/by-uscc/" + good).then().statusCode(404);
        upload(c, csv, "PARTIAL").post("/console/office/merchants/import").then().statusCode(200)
                .body(containsString("新增 1")).body(containsString("未导入 1")).body(containsString("第 3 行"));
        TestSupport.as("planner").get("/api/v1/merchants/by-uscc/" + good).then().statusCode(200);
        // No file chosen.
        given().redirects().follow(false).cookies(c).multiPart(WebConsoleSecurityTest.CSRF, c.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .multiPart("mode", "PARTIAL").post("/console/office/merchants/import").then().statusCode(400).body(containsString("请选择要导入的文件"));
    }

    @Test
    void inspectorsAndItemsAreManagedInTheOffice() {
        Map<String, String> c = WebConsoleSecurityTest.login("planner");
        String code = InspectionFixtures.code("OF");
        form(c).formParam("edition", "二〇二六").formParam("code", code).formParam("name", "办公测试事项").formParam("legalBasis", "《条例》第一条")
                .formParam("mode", "ON_SITE").formParam("samplingPolicy", "RISK_BASED").post("/console/office/items")
                .then().statusCode(400).body(containsString("id=\"err-edition\">“二〇二六”不是有效的整数"));
        form(c).formParam("edition", "2026").formParam("code", code).formParam("name", "").formParam("legalBasis", "《条例》第一条")
                .formParam("mode", "ON_SITE").formParam("samplingPolicy", "RISK_BASED").post("/console/office/items")
                .then().statusCode(400).body(containsString("id=\"err-name\">事项名称不能为空"));
        form(c).formParam("edition", "2026").formParam("code", code).formParam("name", "办公测试事项").formParam("legalBasis", "《条例》第一条")
                .formParam("mode", "ON_SITE").formParam("samplingPolicy", "RISK_BASED").formParam("categories", "CATERING")
                .formParam("active", "true").post("/console/office/items").then().statusCode(303);
        given().cookies(c).get("/console/office/items?edition=2026").then().statusCode(200)
                .body(containsString(code)).body(containsString("餐饮")).body(containsString("现场检查"));
        long itemId = TestSupport.as("planner").get("/api/v1/inspection/items?edition=2026").then().extract().jsonPath()
                .getLong("find { it.code == '" + code + "' }.id");
        given().cookies(c).get("/console/office/items/" + itemId + "/edit").then().statusCode(200).body(containsString("value=\"" + code + "\""));

        // An inspector qualified for the new item; a bad badge number is refused next to the field.
        form(c).formParam("badgeNo", "坏 证号").formParam("name", "赵六").formParam("squad", "sq-jingansi").post("/console/office/inspectors")
                .then().statusCode(400).body(containsString("id=\"err-badgeNo\">执法证号只能由大写字母"));
        String badge = InspectionFixtures.badge();
        form(c).formParam("badgeNo", badge).formParam("name", "赵六").formParam("squad", "sq-jingansi").formParam("active", "true")
                .formParam("qualifiedItems", code).formParam("conflictPersons", "王五\n李四").post("/console/office/inspectors").then().statusCode(303);
        given().cookies(c).get("/console/office/inspectors?q=" + badge).then().statusCode(200).body(containsString("赵六"))
                .body(containsString("静安寺")).body(containsString(code)).body(containsString("2 人"));
        // Import: one good row, one with an unknown squad, reported by line and column.
        String badge2 = InspectionFixtures.badge();
        String csv = "执法证号,姓名,所属中队,在岗,检查资格事项\n" + badge2 + ",钱七,sq-jingansi,是," + code + "\n"
                + InspectionFixtures.badge() + ",孙八,不存在中队,是,\n";
        upload(c, csv, "PARTIAL").post("/console/office/inspectors/import").then().statusCode(200)
                .body(containsString("新增 1")).body(containsString("第 3 行")).body(containsString("<td>所属中队</td>"));
        TestSupport.as("planner").get("/api/v1/inspection/inspectors?q=" + badge2).then().statusCode(200);
        // A squad may look at the list but not edit it.
        Map<String, String> squad = WebConsoleSecurityTest.login("squad-jingansi");
        given().cookies(squad).get("/console/office/inspectors").then().statusCode(200).body(not(containsString("新增人员")));
        given().cookies(squad).get("/console/office/inspectors/new").then().statusCode(403);

        // The item is used by no plan: it can be deleted.
        form(c).post("/console/office/items/" + itemId + "/delete").then().statusCode(303);
        given().cookies(c).get("/console/office/items?edition=2026").then().body(not(containsString(">" + code + "<")));
    }

    @Test
    void eventsAndCorrectionsAreEnteredWithPermissionsRespected() {
        Map<String, String> planner = WebConsoleSecurityTest.login("planner");
        long merchant = InspectionFixtures.register(java.util.List.of(InspectionFixtures.M.of("jingansi"))).values().iterator().next();
        given().cookies(planner).get("/console/office/events/new?merchant=" + merchant + "&type=COMPLAINT").then().statusCode(200)
                .body(containsString("投诉渠道")).body(containsString("管理台录入")).body(not(containsString("信用记录</a>")));
        // A missing field is named in Chinese, not by its API name.
        form(planner).formParam("type", "COMPLAINT").formParam("uscc", uscc(merchant)).formParam("occurredAt", LocalDate.now().minusDays(2).toString())
                .formParam("source", "12345").formParam("channel", "HOTLINE_12345").post("/console/office/events")
                .then().statusCode(400).body(containsString("id=\"err-complaintCategory\">投诉工单必须填写 投诉类别"))
                .body(not(containsString("complaintCategory</")));
        form(planner).formParam("type", "COMPLAINT").formParam("uscc", uscc(merchant)).formParam("occurredAt", LocalDate.now().minusDays(2).toString())
                .formParam("source", "12345").formParam("channel", "HOTLINE_12345").formParam("complaintCategory", "油烟扰民")
                .formParam("verified", "true").post("/console/office/events")
                .then().statusCode(201).body(containsString("事件已登记")).body(containsString("12345 热线")).body(containsString("id=\"grade-now\""));
        String page = given().cookies(planner).get("/console/merchants/" + merchant).then().statusCode(200)
                .body(containsString("12345 热线：")).extract().asString();
        Matcher m = Pattern.compile("/console/office/events/(\\d+)/correct").matcher(page);
        assertTrue(m.find(), "a correction link on the merchant's event");
        long eventId = Long.parseLong(m.group(1));
        // A planner may not record credit: refused in Chinese, nothing stored.
        form(planner).formParam("type", "CREDIT").formParam("uscc", uscc(merchant)).formParam("occurredAt", LocalDate.now().toString())
                .formParam("creditAction", "LISTED").post("/console/office/events").then().statusCode(403)
                .body(containsString("无权登记")).body(containsString("信用记录")).body(not(containsString("（CREDIT）")));
        // A squad may not correct what the office recorded: 更正被拒绝, with the reason.
        Map<String, String> squad = WebConsoleSecurityTest.login("squad-jingansi");
        given().cookies(squad).get("/console/office/events/" + eventId + "/correct").then().statusCode(200).body(containsString("更正事件"));
        form(squad).formParam("type", "COMPLAINT").formParam("uscc", uscc(merchant)).formParam("supersedesId", String.valueOf(eventId))
                .formParam("occurredAt", LocalDate.now().minusDays(2).toString()).formParam("channel", "HOTLINE_12345")
                .formParam("complaintCategory", "油烟扰民").formParam("verified", "false").post("/console/office/events")
                .then().statusCode(403).body(containsString("更正被拒绝")).body(containsString("执法队只能更正本中队人员"));
        // The planner corrects it (found unfounded): the old one is marked, the merchant regraded.
        form(planner).formParam("type", "COMPLAINT").formParam("uscc", uscc(merchant)).formParam("supersedesId", String.valueOf(eventId))
                .formParam("occurredAt", LocalDate.now().minusDays(2).toString()).formParam("channel", "HOTLINE_12345")
                .formParam("complaintCategory", "油烟扰民").formParam("verified", "false").post("/console/office/events")
                .then().statusCode(201).body(containsString("更正已登记"));
        given().cookies(planner).get("/console/merchants/" + merchant).then().body(containsString("（已被更正）")).body(containsString("管理台录入："))
                .body(not(containsString(">console")));
        // The credit officer records credit (no merchant page for that role: the result page does not link it).
        Map<String, String> credit = WebConsoleSecurityTest.login("sun.credit");
        form(credit).formParam("type", "CREDIT").formParam("uscc", uscc(merchant)).formParam("occurredAt", LocalDate.now().toString())
                .formParam("source", "credit").formParam("creditAction", "LISTED").post("/console/office/events").then().statusCode(201)
                .body(containsString("信用管理系统")).body(containsString("列入严重失信名单")).body(not(containsString("查看商户")));
    }

    static String uscc(long merchantId) {
        return TestSupport.as("admin").get("/api/v1/merchants/" + merchantId).then().extract().jsonPath().getString("uscc");
    }

    @Test
    void candidateAndDrawnListsHaveChineseHeadersAndABom() {
        String item = InspectionFixtures.code("OC");
        InspectionFixtures.createItem(item, "RISK_BASED");
        InspectionFixtures.staff(2, "sq-jingansi", java.util.List.of(item));
        var ms = java.util.List.of(InspectionFixtures.M.of("jingansi").opened(InspectionFixtures.today().minusDays(10)));
        InspectionFixtures.register(ms);
        long plan = InspectionFixtures.createPlan(InspectionFixtures.plan(java.util.List.of(item), ms.stream().map(InspectionFixtures.M::uscc).toList()))
                .getLong("id");
        Map<String, String> c = WebConsoleSecurityTest.login("planner");
        given().cookies(c).get("/console/plans/" + plan).then().statusCode(200).body(containsString("/console/plans/" + plan + "/candidates?format=csv"));
        byte[] cand = given().cookies(c).get("/console/plans/" + plan + "/candidates?format=csv").then().statusCode(200)
                .header("Content-Type", containsString("text/csv")).extract().asByteArray();
        String text = new String(cand, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF事项代码,分层,抽查比例（%）,按周抽查,统一社会信用代码"), text);
        assertTrue(text.contains(ms.get(0).uscc()));
        String drawn = new String(given().cookies(c).get("/console/plans/" + plan + "/drawn?format=csv").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\uFEFF事项代码,分层,周次,统一社会信用代码"), drawn);
        assertEquals(2, drawn.strip().lines().count(), drawn);
        // The machine-readable originals are unchanged (their SHA-256 is the plan's digest).
        TestSupport.as("planner").get("/api/v1/inspection/plans/" + plan + "/candidates.csv").then().statusCode(200)
                .body(org.hamcrest.Matchers.startsWith("item_code,stratum,percent,weekly,uscc"));
    }
}
