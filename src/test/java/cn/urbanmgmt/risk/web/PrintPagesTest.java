package cn.urbanmgmt.risk.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Issue 16, point 5: the squad's day list and a visit's 检查记录 as PDF with an embedded Chinese font. */
@QuarkusTest
class PrintPagesTest {

    static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void dayListAndInspectionRecordArePdfsWithTheChineseMerchantName() throws IOException {
        String item = InspectionFixtures.code("PR");
        InspectionFixtures.createItem(item, "RISK_BASED");
        List<String> team = InspectionFixtures.staff(2, "sq-caojiadu", List.of(item));
        var m = InspectionFixtures.M.of("caojiadu").opened(InspectionFixtures.today().minusDays(10));
        long merchantId = InspectionFixtures.register(List.of(m)).get(m.uscc());
        String name = TestSupport.as("admin").get("/api/v1/merchants/" + merchantId).then().extract().jsonPath().getString("name");
        long plan = InspectionFixtures.createPlan(InspectionFixtures.plan(List.of(item), List.of(m.uscc()))).getLong("id");
        Map<String, Object> visit = InspectionFixtures.visits(plan).get(0);
        long visitId = ((Number) visit.get("id")).longValue();

        Map<String, String> squad = WebConsoleSecurityTest.login("squad-caojiadu");
        byte[] list = given().cookies(squad).get("/console/print/visits.pdf?date=" + InspectionFixtures.today()).then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        String listText = text(list);
        assertTrue(listText.contains(name), listText);
        assertTrue(listText.contains("检查任务清单"), listText);
        assertTrue(listText.replaceAll("\\s", "").contains(m.uscc()), listText); // a narrow cell may wrap it

        byte[] record = given().cookies(squad).get("/console/print/visits/" + visitId + "/record.pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        String recordText = text(record);
        assertTrue(recordText.contains("双随机抽查检查记录"), recordText);
        assertTrue(recordText.contains(name), recordText);
        assertTrue(recordText.contains("被检查单位负责人（签名）"), recordText);
        assertTrue(new String(record, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/FontFile2"), "the font is embedded");

        // Another squad does not get it; anonymous visitors go to the login page.
        given().cookies(WebConsoleSecurityTest.login("squad-jingansi")).get("/console/print/visits/" + visitId + "/record.pdf").then()
                .statusCode(404).contentType(containsString("text/html")).body(containsString("不存在"));
        given().redirects().follow(false).get("/console/print/visits/" + visitId + "/record.pdf").then().statusCode(302);
        // The office picks the squad; a bad date is a zh-CN page.
        given().cookies(WebConsoleSecurityTest.login("planner")).get("/console/print/visits.pdf?squad=sq-caojiadu&date=2026-02-31").then()
                .statusCode(400).contentType(containsString("text/html")).body(containsString("日期"));
        assertTrue(team.size() == 2);
    }
}
