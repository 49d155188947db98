package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Issue 16 on a 390×844 phone (headless Chromium in device mode), beside the squad journey
 * (SquadPhoneBrowserTest): the plan list, a plan and a rule version page, whose wide tables turn into
 * cards below 1,000 px. Every page is checked for sideways scrolling (document scrollWidth ≤ window
 * innerWidth); screenshots phone-plans.png, phone-plan.png, phone-rule-version.png.
 */
@QuarkusTest
class PlanPhoneBrowserTest {

    @TestHTTPResource("/")
    URL base;

    static Browser browser;

    @BeforeEach
    void openBrowser() {
        if (browser == null) browser = new Browser(base.toString());
        browser.phone();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    private static void fits(String screenshot) {
        assertEquals(Browser.PHONE_WIDTH, ((Number) browser.js("return window.innerWidth;")).intValue(), "the phone's width");
        assertTrue(browser.overflow() <= 0, "no sideways scrolling on " + browser.path() + ": the page is "
                + browser.js("return document.documentElement.scrollWidth;") + " px wide");
        browser.screenshot(screenshot);
    }

    /** The table is shown as cards: no header row, one block per row. */
    private static void cards(String selector) {
        assertEquals("none", browser.js("return getComputedStyle(document.querySelector(arguments[0] + ' thead')).display;", selector),
                selector + " has no header row on a phone");
        assertEquals("block", browser.js("return getComputedStyle(document.querySelector(arguments[0] + ' tbody tr')).display;", selector),
                selector + " rows are cards");
    }

    @Test
    void planListPlanAndRuleVersionPagesFitAPhone() {
        SquadConsoleTest.Setup s = SquadConsoleTest.setup(2);

        browser.login("planner", TestSupport.PASSWORD);
        browser.open("/console/plans");
        browser.await(By.id("plan-table"));
        cards("#plan-table");
        fits("phone-plans");

        browser.open("/console/plans/" + s.planId());
        browser.await(By.id("visit-table"));
        cards("#visit-table");
        cards("#item-table");
        cards("#squad-progress");
        cards(".strata-table");
        fits("phone-plan");

        String version = as("author").get("/api/v1/rules/active").then().statusCode(200).extract().jsonPath().getString("version");
        browser.login("author", TestSupport.PASSWORD);
        browser.open("/console/rules/grading/versions/" + version);
        browser.await(By.cssSelector(".editor-pane .CodeMirror"));
        fits("phone-rule-version");
        browser.driver.findElement(By.id("run-tests")).click();
        // The shipped scenarios pass: their table is folded under 「全部 … 个场景通过」; unfold it.
        browser.await(By.id("passed-scenarios"));
        browser.js("document.getElementById('passed-scenarios').open = true;");
        browser.await(By.cssSelector("#passed-table tbody tr"));
        cards("#passed-table");
        fits("phone-rule-version-tests");
    }
}
