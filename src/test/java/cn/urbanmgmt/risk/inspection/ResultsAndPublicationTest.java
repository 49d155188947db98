package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.credit;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.makeYellow;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.visits;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.inspection.results.WorkingDays;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Squads carry out and record visits; planners follow progress and publish; the public sees only what was published. */
@QuarkusTest
class ResultsAndPublicationTest {

    @Inject
    AgroalDataSource db;

    void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    record Setup(String item, long planId, List<M> merchants, Map<String, Long> ids, List<String> staff) {
    }

    /** Four new merchants in a street (all drawn), staffed by its squad. */
    Setup setup(String street, String squad, String category) {
        String item = code("TR");
        createItem(item, "RISK_BASED");
        List<String> team = staff(3, squad, List.of(item));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            M m = M.of(street).opened(today().minusDays(20));
            ms.add(new M(m.uscc(), street, category, false, null, "OPERATING", m.openedOn(), null));
        }
        Map<String, Long> ids = register(ms);
        JsonPath p = createPlan(plan(List.of(item), ms.stream().map(M::uscc).toList()));
        return new Setup(item, p.getLong("id"), ms, ids, team);
    }

    static Map<String, Object> result(String item, String outcome) {
        return Map.of("inspectedOn", today().toString(), "results", List.of(Map.of("itemCode", item, "outcome", outcome, "findings", "门前堆放杂物")));
    }

    @Test
    void squadsSeeAndExportOnlyTheirOwnVisits() {
        Setup s = setup("tianmuxilu", "sq-tianmuxilu", "RETAIL");
        as("squad-tianmuxilu").get("/api/v1/inspection/plans/" + s.planId() + "/visits").then().statusCode(200)
                .body("total", is(4)).body("items.squad", everyItem(equalTo("sq-tianmuxilu")))
                .body("items[0].inspectors[0].badgeNo", notNullValue()).body("items[0].merchantName", notNullValue());
        as("squad-jingansi").get("/api/v1/inspection/plans/" + s.planId() + "/visits").then().statusCode(200).body("total", is(0));
        long visitId = as("planner").get("/api/v1/inspection/plans/" + s.planId() + "/visits").then().extract().jsonPath().getLong("items[0].id");
        as("squad-jingansi").get("/api/v1/inspection/visits/" + visitId).then().statusCode(404).contentType("application/problem+json");
        as("squad-jingansi").contentType("application/json").body(result(s.item(), "NO_PROBLEM"))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(404);

        byte[] csv = as("squad-tianmuxilu").get("/api/v1/inspection/visits/export?planId=" + s.planId()).then().statusCode(200)
                .header("Content-Type", containsString("text/csv")).extract().asByteArray();
        TabularFile.Content c = TabularFile.read(csv, null, 1000);
        assertEquals(List.of("计划编号", "计划名称", "序号", "统一社会信用代码", "商户名称", "地址", "街镇", "负责中队", "检查期开始", "检查期结束",
                "周次", "检查事项", "抽取分层", "检查人员", "状态", "是否逾期", "完成时间"), c.headers());
        assertEquals(4, c.rows().size());
        assertTrue(c.rows().get(0).get("检查人员").contains("（"), "name (badge)");
        byte[] xlsx = as("squad-tianmuxilu").get("/api/v1/inspection/plans/" + s.planId() + "/visits/export?format=xlsx").then().statusCode(200)
                .extract().asByteArray();
        assertEquals(4, TabularFile.read(xlsx, null, 1000).rows().size());
        assertEquals(0, TabularFile.read(as("squad-jingansi").get("/api/v1/inspection/visits/export?planId=" + s.planId())
                .then().statusCode(200).extract().asByteArray(), null, 1000).rows().size());
        as("squad-tianmuxilu").get("/api/v1/inspection/visits/export?format=pdf").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("format"));
        // squads see no seed
        as("squad-tianmuxilu").get("/api/v1/inspection/plans/" + s.planId()).then().statusCode(200).body("seed", nullValue())
                .body("seedCommitment", notNullValue());
    }

    @Test
    void aRecordedResultBecomesAnInspectionEventAndRegradesAtOnce() {
        Setup s = setup("jiangninglu", "sq-jiangninglu", "CATERING");
        String uscc = s.merchants().get(0).uscc();
        long merchantId = s.ids().get(uscc);
        makeYellow(merchantId); // 40 + 5 (catering) = 45: YELLOW
        long visitId = visits(s.planId()).stream().filter(v -> v.get("uscc").equals(uscc)).map(v -> ((Number) v.get("id")).longValue())
                .findFirst().orElseThrow();
        JsonPath r = as("squad-jiangninglu").contentType("application/json").body(result(s.item(), "CASE_OPENED"))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(201).extract().jsonPath();
        assertEquals("YELLOW", r.getString("grade.previousGrade"));
        assertEquals("RED", r.getString("grade.grade"), "45 + 25 for a case opened on inspection = 70: RED");
        assertEquals("DONE", r.getString("visit.status"));
        assertEquals("CASE_OPENED", r.getString("visit.results[0].outcome"));
        assertEquals(WorkingDays.add(today(), 20, Set.of()).toString(), r.getString("visit.results[0].publishDeadline"));
        long eventId = r.getLong("eventIds[0]");
        as("planner").get("/api/v1/events/" + eventId).then().statusCode(200).body("type", equalTo("INSPECTION"))
                .body("source", equalTo("double-random")).body("itemCode", equalTo(s.item())).body("outcome", equalTo("CASE_OPENED"))
                .body("inspectors", containsString(s.staff().get(0).substring(0, 2)));
        as("planner").get("/api/v1/merchants/" + merchantId + "/grade").then().body("grade", equalTo("RED"))
                .body("reasons.rule", hasItem("一年内检查后立案查处"));
        // once only
        as("squad-jiangninglu").contentType("application/json").body(result(s.item(), "NO_PROBLEM"))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(409).contentType("application/problem+json");
        as("planner").get("/api/v1/inspection/plans/" + s.planId() + "/progress").then().statusCode(200)
                .body("visits", is(4)).body("done", is(1)).body("pending", is(3)).body("overdue", is(0))
                .body("resultsRecorded", is(1)).body("resultsPublished", is(0))
                .body("squads[0].squad", equalTo("sq-jiangninglu"));
    }

    @Test
    void badResultsAreRefusedNamingTheField() {
        Setup s = setup("daninglu", "sq-daninglu", "RETAIL");
        long visitId = ((Number) visits(s.planId()).get(0).get("id")).longValue();
        String url = "/api/v1/inspection/visits/" + visitId + "/result";
        as("squad-daninglu").contentType("application/json").body(Map.of("results", List.of()))
                .post(url).then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("results"));
        as("squad-daninglu").contentType("application/json")
                .body(Map.of("results", List.of(Map.of("itemCode", "NOPE-1", "outcome", "NO_PROBLEM"))))
                .post(url).then().statusCode(400).body("errors.field", hasItem("results[0].itemCode")).body("errors.field", hasItem("results"));
        as("squad-daninglu").contentType("application/json")
                .body(Map.of("results", List.of(Map.of("itemCode", s.item(), "score", 120))))
                .post(url).then().statusCode(400).body("errors.field", hasItem("results[0].outcome")).body("errors.field", hasItem("results[0].score"));
        as("squad-daninglu").contentType("application/json")
                .body(Map.of("inspectedOn", today().plusDays(3).toString(), "results", List.of(Map.of("itemCode", s.item(), "outcome", "NO_PROBLEM"))))
                .post(url).then().statusCode(400).body("errors[0].field", equalTo("inspectedOn"));
        as("squad-daninglu").contentType("application/json").body("{\"inspectedOn\":\"yesterday\",\"results\":[]}")
                .post(url).then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("inspectedOn"));
        as("squad-daninglu").contentType("application/json")
                .body(Map.of("results", List.of(Map.of("itemCode", s.item(), "outcome", "MAYBE"))))
                .post(url).then().statusCode(400).body("detail", containsString("NO_PROBLEM"));
        as("planner").contentType("application/json").body(result(s.item(), "NO_PROBLEM")).post(url).then().statusCode(403);
    }

    @Test
    void publicEndpointsShowOnlyWhatWasPublishedAndNeverTheListBeforeThePeriodEnds() throws Exception {
        Setup s = setup("daninglu", "sq-daninglu", "RETAIL");
        long id = s.planId();
        List<String> usccs = s.merchants().stream().map(M::uscc).toList();
        // not published: does not exist for the public
        given().get("/api/v1/public/plans/" + id).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/public/plans").then().statusCode(200).body("id", not(hasItem((int) id)));
        as("planner").post("/api/v1/inspection/plans/" + id + "/publish-notice").then().statusCode(200).body("noticePublishedAt", notNullValue());
        String notice = given().get("/api/v1/public/plans/" + id).then().statusCode(200)
                .body("phase", equalTo("IN_PROGRESS")).body("visits", is(4)).body("items[0].code", equalTo(s.item()))
                .body("seedCommitment", notNullValue()).body("afterPeriod", nullValue()).body("seed", nullValue())
                .extract().asString();
        for (String u : usccs) assertFalse(notice.contains(u), "no merchant before the period ends");
        given().get("/api/v1/public/plans/" + id + "/draw.csv").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("结束后"));
        given().get("/api/v1/public/plans/" + id + "/candidates.csv").then().statusCode(403);

        // record two results: one adverse, one clean
        List<Map<String, Object>> visits = visits(id);
        long adverseVisit = ((Number) visits.get(0).get("id")).longValue();
        String adverseUscc = (String) visits.get(0).get("uscc");
        long cleanVisit = ((Number) visits.get(1).get("id")).longValue();
        as("squad-daninglu").contentType("application/json").body(result(s.item(), "ORDERED_TO_RECTIFY"))
                .post("/api/v1/inspection/visits/" + adverseVisit + "/result").then().statusCode(201);
        as("squad-daninglu").contentType("application/json").body(result(s.item(), "NO_PROBLEM"))
                .post("/api/v1/inspection/visits/" + cleanVisit + "/result").then().statusCode(201);
        given().get("/api/v1/public/results?planId=" + id).then().statusCode(200).body("total", is(0));
        as("planner").get("/api/v1/inspection/results?planId=" + id + "&published=false").then().statusCode(200)
                .body("total", is(2)).body("items[0].publishDeadline", notNullValue()).body("items.publicationOverdue", everyItem(is(false)));
        sql("update inspection_result set publish_deadline = current_date - 1 where visit_id = " + adverseVisit);
        as("planner").get("/api/v1/inspection/results?planId=" + id + "&overdue=true").then().statusCode(200)
                .body("total", is(1)).body("items[0].publicationOverdue", is(true));
        as("planner").get("/api/v1/inspection/plans/" + id + "/progress").then().body("publicationOverdue", is(1));

        as("planner").post("/api/v1/inspection/plans/" + id + "/publish-results").then().statusCode(200).body("published", is(2));
        String published = given().get("/api/v1/public/results?planId=" + id).then().statusCode(200).body("total", is(2))
                .body("items.uscc", hasItem(adverseUscc)).body("items[0].merchantName", notNullValue())
                .body("items[0].inspectors[0].badgeNo", notNullValue()).body("items[0].inspectors[0].name", notNullValue())
                .extract().asString();
        assertFalse(published.contains("squad") || published.contains("conflict") || published.contains("qualified"),
                "no inspector data beyond name and badge");

        // credit repair takes the adverse result down early; the clean one stays
        credit(s.ids().get(adverseUscc), "REPAIRED", 0);
        given().get("/api/v1/public/results?planId=" + id).then().body("total", is(1)).body("items.uscc", not(hasItem(adverseUscc)));
        // beyond the disclosure period (3 years) nothing shows
        sql("update inspection_result set inspected_on = current_date - interval '3 years 1 day' where plan_id = " + id);
        given().get("/api/v1/public/results?planId=" + id).then().body("total", is(0));

        // once the period is over the seed and the lists are revealed, and they re-run to the published digests
        sql("update inspection_plan set period_start = current_date - 30, period_end = current_date - 1 where id = " + id);
        JsonPath after = given().get("/api/v1/public/plans/" + id).then().statusCode(200).body("phase", equalTo("ENDED"))
                .body("afterPeriod.seed", notNullValue()).extract().jsonPath();
        // the public files name who took part and who was drawn, never the stratum (grade)
        String draw = given().get("/api/v1/public/plans/" + id + "/draw.csv").then().statusCode(200).extract().asString();
        String publicCandidates = given().get("/api/v1/public/plans/" + id + "/candidates.csv").then().statusCode(200).extract().asString();
        assertTrue(draw.startsWith("item_code,week,uscc\n"), draw);
        assertTrue(publicCandidates.startsWith("item_code,uscc\n"), publicCandidates);
        for (String grade : List.of("红色", "黄色", "绿色", "风险", "%")) {
            assertFalse(draw.contains(grade) || publicCandidates.contains(grade), "no stratum in the public files: " + grade);
        }
        // the auditor (纪检监察) holds the full files and re-runs the draw to the published digests
        String fullDraw = as("auditor").get("/api/v1/inspection/plans/" + id + "/draw.csv").then().statusCode(200).extract().asString();
        String candidates = as("auditor").get("/api/v1/inspection/plans/" + id + "/candidates.csv").then().statusCode(200).extract().asString();
        assertEquals(after.getString("digests.draw"), VerifyTest.sha256(fullDraw));
        assertEquals(after.getString("digests.candidates"), VerifyTest.sha256(candidates));
        assertEquals(VerifyTest.sha256(VerifyTest.ThirdParty.draw(after.getString("afterPeriod.seed"), 4, candidates)), after.getString("digests.draw"));
        for (String u : usccs) assertTrue(draw.contains(u));
        // docs/double-random-rerun.py does the same from these files alone, and checks the public list and the commitments
        assertTrue(VerifyTest.python3(), "python3 is needed to run docs/double-random-rerun.py");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rerun");
        java.nio.file.Files.writeString(dir.resolve("candidates.csv"), candidates);
        java.nio.file.Files.writeString(dir.resolve("draw-public.csv"), draw);
        Process proc = new ProcessBuilder("python3", "docs/double-random-rerun.py", after.getString("afterPeriod.seed"),
                after.getString("periodStart") + ":" + after.getString("periodEnd"), dir.resolve("candidates.csv").toString(),
                "--commitment", after.getString("seedCommitment"), "--candidates-digest", after.getString("digests.candidates"),
                "--public-draw", dir.resolve("draw-public.csv").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String rerun = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor());
        assertEquals(after.getString("digests.draw"), VerifyTest.sha256(rerun));
    }

    @Test
    void onlyThePublicPathIsAnonymous() {
        given().get("/api/v1/public/plans").then().statusCode(200);
        given().get("/api/v1/public/results").then().statusCode(200);
        for (String path : List.of("/api/v1/inspection/plans", "/api/v1/inspection/items", "/api/v1/inspection/inspectors",
                "/api/v1/inspection/visits", "/api/v1/inspection/results", "/api/v1/inspection/sampling-rules/active", "/api/v1/merchants")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
        }
        given().contentType("application/json").body("{}").post("/api/v1/inspection/plans").then().statusCode(401);
        as("squad-jingansi").contentType("application/json").body("{}").post("/api/v1/inspection/plans").then().statusCode(403);
        as("squad-jingansi").post("/api/v1/inspection/plans/1/publish-notice").then().statusCode(403);
        as("squad-jingansi").get("/api/v1/inspection/results").then().statusCode(403);
    }
}
