package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.merchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * 规则管理 in a real browser (headless Chromium) against the running service: the rule author's whole
 * loop on the grading rules (edit, break, validate, fix, scenarios, simulate, activate, roll back,
 * diff, audit) and on the sampling rules, uploads, and who may do what. The app and its database are shared with the other
 * test classes: each test puts back the version that was active when it started. Screenshots go to
 * target/screenshots/rules-*.png (shown in docs/web-console.md).
 */
@QuarkusTest
class RulesConsoleBrowserTest {

    static final String THRESHOLDS = "grading/00-thresholds.drl";
    static final String INSPECTION_SCENARIOS = "tests/40-inspections.yaml";
    static final String SAMPLING_API = "/api/v1/inspection/sampling-rules";
    static final String STRATA = "sampling/20-risk-strata.drl";
    static final String STRATA_SCENARIOS = "tests/sampling/20-risk-strata.yaml";
    static final String EXCLUSION_SCENARIOS = "tests/sampling/00-exclusions.yaml";

    @TestHTTPResource("/")
    URL base;

    static Browser browser;

    /** The versions (grading, sampling) active when the test started; put back when it ends. */
    String activeBefore;
    String samplingBefore;

    @BeforeEach
    void openBrowser() {
        if (browser == null) browser = new Browser(base.toString());
        activeBefore = activeVersion();
        samplingBefore = activeSamplingVersion();
    }

