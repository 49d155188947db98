package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.item;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * 抽查计划, 检查任务 and 公示 in a real browser (headless Chromium) against the running service, on a
 * small district of its own: education merchants (a category no other test uses) in 彭浦新村街道 and
 * 临汾路街道, an item that applies to education only, and inspectors of those two squads. Each page
 * checked leaves a screenshot in target/screenshots/ (shown in docs/web-console.md).
 */
@QuarkusTest
class PlanConsoleBrowserTest {

    static final String STREET = "pengpuxincun";
    static final String SQUAD = "sq-pengpuxincun";
    static final String SQUAD_USER = "squad-pengpuxincun";
    static final String OTHER_STREET = "linfenlu";
    static final String OTHER_SQUAD = "sq-linfenlu";
    static final String CATEGORY = "EDUCATION";

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource db;

    static Browser browser;
    static District district;

    @BeforeEach
    void openBrowser() {
        if (browser == null) browser = new Browser(base.toString());
        if (district == null) district = District.create();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    /**
     * The test's own district. In 彭浦新村街道: three education merchants opened 20 days ago (must be
     * inspected: opened in the last 90 days) and four opened in 2019 (green: 3 %, so one is drawn); in
     * 临汾路街道 two new ones. Three qualified inspectors in each of the two squads.
     */
    record District(String item, List<String> newHere, List<String> oldHere, List<String> newThere, Map<String, Long> ids,
                    Set<String> staffHere, Set<String> staffThere) {

        static District create() {
            String item = code("WEB");
            Map<String, Object> body = InspectionFixtures.item(item, "RISK_BASED");
            body.put("name", "教育培训机构门责区域管理（测试）");
            body.put("categories", List.of(CATEGORY));
            asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(201);
            Set<String> here = new HashSet<>(staff(3, SQUAD, List.of(item)));
            Set<String> there = new HashSet<>(staff(3, OTHER_SQUAD, List.of(item)));
            List<M> merchants = new ArrayList<>();
            List<String> newHere = new ArrayList<>();
            List<String> oldHere = new ArrayList<>();
            List<String> newThere = new ArrayList<>();
            for (int i = 0; i < 3; i++) newHere.add(add(merchants, STREET, today().minusDays(20)));
            for (int i = 0; i < 4; i++) oldHere.add(add(merchants, STREET, LocalDate.of(2019, 3, 1)));
            for (int i = 0; i < 2; i++) newThere.add(add(merchants, OTHER_STREET, today().minusDays(20)));
            return new District(item, newHere, oldHere, newThere, register(merchants), here, there);
        }

        static String add(List<M> merchants, String street, LocalDate opened) {
            M m = M.of(street);
            merchants.add(new M(m.uscc(), street, CATEGORY, false, null, "OPERATING", opened, null));
            return m.uscc();
        }

        List<String> all() {
            List<String> all = new ArrayList<>(newHere);
            all.addAll(oldHere);
            all.addAll(newThere);
            return all;
        }
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 6);
    }

    static List<String> planNames() {
        return as("planner").get("/api/v1/inspection/plans").then().statusCode(200).extract().jsonPath().getList("name");
    }

    static void check(String name, String value) {
        WebElement box = browser.driver.findElement(By.cssSelector("input[name=" + name + "][value='" + value + "']"));
        if (!box.isSelected()) box.click();
    }

    /** Fills the new-plan form for the test's item over its two streets, education only. */
    static void fillPlanForm(String name, String itemCode) {
        browser.open("/console/plans/new");
        WebElement field = browser.await(By.id("p-name"));
        field.clear();
        field.sendKeys(name);
        check("items", itemCode);
        check("streets", STREET);
        check("streets", OTHER_STREET);
        check("categories", CATEGORY);
    }

    static Map<String, String> strataRow(String stratum) {
        WebElement row = browser.driver.findElement(By.cssSelector("#preview-result tr[data-stratum='" + stratum + "'], #strata tr[data-stratum='" + stratum + "']"));
        return Map.of("candidates", row.findElement(By.cssSelector(".cand")).getText(), "drawn", row.findElement(By.cssSelector(".drawn")).getText());
    }

