package cn.urbanmgmt.risk.outcomes;

import static cn.urbanmgmt.risk.TestSupport.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.SQLException;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Outcome measures over a small 2014 history of one street, every figure worked out by hand. */
@QuarkusTest
class OutcomeTest {

    static final String STREET = "linfenlu";
    static final String PERIOD = "from=2014-01-01&to=2014-12-31&street=临汾路街道";
    static final double EPS = 1e-9;

    @Inject
    AgroalDataSource dataSource;

    static boolean written;

    void history() throws SQLException {
        if (written) return;
        written = true;
        long p = OutcomeFixtures.retail(STREET);
        long q = OutcomeFixtures.retail(STREET);
        long r = OutcomeFixtures.retail(STREET);
        OutcomeFixtures.inspector(dataSource, "T17-A", "测试检查员甲", "sq-linfenlu");
        OutcomeFixtures.inspector(dataSource, "T17-B", "测试检查员乙", "sq-mobile");
        // Grades before the visits: P RED, Q GREEN, R never graded before (its API grade is from today).
        OutcomeFixtures.gradeHistory(dataSource, p, "RED", "2013-12-01");
        OutcomeFixtures.gradeHistory(dataSource, q, "GREEN", "2013-12-01");

        OutcomeFixtures.inspection(dataSource, p, "2014-03-01", "SC-01", "CASE_OPENED", "T17-A,T17-B", null);
        OutcomeFixtures.inspection(dataSource, p, "2014-04-01", "SC-01", "NO_PROBLEM", "T17-A", null);
        OutcomeFixtures.inspection(dataSource, q, "2014-03-05", "SC-01", "RECTIFIED_ON_SPOT", "T17-B", null);
        OutcomeFixtures.inspection(dataSource, q, "2014-03-05", "GS-01", "NO_PROBLEM", "T17-B", null);
        OutcomeFixtures.inspection(dataSource, q, "2014-05-01", "GS-01", "NO_PROBLEM", "T17-A", null);
        OutcomeFixtures.inspection(dataSource, r, "2014-06-01", "SC-01", "ORDERED_TO_RECTIFY", "T17-B", null);
        OutcomeFixtures.inspection(dataSource, r, "2014-07-01", "SC-01", "NOT_FOUND", "T17-B", null);
        OutcomeFixtures.inspection(dataSource, q, "2015-01-01", "SC-01", "CASE_OPENED", "T17-A", null);

        OutcomeFixtures.complaint(dataSource, p, "2014-02-01", "油烟扰民", true);
        OutcomeFixtures.complaint(dataSource, p, "2014-03-01", "油烟扰民", false);
        OutcomeFixtures.complaint(dataSource, p, "2014-04-01", "油烟扰民", null);
        OutcomeFixtures.complaint(dataSource, q, "2014-02-01", "噪声扰民", false);
        OutcomeFixtures.caseEvent(dataSource, p, "2014-03-02", "2014-03-02", "ORDINARY", true, 1000, null);
        OutcomeFixtures.caseEvent(dataSource, q, "2014-03-15", "2014-03-15", "MINOR", false, 500, null);
        OutcomeFixtures.caseEvent(dataSource, r, "2014-04-20", "2014-04-20", "SERIOUS", true, 2000, null);
    }