    @AfterEach
    void putBackTheActiveRules() {
        if (!activeBefore.equals(activeVersion())) {
            asJson("admin").body(Map.of("version", activeBefore, "comment", "浏览器测试结束，恢复测试前生效的规则")).post("/api/v1/rules/rollback")
                    .then().statusCode(200);
        }
        assertEquals(activeBefore, activeVersion());
        if (!samplingBefore.equals(activeSamplingVersion())) {
            asJson("admin").body(Map.of("version", samplingBefore, "comment", "浏览器测试结束，恢复测试前生效的抽查规则"))
                    .post(SAMPLING_API + "/rollback").then().statusCode(200);
        }
        assertEquals(samplingBefore, activeSamplingVersion());
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    static String activeVersion() {
        return as("author").get("/api/v1/rules/active").then().statusCode(200).extract().jsonPath().getString("version");
    }

    static String activeSamplingVersion() {
        return as("author").get(SAMPLING_API + "/active").then().statusCode(200).extract().jsonPath().getString("version");
    }

    // ---- browser helpers ------------------------------------------------------------------------

    /** The text of a file's editor. */
    static String editorText(String file) {
        return (String) browser.js("return window.ruleEditors[arguments[0]].getValue();", file);
    }

    /** Changes a file in its editor, as a person would by selecting the text and typing over it. */
    static void replaceInEditor(String file, String from, String to) {
        replaceInEditor(file, from, from, to);
    }

    /** As above, selecting {@code from} where it occurs inside the first {@code context}. */
    static void replaceInEditor(String file, String context, String from, String to) {
        browser.driver.findElement(By.cssSelector(".file-tab[data-file='" + file + "']")).click();
        Boolean found = (Boolean) browser.js("""
                const cm = window.ruleEditors[arguments[0]];
                const c = cm.getValue().indexOf(arguments[1]);
                const at = c < 0 ? -1 : c + arguments[1].indexOf(arguments[2]);
                if (c < 0 || at < c) return false;
                cm.setSelection(cm.posFromIndex(at), cm.posFromIndex(at + arguments[2].length));
                cm.focus();
                return true;""", file, context, from);
        assertTrue(found, file + " contains " + context);
        new Actions(browser.driver).sendKeys(to).perform();
        assertTrue(editorText(file).contains(context.replace(from, to)), "typed into the editor: " + to);
    }

    /** The 1-based line of the first line of {@code file} that contains {@code text}. */
    static int lineOf(String file, String text) {
        List<String> lines = editorText(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        throw new AssertionError(file + " has no line with " + text);
    }

    /** Clicks an htmx button and waits for the new fragment {@code fragmentId} inside {@code resultId}. */
    static WebElement clickAndAwait(By button, String resultId, String fragmentId) {
        browser.js("document.querySelectorAll('#' + arguments[0] + ' > *').forEach(e => e.dataset.stale = 'true');", resultId);
        browser.driver.findElement(button).click();
        return browser.await(By.cssSelector("#" + resultId + " > #" + fragmentId + ":not([data-stale])"));
    }

    static void confirm() {
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    /** Saves the editor's files with a comment: the answer is the stored version's page. */
    static String save(String comment) {
        WebElement c = browser.driver.findElement(By.id("save-comment"));
        c.clear();
        c.sendKeys(comment);
        String old = (String) browser.js("return document.getElementById('version-card').dataset.url + '|' + performance.timeOrigin;");
        browser.driver.findElement(By.id("save-submit")).click();
        browser.wait.until(d -> !old.equals(browser.js("return document.getElementById('version-card') ? "
                + "document.getElementById('version-card').dataset.url + '|' + performance.timeOrigin : '';")));
        try {
            browser.await(By.id("save-result"));
        } catch (RuntimeException e) {
            try {
                Files.writeString(Path.of("/tmp/rules-debug.html"), browser.driver.getPageSource());
            } catch (IOException ignored) {
            }
            throw e;
        }
        return browser.driver.findElement(By.id("version-hash")).getAttribute("data-version");
    }

    /** Waits for the job progress box on the page to leave RUNNING. */
    static void awaitJobDone() {
        WebElement box = browser.await(By.cssSelector("[data-job-progress]"));
        browser.wait.until(d -> !"RUNNING".equals(box.getAttribute("data-status")));
        assertEquals("DONE", box.getAttribute("data-status"));
    }

    /** From a simulation's page: opens the candidate, activates it with a comment, lands on the kind's overview. */
    static void activateFromSimulation(String kind, String candidate, String comment) {
        // Four eyes: the author proposes it and a reviewer approves it before it may be activated.
        cn.urbanmgmt.risk.TestSupport.approveRules("grading".equals(kind) ? "/api/v1/rules" : SAMPLING_API, candidate);
        browser.driver.findElement(By.id("sim-candidate")).click();
        browser.await(By.id("activate-comment")).sendKeys(comment);
        browser.driver.findElement(By.id("activate")).click();
        confirm();
        browser.wait.until(ExpectedConditions.urlContains("/console/rules/" + kind + "?done=activate"));
    }

    /**
     * Rolls back to the version active before, with a comment. A rollback is the administrator's one-person
     * emergency action (four eyes): the author has no rollback form; the administrator signs in and does it
     * on the kind's overview (the browser stays signed in as ADMIN, who may view everything that follows).
     */
    static void rollBackToPrevious(String kind, String comment) {
        assertFalse(browser.present(By.id("rollback-card")), "no rollback form for the rule author");
        browser.login("admin", TestSupport.PASSWORD);
        browser.open("/console/rules/" + kind);
        new Select(browser.driver.findElement(By.id("rollback-version"))).selectByValue("");
        browser.driver.findElement(By.id("rollback-comment")).sendKeys(comment);
        browser.driver.findElement(By.id("rollback-submit")).click();
        confirm();
        browser.wait.until(ExpectedConditions.urlContains("/console/rules/" + kind + "?done=rollback"));
    }

    // ---- data, through the API ----------------------------------------------------------------

    /** A retail merchant at exactly 35 points (ordinary case 20 + ordered to rectify 15): green at 40, yellow at 35. */
    static long merchantAt35Points(String street) {
        Map<String, Object> m = merchant(uscc(), street);
        m.put("name", "规则页测试便利店" + UUID.randomUUID().toString().substring(0, 6));
        m.put("category", "RETAIL");
        long id = asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> c = event(id, "CASE", 20);
        c.put("caseNo", "RB-" + UUID.randomUUID().toString().substring(0, 8));
        c.put("violationType", "NOISE");
        c.put("severity", "ORDINARY");
        asJson("admin").body(c).post("/api/v1/events").then().statusCode(201);
        Map<String, Object> i = event(id, "INSPECTION", 10);
        i.put("itemCode", "GS-01");
        i.put("outcome", "ORDERED_TO_RECTIFY");
        String grade = asJson("admin").body(i).post("/api/v1/events").then().statusCode(201).extract().jsonPath().getString("grade.grade");
        assertEquals("GREEN", grade);
        assertEquals(35, as("admin").get("/api/v1/merchants/" + id + "/grade").then().statusCode(200).extract().jsonPath().getInt("score"));
        return id;
    }

    static Map<String, Object> event(long merchantId, String type, int daysAgo) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", type);
        e.put("source", "rules-browser-test");
        e.put("sourceId", UUID.randomUUID().toString());
        e.put("occurredAt", LocalDate.now(EventService.ZONE).minusDays(daysAgo).toString());
        e.put("merchantId", merchantId);
        return e;
    }

    // ---- tests ------------------------------------------------------------------------------------

    @Test
    void ruleAuthorRunsTheWholeLoop() {
        merchantAt35Points("jiangninglu");
        String before = activeBefore;

        browser.login("author", TestSupport.PASSWORD);
        browser.open("/console/rules");
        browser.wait.until(ExpectedConditions.urlContains("/console/rules/grading"));
        assertEquals(before, browser.await(By.id("rules-version")).getAttribute("data-version"));
        assertTrue(browser.present(By.cssSelector("#version-table tr[data-version='" + before + "']")), "the active version is in the history");
        assertTrue(browser.text(By.cssSelector("#version-table tr[data-version='" + before + "']")).contains("生效中"));

        // Open the active version and break a rule: a method name with a typo, typed into the editor.
        browser.driver.findElement(By.id("open-active")).click();
        browser.await(By.cssSelector(".editor-pane .CodeMirror"));
        replaceInEditor(THRESHOLDS, "assessment.setThresholds(40, 70);", "assessment.setThreshold(40, 70);");
        int line = lineOf(THRESHOLDS, "setThreshold(40, 70)");
        assertTrue(browser.present(By.cssSelector(".file-tab[data-file='" + THRESHOLDS + "'] .file-modified:not([hidden])")), "marked as modified");
        String broken = save("浏览器测试：故意写错方法名");
        assertNotEquals(before, broken);
        assertEquals("true", browser.driver.findElement(By.id("save-result")).getAttribute("data-created"));
        assertEquals("false", browser.await(By.id("validation")).getAttribute("data-ok"));
        assertEquals("/console/rules/grading/versions/" + broken, browser.path(), "the address is the version's, not the form's");
        assertErrorAtLine(THRESHOLDS, line);

        // The same through the 校验 button.
        clickAndAwait(By.id("validate"), "validation-result", "validation");
        assertEquals("false", browser.driver.findElement(By.id("validation")).getAttribute("data-ok"));
        assertErrorAtLine(THRESHOLDS, line);
        browser.screenshot("rules-validate-error");

        // Fix it, lowering the yellow threshold to 35: it compiles, but a scenario expects green at 35 points.
        replaceInEditor(THRESHOLDS, "assessment.setThreshold(40, 70);", "assessment.setThresholds(35, 70);");
        String candidate = save("浏览器测试：黄色分数线降到 35 分");
        assertNotEquals(broken, candidate);
        assertEquals("true", browser.await(By.id("validation")).getAttribute("data-ok"));
        assertFalse(browser.present(By.cssSelector(".editor-pane .rule-line-ERROR")), "no error marked any more");

        WebElement tests = clickAndAwait(By.id("run-tests"), "tests-result", "tests");
        assertEquals("false", tests.getAttribute("data-ok"));
        List<WebElement> failed = browser.driver.findElements(By.cssSelector("#scenario-table tr[data-passed='false']"));
        assertEquals(1, failed.size(), "one scenario fails");
        assertTrue(failed.get(0).getText().contains("期望等级 GREEN（绿），实际 YELLOW（黄）"), failed.get(0).getText());
        assertTrue(failed.get(0).getText().contains(INSPECTION_SCENARIOS), failed.get(0).getText());
        assertTrue(browser.driver.findElements(By.cssSelector("#passed-table tr[data-passed='true']")).size() > 20, "the others pass");
        // The failing scenario is marked in its YAML file, which the editor now shows.
        assertTrue((Boolean) browser.js("return !document.querySelector(\".editor-file[data-file='" + INSPECTION_SCENARIOS + "']\").hidden;"));
        assertTrue(browser.present(By.cssSelector(".editor-file[data-file='" + INSPECTION_SCENARIOS + "'] .rule-line-ERROR")));
        browser.screenshot("rules-tests");

        // Activation is refused while a scenario fails: the failing check is listed, nothing changes.
        browser.driver.findElement(By.id("activate-comment")).sendKeys("浏览器测试：场景未更新时试图启用");
        browser.driver.findElement(By.id("activate")).click();
        confirm();
        WebElement refused = browser.wait.until(d -> d.findElements(By.cssSelector("#activate-result #problem")).stream().findFirst().orElse(null));
        assertEquals("422", refused.getAttribute("data-status"));
        assertTrue(refused.getText().contains("生效的规则集没有改变"), refused.getText());
        assertTrue(refused.getText().contains("未通过"), refused.getText());
        assertTrue(browser.present(By.cssSelector("#rejected-problems tr[data-problem-file='" + INSPECTION_SCENARIOS + "']")));
        assertEquals(before, activeVersion());
        browser.screenshot("rules-activate-refused");

        // The policy changed, so the expectation changes too; same rules, so the same version with new scenarios.
        replaceInEditor(INSPECTION_SCENARIOS, "grade: GREEN\n      score: 35", "GREEN", "YELLOW");
        assertEquals(candidate, save("浏览器测试：35 分即为黄色，更新测试场景"));
        assertEquals("false", browser.driver.findElement(By.id("save-result")).getAttribute("data-created"));
        WebElement passing = clickAndAwait(By.id("run-tests"), "tests-result", "tests");
        assertEquals("true", passing.getAttribute("data-ok"));
        assertEquals("0", browser.text(By.id("tests-failed")));

        // Simulate: a job with a progress bar; the result as charts.
        new Select(browser.driver.findElement(By.id("sim-baseline"))).selectByValue("ACTIVE");
        browser.driver.findElement(By.id("simulate")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/console/rules/grading/simulations/\\d+$"));
        browser.await(By.cssSelector("#simulation-card [data-job-progress]"));
        browser.await(By.cssSelector("#chart-matrix canvas"));
        assertEquals("DONE", browser.driver.findElement(By.cssSelector("[data-job-progress]")).getAttribute("data-status"));
        assertEquals("100", browser.driver.findElement(By.cssSelector("[data-job-progress] progress")).getAttribute("value"));
        Number greenToYellow = (Number) browser.js("""
                const o = echarts.getInstanceByDom(document.getElementById('chart-matrix')).getOption();
                const cell = o.series[1].data.find(d => d[0] === 1 && d[1] === 0);
                return cell ? cell[2] : -1;""");
        assertTrue(greenToYellow.longValue() >= 1, "the matrix chart shows merchants going from green to yellow: " + greenToYellow);
        assertEquals(String.valueOf(greenToYellow.longValue()),
                browser.text(By.cssSelector("#matrix-table tr[data-from='GREEN'] td[data-to='YELLOW']")).replace(",", ""));
        Boolean streetShift = (Boolean) browser.js("""
                const o = echarts.getInstanceByDom(document.getElementById('chart-street')).getOption();
                const i = o.xAxis[0].data.indexOf('江宁路街道');
                return i >= 0 && o.series[0].data[i] < 0 && o.series[1].data[i] > 0;""");
        assertTrue(streetShift, "the street chart shows 江宁路街道 losing green and gaining yellow");
        browser.await(By.cssSelector("#chart-street canvas"));
        browser.await(By.cssSelector("#chart-category canvas"));
        assertTrue(browser.present(By.cssSelector("#sim-samples .sample-cell[data-from='GREEN'][data-to='YELLOW']")));
        browser.screenshot("rules-simulation");

        // Activate with a comment: the active version changes and the regrade's progress is shown.
        activateFromSimulation("grading", candidate, "浏览器测试：启用 35 分黄色分数线");
        assertEquals(candidate, browser.await(By.id("rules-version")).getAttribute("data-version"));
        assertEquals(candidate, activeVersion());
        assertTrue(browser.text(By.id("rules-done")).contains("已启用"));
        awaitJobDone();
        assertTrue(browser.text(By.cssSelector("#version-table tr[data-version='" + candidate + "']")).contains("生效中"));
        assertTrue(browser.text(By.cssSelector("#version-table tr[data-version='" + before + "']")).contains("曾生效"));
        browser.screenshot("rules-activated");

        // Roll back with a comment, to the version active before.
        rollBackToPrevious("grading", "浏览器测试：回到原来的分数线");
        assertEquals(before, browser.await(By.id("rules-version")).getAttribute("data-version"));
        assertEquals(before, activeVersion());
        awaitJobDone();
        browser.screenshot("rules-overview");

        // Diff the two versions from the history.
        browser.driver.findElement(By.cssSelector("#version-table tr[data-version='" + candidate + "'] a.diff-link")).click();
        browser.await(By.id("diff-summary"));
        assertEquals(before, browser.driver.findElement(By.id("diff-summary")).getAttribute("data-from"));
        assertEquals(candidate, browser.driver.findElement(By.id("diff-summary")).getAttribute("data-to"));
        assertTrue(browser.text(By.id("rules-changed")).contains("等级分数线：40 分黄色、70 分红色"), browser.text(By.id("rules-changed")));
        assertTrue(browser.text(By.id("rules-added")).contains("无"));
        assertEquals("CHANGED", browser.driver.findElement(By.cssSelector("#diff-files tr[data-file='" + THRESHOLDS + "']")).getAttribute("data-status"));
        assertEquals("CHANGED", browser.driver.findElement(By.cssSelector("#diff-files tr[data-file='" + INSPECTION_SCENARIOS + "']")).getAttribute("data-status"));
        String unified = browser.text(By.cssSelector(".diff-file[data-file='" + THRESHOLDS + "'] .CodeMirror"));
        assertTrue(unified.contains("-    assessment.setThresholds(40, 70);") && unified.contains("+    assessment.setThresholds(35, 70);"), unified);
        browser.screenshot("rules-diff");

        // Every step is in the audit log, with the comments.
        browser.driver.findElement(By.id("nav-rules-audit")).click();
        String audit = browser.text(By.id("audit-table"));
        for (String s : List.of("浏览器测试：启用 35 分黄色分数线", "浏览器测试：回到原来的分数线", "浏览器测试：场景未更新时试图启用", "浏览器测试：故意写错方法名")) {
            assertTrue(audit.contains(s), "audit log has: " + s);
        }
        assertTrue(browser.present(By.cssSelector("#audit-table tr[data-action='ACTIVATE'][data-outcome='FAILED']")), "the refused activation");
        browser.screenshot("rules-audit");
    }

    @Test
    void ruleAuthorChangesTheSamplingPolicy() throws Exception {
        // A yellow merchant (a serious case this month: at least yellow) and an item for the simulation.
        Map<String, Object> m = merchant(uscc(), "shimenerlu");
        m.put("name", "抽查规则页测试饭店" + UUID.randomUUID().toString().substring(0, 6));
        long id = asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> c = event(id, "CASE", 5);
        c.put("caseNo", "RS-" + UUID.randomUUID().toString().substring(0, 8));
        c.put("violationType", "STREET_OCCUPATION");
        c.put("severity", "SERIOUS");
        assertEquals("YELLOW", asJson("admin").body(c).post("/api/v1/events").then().statusCode(201).extract().jsonPath().getString("grade.grade"));
        String item = InspectionFixtures.code("SR");
        InspectionFixtures.createItem(item, "RISK_BASED");
        String before = samplingBefore;

        browser.login("author", TestSupport.PASSWORD);
        browser.open("/console/rules/grading");
        browser.await(By.cssSelector("#rules-kinds a[data-kind='sampling']")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/rules/sampling"));
        assertEquals(before, browser.await(By.id("rules-version")).getAttribute("data-version"));
        assertTrue(browser.text(By.cssSelector("#version-table tr[data-version='" + before + "']")).contains("生效中"));

        // A typo in the method that sets the proportion: the error is shown at its line.
        browser.driver.findElement(By.id("open-active")).click();
        browser.await(By.cssSelector(".editor-pane .CodeMirror"));
        replaceInEditor(STRATA, "$c.sample(\"黄色（中风险）\", 30);", "sample", "sampel");
        int line = lineOf(STRATA, "$c.sampel(");
        String broken = save("浏览器测试：抽查规则写错方法名");
        assertNotEquals(before, broken);
        assertEquals("/console/rules/sampling/versions/" + broken, browser.path());
        WebElement error = browser.await(By.cssSelector("#problem-table tr.problem.level-ERROR"));
        assertEquals(STRATA, error.getAttribute("data-problem-file"));
        assertEquals(String.valueOf(line), error.getAttribute("data-problem-line"));
        assertTrue(error.getAttribute("data-problem-message").contains("sampel"), error.getAttribute("data-problem-message"));
        assertTrue((Boolean) browser.js("return (window.ruleEditors[arguments[0]].lineInfo(arguments[1] - 1).bgClass || '').includes('rule-line-ERROR');",
                STRATA, line), "the line is marked in the editor");
        browser.screenshot("rules-sampling-validate-error");

        // Fixed, with yellow raised from 30% to 40%: the scenarios that expect 30% fail, and say so.
        replaceInEditor(STRATA, "$c.sampel(\"黄色（中风险）\", 30);", "sampel(\"黄色（中风险）\", 30", "sample(\"黄色（中风险）\", 40");
        String candidate = save("浏览器测试：黄色商户抽取比例提高到 40%");
        assertEquals("true", browser.await(By.id("validation")).getAttribute("data-ok"));
        WebElement tests = clickAndAwait(By.id("run-tests"), "tests-result", "tests");
        assertEquals("false", tests.getAttribute("data-ok"));
        List<WebElement> failed = browser.driver.findElements(By.cssSelector("#scenario-table tr[data-passed='false']"));
        assertEquals(2, failed.size(), "the two scenarios that expect yellow at 30% fail");
        assertTrue(failed.stream().allMatch(r -> r.getText().contains("期望抽查比例 30%，实际 40%")), failed.get(0).getText());
        browser.screenshot("rules-sampling-tests");

        // The expectations follow the policy: same rules, same version, passing scenarios.
        replaceInEditor(STRATA_SCENARIOS, "stratum: 黄色（中风险）\n      percent: 30", "30", "40");
        replaceInEditor(EXCLUSION_SCENARIOS, "stratum: 黄色（中风险）\n      percent: 30", "30", "40");
        assertEquals(candidate, save("浏览器测试：黄色 40%，更新测试场景"));
        assertEquals("true", clickAndAwait(By.id("run-tests"), "tests-result", "tests").getAttribute("data-ok"));

        // Simulate the draw for the new item in 石门二路街道: yellow goes from 30% to 40%, the rest stays.
        browser.driver.findElement(By.cssSelector("#sim-items input[value='" + item + "']")).click();
        browser.driver.findElements(By.cssSelector("#sim-items input:checked")).stream()
                .filter(e -> !item.equals(e.getAttribute("value"))).forEach(WebElement::click);
        new Select(browser.driver.findElement(By.id("sim-street"))).selectByValue("shimenerlu");
        browser.driver.findElement(By.id("simulate")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/console/rules/sampling/simulations/\\d+$"));
        // The page reloads when the job ends and then shows the result.
        browser.await(By.id("sim-summary"));
        assertEquals("DONE", browser.driver.findElement(By.cssSelector("[data-job-progress]")).getAttribute("data-status"));
        WebElement yellow = browser.await(By.cssSelector(".sim-item[data-item='" + item + "'] .sim-strata tr[data-stratum='黄色（中风险）']"));
        List<String> cells = yellow.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertEquals("30%", cells.get(3), cells.toString());
        assertEquals("40%", cells.get(6), cells.toString());
        assertTrue(Integer.parseInt(cells.get(5).replace(",", "")) >= 1, "our yellow merchant is a candidate: " + cells);
        assertTrue(browser.text(By.id("sim-params")).contains("石门二路"), browser.text(By.id("sim-params")));
        assertTrue(browser.present(By.cssSelector("#sim-samples .sample-cell[data-item='" + item + "']")), "the changed decisions are listed");
        assertTrue(browser.text(By.id("sim-samples")).contains("抽取 40%：黄色（中风险）"), browser.text(By.id("sim-samples")));
        // 检查力量: both versions side by side per squad and week (four weeks from next Monday by default).
        assertTrue(browser.present(By.id("sim-capacity-table")), "the capacity table is shown");
        assertTrue(browser.text(By.id("sim-capacity")).contains("生效版本") && browser.text(By.id("sim-capacity")).contains("候选版本"),
                browser.text(By.id("sim-capacity")));
        browser.screenshot("rules-sampling-simulation");

        // Activate, then roll back: plans drawn in between use 40%. Activation needs a fault-free simulation of
        // the whole district and every item (the one above covers one street and one item): run through the API.
        InspectionFixtures.simulateSamplingClean(candidate);
        activateFromSimulation("sampling", candidate, "浏览器测试：启用黄色 40%");
        assertEquals(candidate, browser.await(By.id("rules-version")).getAttribute("data-version"));
        assertEquals(candidate, activeSamplingVersion());
        assertEquals(activeBefore, activeVersion(), "the grading rules are untouched");
        browser.screenshot("rules-sampling-activated");

        rollBackToPrevious("sampling", "浏览器测试：黄色回到 30%");
        assertEquals(before, activeSamplingVersion());

        browser.driver.findElement(By.id("nav-rules-audit")).click();
        String audit = browser.text(By.id("audit-table"));
        for (String s : List.of("浏览器测试：启用黄色 40%", "浏览器测试：黄色回到 30%", "浏览器测试：抽查规则写错方法名")) {
            assertTrue(audit.contains(s), "the sampling audit log has: " + s);
        }
        assertFalse(audit.contains("浏览器测试：启用 35 分黄色分数线"), "and not the grading rules' entries");
    }

    /** The editor of {@code file} is shown with an error at {@code line}: gutter marker, highlighted line, the zh-CN message under it. */
    static void assertErrorAtLine(String file, int line) {
        WebElement row = browser.await(By.cssSelector("#problem-table tr.problem.level-ERROR"));
        assertEquals(file, row.getAttribute("data-problem-file"));
        assertEquals(String.valueOf(line), row.getAttribute("data-problem-line"));
        String message = row.getAttribute("data-problem-message");
        assertTrue(message.contains("setThreshold"), "the message names the unknown method: " + message);
        assertTrue(message.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN), "zh-CN: " + message);
        assertTrue((Boolean) browser.js("return !document.querySelector(\".editor-file[data-file='" + file + "']\").hidden;"), "the file is shown");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) browser.js("""
                const cm = window.ruleEditors[arguments[0]];
                const i = cm.lineInfo(arguments[1] - 1);
                return { bg: i.bgClass || '', marker: !!(i.gutterMarkers && i.gutterMarkers['rule-markers']),
                         widget: (i.widgets || []).map(w => w.node.textContent).join(' ') };""", file, line);
        assertTrue(String.valueOf(info.get("bg")).contains("rule-line-ERROR"), "line " + line + " highlighted: " + info);
        assertEquals(Boolean.TRUE, info.get("marker"), "gutter marker at line " + line);
        assertTrue(String.valueOf(info.get("widget")).contains(message), "the message under line " + line + ": " + info);
        assertTrue(browser.text(By.cssSelector(".editor-file[data-file='" + file + "'] .CodeMirror")).contains("错误（第 " + line + " 行"));
        assertTrue(browser.present(By.cssSelector(".file-tab[data-file='" + file + "'] .file-count:not([hidden])")), "error count on the file");
    }

    @Test
    void ruleAuthorUploadsFiles() throws IOException {
        Path dir = Files.createTempDirectory("rules-upload");
        Path drl = dir.resolve("70-browser-upload.drl");
        Files.writeString(drl, """
                // 只用于自动化测试：只影响名称以“浏览器上传测试专用”开头的商户。
                package grading;

                import cn.urbanmgmt.risk.grading.model.*;

                rule "测试专用：名称以“浏览器上传测试专用”开头的商户加 50 分"
                when
                    $a : Assessment()
                    MerchantFact( name matches "浏览器上传测试专用.*" )
                then
                    $a.addPoints(50, "测试专用规则");
                end
                """, StandardCharsets.UTF_8);
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "不是规则文件", StandardCharsets.UTF_8);
        try {
            browser.login("author", TestSupport.PASSWORD);
            browser.open("/console/rules/grading");
            browser.await(By.id("upload-file")).sendKeys(drl.toString());
            browser.driver.findElement(By.id("upload-comment")).sendKeys("浏览器测试：上传一个规则文件");
            browser.driver.findElement(By.id("upload-submit")).click();
            browser.await(By.id("save-result"));
            String version = browser.driver.findElement(By.id("version-hash")).getAttribute("data-version");
            assertEquals("/console/rules/grading/versions/" + version, browser.path());
            assertEquals("true", browser.await(By.id("validation")).getAttribute("data-ok"), browser.text(By.id("validation")));
            // Added to the base (active) version's files, which are all kept.
            assertTrue(browser.present(By.cssSelector(".file-tab[data-file='grading/70-browser-upload.drl']")));
            assertTrue(browser.present(By.cssSelector(".file-tab[data-file='" + THRESHOLDS + "']")));
            assertTrue(browser.present(By.cssSelector(".file-tab[data-file='" + INSPECTION_SCENARIOS + "']")));
            assertEquals("CANDIDATE", browser.driver.findElement(By.id("version-state")).getAttribute("data-state"));
            assertEquals(activeBefore, activeVersion(), "uploading does not activate");
            // Its export link gives the zip (the browser's session works on the API).
            Object type = browser.js("return fetch(document.getElementById('export-version').href).then(r => r.status + ' ' + r.headers.get('Content-Type'));");
            assertEquals("200 application/zip", type);

            // The same rule set as an exported zip (the active version's files plus the new one): the same version again.
            Path zip = dir.resolve("rules.zip");
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip), StandardCharsets.UTF_8)) {
                Map<String, String> files = new java.util.TreeMap<>(as("author").get("/api/v1/rules/versions/" + version + "/export").then()
                        .statusCode(200).extract().jsonPath().getMap("files"));
                files.putAll(as("author").get("/api/v1/rules/versions/" + version + "/export").then().extract().jsonPath().getMap("tests"));
                for (Map.Entry<String, String> f : files.entrySet()) {
                    out.putNextEntry(new java.util.zip.ZipEntry("rules/" + f.getKey()));
                    out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            browser.open("/console/rules/grading");
            browser.await(By.id("upload-file")).sendKeys(zip.toString());
            browser.driver.findElement(By.id("upload-submit")).click();
            assertEquals("false", browser.await(By.id("save-result")).getAttribute("data-created"), "same rules, same version");
            assertEquals(version, browser.driver.findElement(By.id("version-hash")).getAttribute("data-version"));
            Files.delete(zip);

            // A file that is neither rules nor scenarios: refused, in Chinese, nothing stored.
            browser.open("/console/rules/grading");
            browser.await(By.id("upload-file")).sendKeys(text.toString());
            browser.driver.findElement(By.id("upload-submit")).click();
            WebElement problem = browser.await(By.id("problem"));
            assertEquals("400", problem.getAttribute("data-status"));
            assertTrue(problem.getText().contains("notes.txt") && problem.getText().contains("类型无法识别"), problem.getText());
            browser.screenshot("rules-upload-refused");

            // An htmx step without the CSRF header is refused.
            browser.open("/console/rules/grading/versions/" + version);
            browser.await(By.id("validate"));
            Number status = (Number) browser.js("return fetch(arguments[0], { method: 'POST', headers: { 'HX-Request': 'true' } }).then(r => r.status);",
                    "/console/rules/grading/versions/" + version + "/validate");
            assertEquals(400, status.intValue(), "no CSRF token, no validation");
        } finally {
            Files.deleteIfExists(drl);
            Files.deleteIfExists(text);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void adminMayViewAndRollBackButNotChangeRules() {
        browser.login("admin", TestSupport.PASSWORD);
        browser.open("/console/rules/grading");
        assertEquals(activeBefore, browser.await(By.id("rules-version")).getAttribute("data-version"));
        assertFalse(browser.present(By.id("upload-card")), "no upload for ADMIN");
        assertTrue(browser.present(By.id("rollback-card")), "ADMIN may roll back");

        browser.driver.findElement(By.id("open-active")).click();
        browser.await(By.cssSelector(".editor-pane .CodeMirror"));
        assertEquals(Boolean.TRUE, browser.js("return Object.values(window.ruleEditors).every(cm => cm.getOption('readOnly') === true);"));
        for (String id : List.of("save-form", "validate", "run-tests", "simulate-form", "activate-form")) {
            assertFalse(browser.present(By.id(id)), "ADMIN has no " + id);
        }
        assertTrue(browser.text(By.id("admin-note")).contains("不能") || browser.text(By.id("admin-note")).contains("须由规则编写员"));
        browser.screenshot("rules-admin");

        // Sent anyway, with a valid CSRF token: refused by role, nothing changes.
        String version = browser.driver.findElement(By.id("version-hash")).getAttribute("data-version");
        for (String step : List.of("activate", "validate", "test")) {
            Number status = (Number) browser.js("""
                    return fetch(arguments[0], { method: 'POST', headers: { 'HX-Request': 'true', 'X-CSRF-Token': (document.querySelector('meta[name=csrf-token]') || {}).content,
                      'Content-Type': 'application/x-www-form-urlencoded' }, body: 'comment=x' }).then(r => r.status);""",
                    "/console/rules/grading/versions/" + version + "/" + step);
            assertEquals(403, status.intValue(), "ADMIN may not " + step);
        }
        assertEquals(activeBefore, activeVersion());
    }

    @Test
    void squadAndPlannerCannotReachTheRulesPages() {
        String v = activeBefore;
        for (String user : List.of("squad-jingansi", "planner")) {
            browser.login(user, TestSupport.PASSWORD);
            assertFalse(browser.present(By.cssSelector("[data-nav=rules]")), user + ": no menu entry");
            for (String path : List.of("/console/rules", "/console/rules/grading", "/console/rules/grading/versions/" + v,
                    "/console/rules/grading/diff", "/console/rules/grading/audit")) {
                browser.open(path);
                assertEquals("403", browser.await(By.id("error-detail")).getAttribute("data-status"), user + " " + path);
                assertTrue(browser.text(By.id("error-title")).contains("无权访问"), user + " " + path);
            }
            Number status = (Number) browser.js("""
                    return fetch(arguments[0], { method: 'POST', headers: { 'X-CSRF-Token': (document.querySelector('meta[name=csrf-token]') || {}).content,
                      'Content-Type': 'application/x-www-form-urlencoded' }, body: 'comment=x' }).then(r => r.status);""",
                    "/console/rules/grading/rollback");
            assertEquals(403, status.intValue(), user + " may not roll back");
        }
        assertEquals(v, activeVersion());
    }
}
