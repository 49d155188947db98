package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.merchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.events.EventService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless Chromium) against the running service. Each test
 * leaves a screenshot of the page it checks in target/screenshots/ (docs/screenshots/ with -Dscreenshots.dir=docs/screenshots) (shown in docs/web-console.md).
 */
@QuarkusTest
class WebConsoleBrowserTest {

    @TestHTTPResource("/")
    URL base;

    static Browser browser;

    @BeforeEach
    void openBrowser() {
        if (browser == null) browser = new Browser(base.toString());
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    // ---- data, through the API ----------------------------------------------------------------

    static long createMerchant(String name, String street, String category) {
        Map<String, Object> m = merchant(uscc(), street);
        m.put("name", name);
        m.put("category", category);
        return asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static Map<String, Object> event(long merchantId, String type, int daysAgo) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", type);
        e.put("source", "browser-test");
        e.put("sourceId", UUID.randomUUID().toString());
        e.put("occurredAt", LocalDate.now(EventService.ZONE).minusDays(daysAgo).toString());
        e.put("merchantId", merchantId);
        return e;
    }

    static String postEvent(Map<String, Object> event) {
        return asJson("admin").body(event).post("/api/v1/events").then().statusCode(201).extract().jsonPath().getString("grade.grade");
    }

    static Map<String, Object> seriousCase(long merchantId, int daysAgo) {
        Map<String, Object> e = event(merchantId, "CASE", daysAgo);
        e.put("caseNo", "JA-" + UUID.randomUUID().toString().substring(0, 8));
        e.put("violationType", "STREET_OCCUPATION");
        e.put("severity", "SERIOUS");
        e.put("fineYuan", 2000);
        return e;
    }

    static Map<String, Object> credit(long merchantId, String action, int daysAgo) {
        Map<String, Object> e = event(merchantId, "CREDIT", daysAgo);
        e.put("creditAction", action);
        return e;
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 6);
    }

    // ---- tests ------------------------------------------------------------------------------------

    @Test
    void everyRoleLogsInAndSeesItsMenu() {
        browser.forget();
        browser.open("/console/merchants");
        browser.wait.until(ExpectedConditions.urlContains("/login"));
        browser.await(By.id("login-form"));
        browser.screenshot("login");

        browser.login("planner", "wrong-password");
        assertTrue(browser.text(By.id("login-error")).contains("用户名或密码错误"));

        record Expect(String user, String role, boolean rules, boolean jobs) {
        }
        for (Expect x : List.of(new Expect("admin", "ADMIN", true, true), new Expect("planner", "PLANNER", false, true),
                new Expect("author", "RULE_AUTHOR", true, true), new Expect("squad-jingansi", "SQUAD", false, false),
                new Expect("squad-mobile", "SQUAD", false, false))) {
            browser.login(x.user(), TestSupport.PASSWORD);
            WebElement who = browser.await(By.id("whoami"));
            assertEquals(x.role(), who.getAttribute("data-role"), x.user());
            assertEquals("/console/merchants", browser.path(), x.user() + " lands on the page first asked for");
            assertTrue(browser.present(By.cssSelector("[data-nav=merchants]")));
            assertTrue(browser.present(By.cssSelector("[data-nav=overview]")));
            assertEquals(x.rules(), browser.present(By.cssSelector("[data-nav=rules]")), x.user() + ": rules menu");
            assertEquals(x.jobs(), browser.present(By.cssSelector("[data-nav=jobs]")), x.user() + ": jobs menu");
        }
        // The last one is a squad: its name is in the header.
        assertTrue(browser.text(By.id("whoami")).contains("机动执法中队"));
    }