    static JsonPath json(String body) {
        return new JsonPath(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @Test
    void measuresMatchTheHandComputation() throws Exception {
        history();
        JsonPath o = json(as("planner").get("/api/v1/outcomes?" + PERIOD).then().statusCode(200).extract().asString());
        // Visits: P 03-01 case opened, P 04-01 none, Q 03-05 rectified (two results, one visit), Q 05-01 none, R 06-01 ordered.
        // R 07-01 (not found) and Q 2015-01-01 (outside) do not count.
        assertEquals(5, o.getInt("visits"));
        assertEquals(3, o.getInt("problemVisits"));
        double overall = 3.0 / 5;
        assertEquals(overall, o.getDouble("hitRate"), EPS);
        // By the grade before the visit: RED {P 03-01 yes, P 04-01 no}, GREEN {Q 03-05 yes, Q 05-01 no}, never graded {R 06-01 yes}.
        assertFindings(o, "RED", 2, 1, 0, 0, 1, 0.5, 0.5 / overall);
        assertFindings(o, "GREEN", 2, 1, 1, 0, 0, 0.5, 0.5 / overall);
        assertFindings(o, "UNGRADED", 1, 1, 0, 1, 0, 1.0, 1.0 / overall);
        assertEquals(0, o.getInt("byGrade.find { it.key == 'YELLOW' }.visits"));

        // Inspector A: P 03-01 (yes, RED), P 04-01 (no, RED), Q 05-01 (no, GREEN): 1 of 3; expected 0.5 + 0.5 + 0.5 = 1.5.
        // Inspector B: P 03-01 (yes, RED), Q 03-05 (yes, GREEN), R 06-01 (yes, never graded): 3 of 3; expected 0.5 + 0.5 + 1 = 2.
        assertPeople(o, "byInspector", "T17-A", 3, 1, 1.5, 1 / 1.5);
        assertPeople(o, "byInspector", "T17-B", 3, 3, 2.0, 3 / 2.0);
        assertEquals("测试检查员甲", o.getString("byInspector.find { it.key == 'T17-A' }.name"));
        assertEquals("sq-linfenlu", o.getString("byInspector.find { it.key == 'T17-A' }.squad"));
        assertPeople(o, "bySquad", "sq-linfenlu", 3, 1, 1.5, 1 / 1.5);
        assertPeople(o, "bySquad", "sq-mobile", 3, 3, 2.0, 3 / 2.0);
        assertEquals("机动执法中队", o.getString("bySquad.find { it.key == 'sq-mobile' }.name"));

        // Complaints: 4; checked 3, unfounded 2 (2/3); P's 油烟扰民 repeated twice (2/4).
        // Cases: 3, two from complaints: 诉转案率 2/4; fines 3,500.
        assertEquals(4, o.getInt("complaints.complaints"));
        assertEquals(3, o.getInt("complaints.checked"));
        assertEquals(2, o.getInt("complaints.unfounded"));
        assertEquals(2.0 / 3, o.getDouble("complaints.unfoundedShare"), EPS);
        assertEquals(2, o.getInt("complaints.repeated"));
        assertEquals(0.5, o.getDouble("complaints.repeatedShare"), EPS);
        assertEquals(3, o.getInt("complaints.cases"));
        assertEquals(2, o.getInt("complaints.casesFromComplaints"));
        assertEquals(0.5, o.getDouble("complaints.complaintToCaseRate"), EPS);
        assertEquals(3500.0, o.getDouble("complaints.fineYuan"), EPS);
        assertEquals(2, o.getInt("casesByStreetMonth.size()"));
        assertEquals("2014-03", o.getString("casesByStreetMonth[0].month"));
        assertEquals(2, o.getInt("casesByStreetMonth[0].cases"));
        assertEquals(1500.0, o.getDouble("casesByStreetMonth[0].fineYuan"), EPS);
        assertEquals("临汾路街道", o.getString("casesByStreetMonth[0].streetName"));
        assertEquals(2000.0, o.getDouble("casesByStreetMonth[1].fineYuan"), EPS);

        // No plan in 2014; today's grade shares against the configured target (98.9 / 1 / 0.1).
        assertEquals(0, o.getInt("planCompletion.size()"));
        assertEquals(98.9, o.getDouble("gradeShares.find { it.grade == 'GREEN' }.targetPercent"), EPS);
        double sum = o.getDouble("gradeShares[0].sharePercent") + o.getDouble("gradeShares[1].sharePercent") + o.getDouble("gradeShares[2].sharePercent");
        long open = (long) (o.getDouble("gradeShares[0].merchants") + o.getDouble("gradeShares[1].merchants") + o.getDouble("gradeShares[2].merchants"));
        assertEquals(open == 0 ? 0.0 : 100.0, sum, 0.05); // the test's own merchants are closed: the street may have none open

        // With today's grades instead, all three merchants are GREEN (retail, no events since 2015): 3 of 5.
        JsonPath current = json(as("planner").get("/api/v1/outcomes?" + PERIOD + "&gradeBasis=CURRENT").then().statusCode(200).extract().asString());
        assertEquals(5, current.getInt("byGrade.find { it.key == 'GREEN' }.visits"));
        assertNull(current.get("byGrade.find { it.key == 'UNGRADED' }"));

        // A target of one's own.
        as("planner").get("/api/v1/outcomes?" + PERIOD + "&target=绿:90,黄:8,红:2").then().statusCode(200)
                .body("gradeShares.find { it.grade == 'RED' }.targetPercent", equalTo(2.0f));
    }

    @Test
    void excelExportHasZhCnSheetsAndHeaders() throws Exception {
        history();
        byte[] xlsx = as("planner").get("/api/v1/outcomes/export?" + PERIOD).then().statusCode(200)
                .contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").extract().asByteArray();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet grades = wb.getSheet("按等级");
            assertEquals("分组", grades.getRow(0).getCell(0).getStringCellValue());
            assertEquals("命中率", grades.getRow(0).getCell(6).getStringCellValue());
            assertEquals("红色（高风险）", grades.getRow(1).getCell(0).getStringCellValue());
            assertEquals(2.0, grades.getRow(1).getCell(1).getNumericCellValue(), EPS);
            Sheet people = wb.getSheet("按检查人员");
            assertEquals("按等级预期发现问题次数", people.getRow(0).getCell(6).getStringCellValue());
            assertTrue(wb.getSheet("投诉与诉转案") != null && wb.getSheet("案件与罚款") != null && wb.getSheet("计划完成情况") != null
                    && wb.getSheet("等级占比与目标") != null && wb.getSheet("按抽查分层") != null && wb.getSheet("按执法队") != null);
            assertEquals("诉转案率（由投诉转立的案件数 / 投诉数）", wb.getSheet("投诉与诉转案").getRow(9).getCell(0).getStringCellValue());
            assertEquals(0.5, wb.getSheet("投诉与诉转案").getRow(9).getCell(1).getNumericCellValue(), EPS);
        }
    }

    @Test
    void dashboardShowsTheMeasures() throws Exception {
        history();
        java.util.Map<String, String> session = OutcomeFixtures.consoleLogin("planner");
        String page = io.restassured.RestAssured.given().cookies(session).get("/console/outcomes?from=2014-01-01&to=2014-12-31&street=linfenlu")
                .then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(page, org.hamcrest.Matchers.allOf(
                org.hamcrest.Matchers.containsString("id=\"oc-visits\">5<"),
                org.hamcrest.Matchers.containsString("id=\"oc-s2c\">50.0%<"),
                org.hamcrest.Matchers.containsString("测试检查员乙（T17-B）"),
                org.hamcrest.Matchers.containsString("/api/v1/outcomes/export?from=2014-01-01&amp;to=2014-12-31&amp;street=linfenlu"),
                org.hamcrest.Matchers.containsString("data-nav=\"outcomes\"")));
        // A bad date is a page naming the problem, not a 500.
        io.restassured.RestAssured.given().cookies(session).get("/console/outcomes?from=2014-99-01").then().statusCode(400);
    }

    @Test
    void scopeByCategoryCountsOnlyThatCategory() throws Exception {
        history();
        // The street's 2014 history is all retail: scoped to 零售 the figures are those of the whole street,
        // scoped to 餐饮 nothing is left.
        JsonPath retail = json(as("planner").get("/api/v1/outcomes?" + PERIOD + "&category=零售").then().statusCode(200).extract().asString());
        assertEquals("RETAIL", retail.getString("category"));
        assertEquals("零售", retail.getString("categoryName"));
        assertEquals(5, retail.getInt("visits"));
        assertEquals(4, retail.getInt("complaints.complaints"));
        assertEquals(3, retail.getInt("complaints.cases"));
        JsonPath catering = json(as("planner").get("/api/v1/outcomes?" + PERIOD + "&category=CATERING").then().statusCode(200).extract().asString());
        assertEquals(0, catering.getInt("visits"));
        assertEquals(0, catering.getInt("complaints.complaints"));
        assertEquals(0, catering.getInt("complaints.cases"));
        assertEquals(0, catering.getInt("byInspector.size()"));
        as("planner").get("/api/v1/outcomes?category=火锅").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("category"));
        // The dashboard keeps the category in its filter and in the export link.
        java.util.Map<String, String> session = OutcomeFixtures.consoleLogin("planner");
        io.restassured.RestAssured.given().cookies(session).get("/console/outcomes?from=2014-01-01&to=2014-12-31&street=linfenlu&category=RETAIL")
                .then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("<option value=\"RETAIL\" selected>零售</option>"),
                        org.hamcrest.Matchers.containsString("&amp;category=RETAIL"));
    }

    @Test
    void badParametersNameTheParameter() {
        as("planner").get("/api/v1/outcomes?from=2014-02-30").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("from"));
        as("planner").get("/api/v1/outcomes?from=2015-01-01&to=2014-01-01").then().statusCode(400).body("errors[0].field", equalTo("from"));
        as("planner").get("/api/v1/outcomes?street=火星街道").then().statusCode(400).body("errors[0].field", equalTo("street"));
        as("planner").get("/api/v1/outcomes?gradeBasis=LATER").then().statusCode(400).body("errors[0].field", equalTo("gradeBasis"));
        as("planner").get("/api/v1/outcomes?target=GREEN:90,RED:5").then().statusCode(400).body("errors[0].field", equalTo("target"));
        as("planner").get("/api/v1/outcomes/export?target=GREEN:x,YELLOW:1,RED:1").then().statusCode(400).body("errors[0].field", equalTo("target"));
        as("squad-jingansi").get("/api/v1/outcomes").then().statusCode(403);
    }

    static void assertFindings(JsonPath o, String key, int visits, int problems, int rectified, int ordered, int caseOpened, double hit, double lift) {
        String p = "byGrade.find { it.key == '" + key + "' }.";
        assertEquals(visits, o.getInt(p + "visits"), key);
        assertEquals(problems, o.getInt(p + "problemVisits"), key);
        assertEquals(rectified, o.getInt(p + "rectifiedOnSpot"), key);
        assertEquals(ordered, o.getInt(p + "orderedToRectify"), key);
        assertEquals(caseOpened, o.getInt(p + "caseOpened"), key);
        assertEquals(hit, o.getDouble(p + "hitRate"), EPS, key);
        assertEquals(lift, o.getDouble(p + "lift"), EPS, key);
    }

    static void assertPeople(JsonPath o, String list, String key, int visits, int problems, double expected, double ratio) {
        String p = list + ".find { it.key == '" + key + "' }.";
        assertEquals(visits, o.getInt(p + "visits"), key);
        assertEquals(problems, o.getInt(p + "problemVisits"), key);
        assertEquals(expected, o.getDouble(p + "expectedProblemVisits"), EPS, key);
        assertEquals(ratio, o.getDouble(p + "observedToExpected"), EPS, key);
    }
}