    static String pageSource() {
        return browser.driver.getPageSource();
    }

    // ---- the whole loop ---------------------------------------------------------------------------

    @Test
    void planFromCreationToPublication() {
        District d = district;
        String name = unique("网页测试双随机抽查");

        // Planner: a dry run first, nothing stored.
        browser.login("planner", TestSupport.PASSWORD);
        browser.await(By.cssSelector("[data-nav=plans]")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/plans"));
        browser.await(By.id("new-plan")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/plans/new"));
        fillPlanForm(name, d.item());
        browser.driver.findElement(By.id("preview-plan")).click();
        browser.await(By.id("preview-result"));
        assertEquals("/console/plans/new", browser.path(), "the preview is swapped into the page (htmx), no navigation");
        assertEquals(Map.of("candidates", "5", "drawn", "5"), strataRow("开业 90 天内"));
        assertEquals(Map.of("candidates", "4", "drawn", "1"), strataRow("绿色（低风险）"));
        assertTrue(browser.text(By.id("preview-summary")).contains("抽取 6 户商户"), browser.text(By.id("preview-summary")));
        assertFalse(planNames().contains(name), "a preview stores nothing");
        // capacity before the plan: per squad and week, needed against capacity
        List<WebElement> capacityRows = browser.driver.findElements(By.cssSelector("#preview-capacity tbody tr"));
        assertFalse(capacityRows.isEmpty(), "the preview shows the squads' capacity per week");
        assertTrue(capacityRows.get(0).getText().contains("第 1 周"), capacityRows.get(0).getText());
        browser.screenshot("plan-new");

        // Create it.
        browser.driver.findElement(By.id("create-plan")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/console/plans/\\d+\\?created=true$"));
        browser.await(By.id("plan-created"));
        long planId = Long.parseLong(browser.await(By.id("plan-head")).getAttribute("data-plan-id"));
        assertEquals(name, browser.text(By.id("plan-name")));
        assertEquals(Map.of("candidates", "5", "drawn", "5"), strataRow("开业 90 天内"));
        assertEquals(Map.of("candidates", "4", "drawn", "1"), strataRow("绿色（低风险）"));
        // Visits with their inspectors, as the API has them.
        List<Map<String, Object>> apiVisits = InspectionFixtures.visits(planId);
        assertEquals(6, apiVisits.size());
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#visit-table tbody tr"));
        assertEquals(6, rows.size());
        for (Map<String, Object> v : apiVisits) {
            WebElement row = browser.driver.findElement(By.cssSelector("#visit-table tr[data-uscc='" + v.get("uscc") + "']"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> officers = (List<Map<String, Object>>) v.get("inspectors");
            assertEquals(2, officers.size());
            String shown = row.findElement(By.cssSelector(".inspectors")).getText();
            for (Map<String, Object> o : officers) {
                assertTrue(shown.contains(o.get("name") + "（" + o.get("badgeNo") + "）"), "name and badge of each inspector: " + shown);
            }
            Set<String> pool = d.newThere().contains((String) v.get("uscc")) ? d.staffThere() : d.staffHere();
            assertTrue(officers.stream().allMatch(o -> pool.contains((String) o.get("badgeNo"))), "inspectors of the merchant's own squad");
        }
        assertTrue(d.all().containsAll(apiVisits.stream().map(v -> (String) v.get("uscc")).toList()), "only the test's own merchants");
        // The field export (the session works on the API): zh-CN headers, all six visits.
        String csvUrl = browser.driver.findElement(By.id("export-csv")).getAttribute("href");
        assertTrue(csvUrl.contains("/api/v1/inspection/plans/" + planId + "/visits/export?") && csvUrl.contains("format=csv"), csvUrl);
        String csv = (String) browser.js("return fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.ok ? r.text() : 'HTTP ' + r.status);", csvUrl);
        assertTrue(csv.contains("统一社会信用代码") && csv.contains("检查人员"), csv);
        assertEquals(7, csv.strip().lines().count(), "header and six visits: " + csv);
        assertTrue(browser.driver.findElement(By.id("export-xlsx")).getAttribute("href").contains("format=xlsx"));

        // Verify the draw: identical.
        browser.driver.findElement(By.id("verify-plan")).click();
        WebElement report = browser.await(By.cssSelector("#verify-result .verify-report"));
        assertEquals("true", report.getAttribute("data-identical"));
        assertEquals("一致", browser.text(By.id("verify-verdict")));
        assertTrue(browser.text(By.id("verify-summary")).contains("完全相同"));
        assertEquals("/console/plans/" + planId + "?created=true", browser.path(), "verify is shown in place");
        browser.screenshot("plan");
        browser.open("/console/plans/" + planId + "/verify");
        assertEquals(10, browser.driver.findElements(By.cssSelector("#verify-checks li.pass")).size());
        assertTrue(browser.text(By.id("verify-committed")).contains("抽取前已承诺"), "registered at creation, before the draw");
        browser.screenshot("plan-verify");

        // Publish the notice.
        browser.open("/console/plans/" + planId);
        browser.await(By.id("publish-notice")).click();
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
        browser.await(By.id("notice-published"));
        assertTrue(browser.text(By.id("notice-flag")).contains("计划已公示"));
        browser.open("/console/plans");
        browser.await(By.cssSelector("#plan-table tr[data-plan-id='" + planId + "']"));
        assertTrue(browser.text(By.cssSelector("#plan-table tr[data-plan-id='" + planId + "']")).contains("已公示"));
        browser.screenshot("plans");

        // A second plan, never published, over other merchants, with a result recorded through the API.
        List<M> hidden = new ArrayList<>();
        for (int i = 0; i < 2; i++) District.add(hidden, STREET, today().minusDays(20));
        List<String> hiddenUsccs = hidden.stream().map(M::uscc).toList();
        register(hidden);
        Map<String, Object> body = InspectionFixtures.overlapping(InspectionFixtures.plan(List.of(d.item()), hiddenUsccs));
        body.put("name", unique("未公示计划"));
        long unpublished = InspectionFixtures.createPlan(body).getLong("id");
        long hiddenVisit = ((Number) InspectionFixtures.visits(unpublished).get(0).get("id")).longValue();
        asJson(SQUAD_USER).body(Map.of("results", List.of(Map.of("itemCode", d.item(), "outcome", "NO_PROBLEM"))))
                .post("/api/v1/inspection/visits/" + hiddenVisit + "/result").then().statusCode(201);

        // The squad: only its own visits, with export; records a result and sees the grade change.
        browser.login(SQUAD_USER, TestSupport.PASSWORD);
        browser.await(By.cssSelector("[data-nav=visits]")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/visits"));
        browser.open("/console/visits?planId=" + planId);
        List<String> seen = browser.driver.findElements(By.cssSelector("#visit-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-uscc")).toList();
        Set<String> ownStreet = new HashSet<>(d.newHere());
        ownStreet.addAll(d.oldHere());
        assertEquals(4, seen.size(), "three new merchants and one green one in the squad's street: " + seen);
        assertTrue(ownStreet.containsAll(seen), "only the squad's own visits");
        assertTrue(d.newThere().stream().noneMatch(seen::contains));
        assertTrue(browser.text(By.id("visit-count")).contains("共 4 户次"));
        assertTrue(browser.driver.findElement(By.id("export-xlsx")).getAttribute("href").contains("/api/v1/inspection/visits/export?planId=" + planId));
        browser.screenshot("visits");

        String target = d.newHere().get(0);
        long merchantId = d.ids().get(target);
        as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().statusCode(200).body("grade", org.hamcrest.Matchers.equalTo("GREEN"));
        browser.driver.findElement(By.cssSelector("#visit-table tr[data-uscc='" + target + "'] .visit-link")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/console/visits/\\d+$"));
        long visitId = Long.parseLong(browser.await(By.id("visit-head")).getAttribute("data-visit-id"));
        assertTrue(browser.text(By.id("visit-inspectors")).contains("（"), "inspectors with badge numbers");
        org.openqa.selenium.support.ui.Select outcome = new org.openqa.selenium.support.ui.Select(
                browser.driver.findElement(By.cssSelector("#result-rows tr[data-item='" + d.item() + "'] .r-outcome")));
        outcome.selectByValue("CASE_OPENED");
        browser.driver.findElement(By.cssSelector("#result-rows .r-findings")).sendKeys("门前堆放杂物，责令当场清理，拒不清理已立案");
        browser.driver.findElement(By.cssSelector("#result-rows .r-score")).sendKeys("40");
        browser.driver.findElement(By.id("submit-result")).click();
        WebElement after = browser.await(By.id("grade-after"));
        String newGrade = as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().statusCode(200).extract().path("grade");
        assertEquals("YELLOW", newGrade, "a case opened and a score under 60: 25 + 15 points");
        assertEquals("GREEN", after.getAttribute("data-previous"));
        assertEquals("YELLOW", after.getAttribute("data-grade"));
        assertEquals("true", after.getAttribute("data-changed"));
        assertTrue(browser.text(By.id("new-grade")).contains("黄色"));
        assertEquals("DONE", browser.driver.findElement(By.id("visit-head")).getAttribute("data-status"));
        assertFalse(browser.present(By.id("result-form")), "a recorded visit has no form any more");
        browser.screenshot("visit-result");
        // Posting the form again (a reload) is refused, in the service's words, and shown on the page.
        String again = (String) browser.js("""
                const token = document.querySelector('meta[name=csrf-token]').content;
                const body = new URLSearchParams({'csrf-token': token, itemCode: arguments[1], outcome: 'NO_PROBLEM'});
                return fetch('/console/visits/' + arguments[0] + '/result', {method: 'POST', credentials: 'same-origin', body})
                    .then(async r => r.status + ' ' + new DOMParser().parseFromString(await r.text(), 'text/html')
                        .getElementById('result-error').textContent);""", visitId, d.item());
        assertTrue(again.startsWith("409 ") && again.contains("不能重复登记"), again);
        asJson(SQUAD_USER).body(Map.of("results", List.of(Map.of("itemCode", d.item(), "outcome", "NO_PROBLEM"))))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(409);

        // Another squad's visit is not found; the planner pages are forbidden.
        long otherVisit = InspectionFixtures.visits(planId).stream().filter(v -> d.newThere().contains((String) v.get("uscc")))
                .map(v -> ((Number) v.get("id")).longValue()).findFirst().orElseThrow();
        browser.open("/console/visits/" + otherVisit);
        assertEquals("404", browser.await(By.id("error-detail")).getAttribute("data-status"));
        browser.open("/console/plans/" + planId);
        assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"));

        // Planner: progress, the result with its deadline, publish.
        browser.login("planner", TestSupport.PASSWORD);
        browser.open("/console/plans/" + planId);
        assertEquals("1", browser.await(By.id("progress")).getAttribute("data-done"));
        browser.await(By.id("results-link")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/plans/" + planId + "/results"));
        WebElement resultRow = browser.await(By.cssSelector("#result-table tr[data-uscc='" + target + "']"));
        String deadline = as("planner").get("/api/v1/inspection/results?planId=" + planId).then().statusCode(200).extract().path("items[0].publishDeadline");
        assertTrue(resultRow.getText().contains(deadline) && resultRow.getText().contains("未公示") && resultRow.getText().contains("立案查处"),
                resultRow.getText());
        browser.driver.findElement(By.id("publish-results")).click();
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
        assertTrue(browser.text(By.id("results-published")).contains("已公示 1 条"));
        assertTrue(browser.text(By.cssSelector("#result-table tr[data-uscc='" + target + "']")).contains("已公示"));
        browser.screenshot("plan-results");

        // The public, without logging in: the notice and the result; no merchant list before the period ends, nothing unpublished.
        browser.forget();
        browser.open("/public");
        WebElement card = browser.await(By.cssSelector("#notices .notice-card[data-plan-id='" + planId + "']"));
        assertFalse(browser.present(By.id("whoami")));
        assertTrue(card.getText().contains(name) && card.getText().contains(d.item()) && card.getText().contains("彭浦新村街道")
                && card.getText().contains("教育培训"), card.getText());
        assertTrue(card.findElement(By.cssSelector(".notice-counts")).getText().contains("抽取 6 户商户"));
        assertFalse(browser.present(By.cssSelector(".notice-card[data-plan-id='" + unpublished + "']")), "an unpublished plan is not public");
        String notices = pageSource();
        for (String uscc : d.all()) assertFalse(notices.contains(uscc), "no merchant in a notice before the period ends: " + uscc);
        for (String uscc : hiddenUsccs) assertFalse(notices.contains(uscc));
        browser.screenshot("public");

        browser.open("/public/results?planId=" + planId);
        WebElement published = browser.await(By.cssSelector(".public-results tr[data-uscc='" + target + "']"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> officers = (List<Map<String, Object>>) InspectionFixtures.visits(planId).stream()
                .filter(v -> target.equals(v.get("uscc"))).findFirst().orElseThrow().get("inspectors");
        String expectedOfficers = officers.stream().map(o -> o.get("name") + "（" + o.get("badgeNo") + "）").collect(Collectors.joining("、"));
        assertTrue(published.getText().contains("立案查处") && published.getText().contains(today().toString())
                && published.getText().contains(expectedOfficers), published.getText());
        assertEquals(1, browser.driver.findElements(By.cssSelector(".public-results tbody tr")).size(), "only the published result");
        browser.screenshot("public-results");
        browser.open("/public/results?q=" + hiddenUsccs.get(0).substring(10));
        assertTrue(browser.text(By.id("result-count")).contains("共 0 条"), "a recorded but unpublished result is not public");
        browser.open("/public/results?planId=" + unpublished);
        assertTrue(browser.text(By.id("result-count")).contains("共 0 条"));
        browser.open("/public/plans/" + unpublished);
        assertEquals("404", browser.await(By.id("error-detail")).getAttribute("data-status"));
        browser.open("/public/plans/" + planId);
        browser.await(By.cssSelector(".public-results tr[data-uscc='" + target + "']"));
        String detail = pageSource();
        for (String uscc : d.all()) if (!uscc.equals(target)) assertFalse(detail.contains(uscc), "only merchants with published results: " + uscc);
        // And the same from the public API.
        JsonPath api = given().get("/api/v1/public/results?planId=" + planId).then().statusCode(200).extract().jsonPath();
        assertEquals(1, api.getInt("total"));
    }

    // ---- verify shows what differs ----------------------------------------------------------------

    @Test
    void aTamperedPlanShowsWhatDiffers() throws Exception {
        // An item of its own (so the other tests' results do not exclude anyone), with its own inspectors.
        String own = code("WEBV");
        Map<String, Object> itemBody = InspectionFixtures.item(own, "RISK_BASED");
        itemBody.put("categories", List.of(CATEGORY));
        asJson("planner").body(itemBody).post("/api/v1/inspection/items").then().statusCode(201);
        staff(3, SQUAD, List.of(own));
        Map<String, Object> body = InspectionFixtures.plan(List.of(own), district.newHere());
        body.put("name", unique("被改动的计划"));
        long id = InspectionFixtures.createPlan(body).getLong("id");
        assertEquals(3, InspectionFixtures.visits(id).size());
        // Someone swaps the two inspectors of visit 2 in the database.
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("update plan_visit set inspector_ids = array[inspector_ids[2], inspector_ids[1]] where plan_id = " + id + " and visit_no = 2");
        }
        browser.login("planner", TestSupport.PASSWORD);
        browser.open("/console/plans/" + id);
        browser.await(By.id("verify-plan")).click();
        WebElement report = browser.await(By.cssSelector("#verify-result .verify-report"));
        assertEquals("false", report.getAttribute("data-identical"));
        assertEquals("不一致", browser.text(By.id("verify-verdict")));
        List<String> failed = browser.driver.findElements(By.cssSelector("#verify-checks li.fail")).stream().map(WebElement::getText).toList();
        assertEquals(1, failed.size(), "only the matching differs: " + failed);
        assertTrue(failed.get(0).contains("检查人员"), failed.get(0));
        List<String> visitNos = browser.driver.findElements(By.cssSelector("#verify-differences tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertTrue(visitNos.contains("2"), "the altered visit is named: " + visitNos);
        browser.open("/console/plans/" + id + "/verify");
        browser.await(By.id("verify-differences"));
        browser.screenshot("plan-verify-differs");
    }

    // ---- constraints that cannot be met -------------------------------------------------------------

    @Test
    void constraintsThatCannotBeMetAreShownAndNothingIsCreated() {
        // An education item no inspector is qualified for: too few inspectors.
        String unstaffed = code("WEBX");
        Map<String, Object> body = item(unstaffed, "RISK_BASED");
        body.put("categories", List.of(CATEGORY));
        asJson("planner").body(body).post("/api/v1/inspection/items").then().statusCode(201);
        int plansBefore = planNames().size();

        browser.login("planner", TestSupport.PASSWORD);
        String name = unique("人员不足的计划");
        fillPlanForm(name, unstaffed);
        browser.driver.findElement(By.id("create-plan")).click();
        WebElement error = browser.await(By.id("plan-error"));
        assertEquals("422", error.getAttribute("data-status"));
        assertTrue(error.getText().contains("检查人员不足，计划未生成"), error.getText());
        assertTrue(error.getText().contains("符合条件"), "each visit's shortfall, as the service words it: " + error.getText());
        assertTrue(browser.driver.findElement(By.cssSelector("input[name=items][value='" + unstaffed + "']")).isSelected(), "the form keeps what was chosen");
        assertEquals(name, browser.driver.findElement(By.id("p-name")).getAttribute("value"));
        browser.screenshot("plan-refused");

        // No candidates: the test's item in a category nobody in scope has.
        fillPlanForm(unique("无候选对象的计划"), district.item());
        browser.driver.findElement(By.cssSelector("input[name=categories][value='" + CATEGORY + "']")).click();
        check("categories", "MARKET");
        browser.driver.findElement(By.id("preview-plan")).click();
        WebElement previewError = browser.await(By.id("preview-error"));
        assertTrue(previewError.getText().contains("没有"), previewError.getText());
        browser.driver.findElement(By.id("create-plan")).click();
        WebElement refused = browser.await(By.id("plan-error"));
        assertEquals("422", refused.getAttribute("data-status"));
        assertTrue(refused.getText().contains("所选范围内没有商户") || refused.getText().contains("没有可抽查的对象"), refused.getText());

        // Bad input (an end before the start) is named by field.
        fillPlanForm(unique("日期有误的计划"), district.item());
        browser.js("document.getElementById('p-end').value = arguments[0];", today().minusDays(3).toString());
        browser.driver.findElement(By.id("create-plan")).click();
        WebElement invalid = browser.await(By.id("plan-error"));
        assertEquals("400", invalid.getAttribute("data-status"));
        assertTrue(invalid.getText().contains("结束日期"), invalid.getText());

        assertEquals(plansBefore, planNames().size(), "nothing was created");
    }

    // ---- roles ------------------------------------------------------------------------------------

    @Test
    void aSquadCannotOpenThePlannerPages() {
        browser.login(SQUAD_USER, TestSupport.PASSWORD);
        assertFalse(browser.present(By.cssSelector("[data-nav=plans]")), "no 抽查计划 in a squad's menu");
        assertTrue(browser.present(By.cssSelector("[data-nav=visits]")));
        browser.open("/console/plans");
        assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"));
        assertTrue(browser.text(By.id("error-title")).contains("无权访问"));
        browser.screenshot("plans-forbidden");
        browser.open("/console/plans/new");
        assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"));

        browser.login("author", TestSupport.PASSWORD);
        browser.open("/console/visits");
        assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"));

        // Without a CSRF token, a form post is refused before anything happens.
        browser.login("planner", TestSupport.PASSWORD);
        browser.open("/console/plans");
        Object status = browser.js("return fetch('/console/plans/1/publish-notice', {method: 'POST', credentials: 'same-origin',"
                + " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: ''}).then(r => r.status);");
        assertEquals(400L, ((Number) status).longValue());
        assertNotNull(browser.driver.findElement(By.cssSelector("meta[name=csrf-token]")).getAttribute("content"));
    }
}