    @Test
    void searchMerchantAndOpenItsExplanation() {
        String name = unique("静安便利店");
        long id = createMerchant(name, "jingansi", "RETAIL");
        assertEquals("YELLOW", postEvent(seriousCase(id, 10)));

        browser.login("planner", TestSupport.PASSWORD);
        browser.await(By.id("f-q")).sendKeys(name);
        new Select(browser.driver.findElement(By.id("f-street"))).selectByValue("jingansi");
        browser.driver.findElement(By.id("search-submit")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result-count"), "共 1 户"));
        assertTrue(browser.path().contains("q="), "the search is in the address bar: " + browser.path());
        WebElement row = browser.await(By.cssSelector("tr[data-merchant-id='" + id + "']"));
        assertTrue(row.getText().contains("黄色（中风险）"), row.getText());
        String export = browser.driver.findElement(By.id("export-csv")).getAttribute("href");
        assertTrue(export.contains("/api/v1/merchants/export?") && export.contains("street=jingansi") && export.contains("format=csv"), export);
        // A wider search for the screenshot: a page of the district.
        browser.open("/console/merchants?street=jingansi");
        browser.await(By.id("merchant-table"));
        browser.screenshot("merchants");

        browser.open("/console/merchants?q=" + name);
        browser.await(By.linkText(name)).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/merchants/" + id));
        assertEquals("YELLOW", browser.await(By.id("grade-badge")).getAttribute("data-grade"));
        assertEquals("40 分", browser.text(By.id("grade-score")));
        String reasons = browser.text(By.id("reason-table"));
        assertTrue(reasons.contains("一年内的严重案件"), reasons);
        assertTrue(reasons.contains("+40") || reasons.contains("+"), reasons);
        assertTrue(reasons.contains("占道") || reasons.contains("严重"), "the event behind the reason is shown: " + reasons);
        assertEquals(2, browser.driver.findElements(By.cssSelector("#grade-history li")).size(), "GREEN at registration, then YELLOW");
        assertEquals(1, browser.driver.findElements(By.cssSelector("#event-table tbody tr")).size());
        browser.screenshot("merchant");
    }

    /** A few merchants in several streets and categories, some yellow and red, and one full regrade for the trend. */
    static void smallDistrict() {
        String[] streets = {"jingansi", "caojiadu", "jiangninglu", "shimenerlu", "nanjingxilu", "beizhan", "pengpuzhen"};
        String[] categories = {"CATERING", "RETAIL", "SERVICE", "ENTERTAINMENT"};
        for (int i = 0; i < streets.length * 3; i++) {
            long id = createMerchant(unique("示例商户"), streets[i % streets.length], categories[i % categories.length]);
            if (i % 4 == 1) postEvent(seriousCase(id, 20 + i));
            if (i % 7 == 3) postEvent(credit(id, "LISTED", 100 + i));
        }
        long job = asJson("admin").body("{}").post("/api/v1/grading/regrade").then().statusCode(202).extract().jsonPath().getLong("id");
        for (int i = 0; i < 120; i++) {
            if (!"RUNNING".equals(asJson("admin").get("/api/v1/jobs/" + job).then().extract().jsonPath().getString("status"))) return;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void chartsAreDrawnAndABarListsItsMerchants() {
        long id = createMerchant(unique("大宁超市"), "daninglu", "RETAIL");
        assertEquals("RED", postEvent(credit(id, "LISTED", 30)));
        smallDistrict();

        browser.login("admin", TestSupport.PASSWORD);
        browser.open("/console/overview");
        browser.await(By.cssSelector("#chart-street canvas"));
        browser.await(By.cssSelector("#chart-category canvas"));
        browser.await(By.cssSelector("#chart-trend canvas"));
        Boolean hasRed = (Boolean) browser.js("""
                const c = echarts.getInstanceByDom(document.getElementById('chart-street'));
                const o = c.getOption();
                return o.series[2].data.some(v => v > 0) && o.xAxis[0].data.includes('大宁路街道');""");
        assertTrue(hasRed, "the street chart has data, with a red bar for 大宁路街道");
        Boolean hasTrend = (Boolean) browser.js("""
                const o = echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption();
                return o.xAxis[0].data.length > 0 && o.series[0].data[o.series[0].data.length - 1] > 0;""");
        assertTrue(hasTrend, "the trend chart has today's point from the regrade");
        browser.screenshot("overview");

        // Click the red bar of 大宁路街道 where ECharts drew it.
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) browser.js("""
                const el = document.getElementById('chart-street');
                const c = echarts.getInstanceByDom(el);
                const i = c.getOption().xAxis[0].data.indexOf('大宁路街道');
                const layout = c.getModel().getSeriesByIndex(2).getData().getItemLayout(i);
                return [layout.x + layout.width / 2 - el.clientWidth / 2,
                        layout.y + layout.height / 2 - el.clientHeight / 2];""");
        WebElement chart = browser.driver.findElement(By.id("chart-street"));
        new Actions(browser.driver).moveToElement(chart, at.get(0).intValue(), at.get(1).intValue()).click().perform();
        browser.wait.until(ExpectedConditions.urlContains("/console/merchants?street=daninglu&grade=RED"));
        browser.await(By.cssSelector("tr[data-merchant-id='" + id + "']"));
        for (WebElement badge : browser.driver.findElements(By.cssSelector("#merchant-table .badge"))) {
            assertEquals("红色（高风险）", badge.getText());
        }
    }

    @Test
    void redMerchantChangesGradeAfterAnEvent() {
        String name = unique("天目西路小吃店");
        long id = createMerchant(name, "tianmuxilu", "CATERING");
        assertEquals("RED", postEvent(credit(id, "LISTED", 400)));

        browser.login("squad-tianmuxilu", TestSupport.PASSWORD);
        browser.open("/console/merchants/" + id);
        assertEquals("RED", browser.await(By.id("grade-badge")).getAttribute("data-grade"));
        assertTrue(browser.text(By.id("reason-table")).contains("保底"), "the credit listing sets a floor");

        // Four eyes: the repair is held until a second officer approves it.
        long held = asJson("admin").body(credit(id, "REPAIRED", 1)).post("/api/v1/events").then().statusCode(202).extract().jsonPath()
                .getLong("pending.id");
        assertEquals("GREEN", TestSupport.approveHeld(held, "chen.review").getString("grade.grade"));
        browser.driver.navigate().refresh();
        assertEquals("GREEN", browser.await(By.id("grade-badge")).getAttribute("data-grade"));
        List<WebElement> timeline = browser.driver.findElements(By.cssSelector("#grade-history li"));
        assertTrue(timeline.get(0).getText().contains("红色（高风险）") && timeline.get(0).getText().contains("绿色（低风险）"),
                "newest change first: RED -> GREEN: " + timeline.get(0).getText());
        browser.screenshot("grade-change");
    }

    @Test
    void rulesPageShowsTheActiveDrlAndRegradeShowsProgress() {
        browser.login("author", TestSupport.PASSWORD);
        browser.open("/console/rules");
        assertFalse(browser.text(By.id("rules-version")).isBlank());
        browser.driver.findElement(By.id("open-active")).click();
        browser.await(By.cssSelector(".editor-pane .CodeMirror"));
        assertTrue(browser.driver.findElements(By.cssSelector(".CodeMirror-linenumber")).size() > 5, "line numbers");
        assertTrue(browser.text(By.cssSelector(".editor-pane .CodeMirror")).contains("rule"), "DRL text in the editor");
        browser.screenshot("rules");

        browser.open("/console/rules");
        browser.await(By.id("regrade")).click();
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
        browser.wait.until(ExpectedConditions.urlMatches("/console/jobs/\\d+$"));
        WebElement box = browser.await(By.cssSelector("[data-job-progress]"));
        browser.wait.until(d -> "DONE".equals(box.getAttribute("data-status")));
        assertEquals("100", browser.driver.findElement(By.cssSelector("[data-job-progress] progress")).getAttribute("value"));
        assertTrue(browser.text(By.cssSelector("[data-field=status]")).contains("已完成"));
        browser.screenshot("job");

        browser.open("/console/jobs");
        assertTrue(browser.text(By.id("job-table")).contains("全量重新评级"));
        browser.screenshot("jobs");
    }

    @Test
    void publicPageOpensWithoutLogin() {
        browser.forget();
        browser.open("/public");
        assertEquals("/public", browser.path());
        assertTrue(browser.text(By.id("public-status")).contains("本页无需登录"));
        assertFalse(browser.present(By.id("whoami")));
        // The screenshot of the public page, with a published plan and result, is PlanConsoleBrowserTest's.
    }

    @Test
    void squadCannotReachAnotherSquadsMerchantNorTheRulesPage() {
        long own = createMerchant(unique("静安寺花店"), "jingansi", "RETAIL");
        long other = createMerchant(unique("曹家渡花店"), "caojiadu", "RETAIL");

        browser.login("squad-jingansi", TestSupport.PASSWORD);
        browser.open("/console/merchants/" + own);
        browser.await(By.id("grade-badge"));

        browser.open("/console/merchants/" + other);
        assertEquals("404", browser.await(By.id("error-detail")).getAttribute("data-status"));
        assertTrue(browser.text(By.id("error-detail")).contains("不在您的辖区内"));

        browser.open("/console/merchants?street=caojiadu");
        assertFalse(browser.present(By.cssSelector("tr[data-merchant-id='" + other + "']")));
        List<String> streets = new Select(browser.driver.findElement(By.id("f-street"))).getOptions().stream()
                .map(o -> o.getAttribute("value")).filter(v -> !v.isEmpty()).toList();
        assertEquals(List.of("jingansi"), streets, "only the squad's own streets are offered");

        browser.open("/console/rules");
        assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"));
        assertTrue(browser.text(By.id("error-title")).contains("无权访问"));
        browser.screenshot("forbidden");
        browser.open("/console/jobs");
        assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"));
    }

    @Test
    void logoutEndsTheSession() {
        browser.login("planner", TestSupport.PASSWORD);
        browser.await(By.id("logout")).click();
        browser.wait.until(ExpectedConditions.urlContains("/login"));
        assertTrue(browser.text(By.id("logged-out")).contains("已安全退出"));
        browser.open("/console/merchants");
        browser.wait.until(ExpectedConditions.urlContains("/login"));
        assertFalse(browser.present(By.id("whoami")));
    }
}
