package cn.urbanmgmt.risk.web;

import static cn.urbanmgmt.risk.TestSupport.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 16: a squad officer's whole job on a 390×844 phone (headless Chromium in device mode): the
 * landing page (this week, mine), the menu with 退出, finding the visit by search, recording a result
 * with the checklist, the officers present and a photo, seeing the grade change, the photo on the visit
 * and merchant pages (never public), a bad upload refused in Chinese with the form kept, and a form
 * posted after the session ended that is kept and completed after logging in again. Every page is
 * checked for sideways scrolling (document scrollWidth ≤ window innerWidth); screenshots phone-*.png.
 */
@QuarkusTest
class SquadPhoneBrowserTest {

    static final String SQUAD_USER = SquadConsoleTest.SQUAD_USER;

    @TestHTTPResource("/")
    URL base;

    @Inject
    AgroalDataSource db;

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

    /** No sideways scrolling on this page, then its screenshot. */
    static void fits(String screenshot) {
        assertEquals(Browser.PHONE_WIDTH, ((Number) browser.js("return window.innerWidth;")).intValue(), "the phone's width");
        assertTrue(browser.overflow() <= 0, "no sideways scrolling on " + browser.path() + ": the page is "
                + browser.js("return document.documentElement.scrollWidth;") + " px wide");
        if (screenshot != null) browser.screenshot(screenshot);
    }

    static double height(WebElement e) {
        return ((Number) browser.js("return arguments[0].getBoundingClientRect().height;", e)).doubleValue();
    }

    static Path png() {
        try {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(200, 120, 40));
            g.fillRect(0, 0, 320, 240);
            g.setColor(Color.WHITE);
            g.fillRect(40, 60, 240, 120);
            g.dispose();
            Path file = Files.createTempFile("evidence", ".png");
            ImageIO.write(img, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void squadOfficerDoesTheWholeJobOnAPhone() throws IOException {
        SquadConsoleTest.Setup s = SquadConsoleTest.setup(3);
        String badge = s.badges().get(0);
        SquadConsoleTest.badge(db, SQUAD_USER, badge);
        try {
            journey(s, badge);
        } finally {
            SquadConsoleTest.badge(db, SQUAD_USER, null);
        }
    }

    private void journey(SquadConsoleTest.Setup s, String badge) throws IOException {
        // The login page fits the phone.
        browser.forget();
        browser.open("/login");
        browser.await(By.id("login-form"));
        fits("phone-login");

        // Landing page: this week's visits of the officer (the account's badge number).
        browser.login(SQUAD_USER, TestSupport.PASSWORD);
        browser.open("/console");
        browser.wait.until(ExpectedConditions.urlContains("/console/visits"));
        assertTrue(browser.path().contains("when=week") && browser.path().contains("mine=true"), browser.path());
        assertTrue(browser.await(By.id("view-week")).getAttribute("class").contains("active"));
        List<String> mine = browser.driver.findElements(By.cssSelector("#visit-table tbody tr")).stream().map(r -> r.getAttribute("data-uscc")).toList();
        List<String> assigned = s.visits().stream().filter(v -> ((List<?>) v.get("inspectors")).stream()
                .anyMatch(i -> badge.equals(((Map<?, ?>) i).get("badgeNo")))).map(v -> (String) v.get("uscc")).toList();
        assertEquals(assigned.size(), mine.size(), "only the visits the officer is assigned to: " + mine);
        assertTrue(mine.containsAll(assigned));
        fits("phone-visits-mine");

        // The menu: collapsed into a button, opens with the navigation and 退出, tap targets of 44 px.
        WebElement logout = browser.driver.findElement(By.id("logout"));
        assertFalse(logout.isDisplayed(), "the menu is closed at first");
        browser.driver.findElement(By.id("menu-toggle")).click();
        browser.wait.until(ExpectedConditions.visibilityOf(logout));
        assertTrue(height(logout) >= 44, "退出 is at least 44 px high");
        for (WebElement a : browser.driver.findElements(By.cssSelector(".topbar nav a"))) {
            assertTrue(height(a) >= 44, a.getText() + " is at least 44 px high: " + height(a));
        }
        fits("phone-menu");
        browser.driver.findElement(By.id("menu-toggle")).click();

        // Find the visit by (part of) the merchant's name: one card with the merchant, address, window, status and one big button.
        String target = s.usccs().get(1);
        WebElement week = browser.driver.findElement(By.id("view-week"));
        browser.driver.findElement(By.id("view-all")).click();
        browser.wait.until(ExpectedConditions.stalenessOf(week));
        browser.await(By.cssSelector("#view-all.active"));
        if (browser.present(By.cssSelector("#view-mine.active"))) {
            // all of the squad's visits, not only the officer's own
            WebElement mineTab = browser.driver.findElement(By.id("view-mine"));
            mineTab.click();
            browser.wait.until(ExpectedConditions.stalenessOf(mineTab));
        }
        assertFalse(browser.present(By.cssSelector("#view-mine.active")));
        WebElement q = browser.await(By.id("f-q"));
        q.sendKeys("面馆" + s.tag() + "号1");
        browser.driver.findElement(By.id("search-visits")).click();
        browser.wait.until(ExpectedConditions.urlContains("q="));
        List<WebElement> cards = browser.driver.findElements(By.cssSelector("#visit-table tbody tr"));
        assertEquals(1, cards.size(), "one visit found");
        WebElement card = cards.get(0);
        assertEquals(target, card.getAttribute("data-uscc"));
        String text = card.getText();
        assertTrue(text.contains("手机巡查面馆" + s.tag() + "号1") && text.contains("芷江西路" + s.tag() + "弄1号")
                && text.contains(card.findElement(By.cssSelector(".c-window")).getText()) && text.contains(" 至 ") && text.contains("待检查"), text);
        WebElement record = card.findElement(By.cssSelector("a.visit-link"));
        assertEquals("登记结果", record.getText());
        assertTrue(height(record) >= 44, "登记结果 is a big button");
        double cardWidth = ((Number) browser.js("return arguments[0].getBoundingClientRect().right;", card)).doubleValue();
        assertTrue(cardWidth <= Browser.PHONE_WIDTH, "the card fits the screen: " + cardWidth);
        fits("phone-search");
        // the same search through the USCC and the address
        browser.open("/console/visits?q=" + target);
        assertEquals(1, browser.driver.findElements(By.cssSelector("#visit-table tbody tr")).size());
        browser.open("/console/visits?q=" + java.net.URLEncoder.encode(s.tag() + "弄1", StandardCharsets.UTF_8));
        assertEquals(1, browser.driver.findElements(By.cssSelector("#visit-table tbody tr")).size());

        // Record the result: checklist deduction, findings, officers present, a photo.
        long merchantId = s.merchantIds().get(1);
        String before = as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().statusCode(200).extract().path("grade");
        browser.driver.findElement(By.cssSelector("#visit-table a.visit-link")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/console/visits/\\d+$"));
        browser.await(By.id("result-form"));
        fits("phone-visit");
        List<WebElement> present = browser.driver.findElements(By.cssSelector("#present-officers input[name=present]"));
        assertEquals(2, present.size(), "the visit's team to tick");
        assertTrue(present.stream().allMatch(WebElement::isSelected), "all present unless unticked");
        new Select(browser.driver.findElement(By.cssSelector("#result-rows tr[data-item='" + s.item() + "'] .r-outcome"))).selectByValue("CASE_OPENED");
        browser.driver.findElement(By.cssSelector("#result-rows .r-findings")).sendKeys("店外占道经营，灶具摆放在人行道上，拒不整改");
        browser.driver.findElement(By.cssSelector("#result-rows .r-ded-code")).sendKeys(s.item() + "-03");
        browser.driver.findElement(By.cssSelector("#result-rows .r-ded-points")).sendKeys("12");
        browser.driver.findElement(By.cssSelector("#result-rows .r-score")).sendKeys("40");
        Path photo = png();
        browser.driver.findElement(By.id("r-photos")).sendKeys(photo.toAbsolutePath().toString());
        WebElement submit = browser.driver.findElement(By.id("submit-result"));
        assertTrue(height(submit) >= 44);
        fits("phone-result-form");
        submit.click();

        // The grade changes at once, as the grading API then says.
        WebElement after = browser.await(By.id("grade-after"));
        String now = as("admin").get("/api/v1/merchants/" + merchantId + "/grade").then().statusCode(200).extract().path("grade");
        assertEquals(before, after.getAttribute("data-previous"));
        assertEquals(now, after.getAttribute("data-grade"));
        assertEquals("true", after.getAttribute("data-changed"), "a case opened, a score under 60 and a 12-point deduction change the grade");
        assertTrue(browser.text(By.cssSelector("#visit-results tr[data-item='" + s.item() + "'] .deductions")).contains(s.item() + "-03 扣 12"));
        assertEquals(2, browser.text(By.id("visit-present")).split("）").length, browser.text(By.id("visit-present")));
        WebElement img = browser.await(By.cssSelector("#visit-photos img"));
        browser.wait.until(d -> ((Number) browser.js("return arguments[0].naturalWidth;", img)).intValue() == 320);
        String photoUrl = img.getAttribute("src");
        fits("phone-visit-result");

        // The merchant page: the photo, and a link to its visits and back.
        browser.driver.findElement(By.cssSelector("#visit-head a[href='/console/merchants/" + merchantId + "']")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/merchants/" + merchantId));
        assertEquals(1, browser.driver.findElements(By.cssSelector("#merchant-photos img")).size());
        fits("phone-merchant");
        browser.driver.findElement(By.id("merchant-visits")).click();
        browser.wait.until(ExpectedConditions.urlContains("merchantId=" + merchantId));
        assertEquals(1, browser.driver.findElements(By.cssSelector("#visit-table tbody tr")).size());
        assertTrue(browser.text(By.cssSelector("#visit-table tbody tr")).contains("已完成"));
        fits("phone-merchant-visits");
        browser.driver.findElement(By.id("back-to-merchant")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/console/merchants/" + merchantId + "$"));

        // Photos are never public: not without login, not for another squad, not on the public pages.
        String photoPath = photoUrl.substring(photoUrl.indexOf("/console/"));
        given().redirects().follow(false).get(photoPath).then().statusCode(302);
        java.util.Map<String, String> other = WebConsoleSecurityTest.login("squad-jingansi");
        given().cookies(other).get(photoPath).then().statusCode(404);
        String published = given().get("/public/results").then().statusCode(200).extract().asString();
        assertFalse(published.contains("/photos/"));

        // A bad upload: a text file named .png is refused in Chinese on the form, nothing recorded, the text kept.
        Map<String, Object> second = s.visits().stream().filter(v -> s.usccs().get(2).equals(v.get("uscc"))).findFirst().orElseThrow();
        long secondId = ((Number) second.get("id")).longValue();
        browser.open("/console/visits/" + secondId);
        new Select(browser.await(By.cssSelector("#result-rows .r-outcome"))).selectByValue("NO_PROBLEM");
        browser.driver.findElement(By.cssSelector("#result-rows .r-findings")).sendKeys("门责区域整洁");
        Path fake = Files.createTempFile("not-a-photo", ".png");
        Files.writeString(fake, "this is not an image");
        browser.driver.findElement(By.id("r-photos")).sendKeys(fake.toAbsolutePath().toString());
        browser.driver.findElement(By.id("submit-result")).click();
        WebElement error = browser.await(By.id("result-error"));
        assertEquals("400", error.getAttribute("data-status"));
        assertTrue(error.getText().contains("不是 JPEG、PNG 或 WebP 图片") && error.getText().contains("结果未登记"), error.getText());
        assertEquals("门责区域整洁", browser.driver.findElement(By.cssSelector("#result-rows .r-findings")).getAttribute("value"));
        assertEquals("PENDING", browser.driver.findElement(By.id("visit-head")).getAttribute("data-status"));
        fits("phone-photo-refused");

        // The session warns before it ends (1 h without a request) ...
        assertEquals("3600", browser.driver.findElement(By.cssSelector("meta[name=session-timeout]")).getAttribute("content"));
        browser.js("window.consoleSession.warn();");
        assertTrue(browser.await(By.id("session-warning")).getText().contains("分钟后因长时间无操作而过期"));
        fits("phone-session-warning");
        browser.driver.findElement(By.id("session-renew")).click();
        browser.wait.until(d -> !browser.present(By.id("session-warning")));

        // ... and a result posted after it ended is kept, and completed after logging in again.
        Map<String, Object> third = s.visits().stream().filter(v -> s.usccs().get(0).equals(v.get("uscc"))).findFirst().orElseThrow();
        long thirdId = ((Number) third.get("id")).longValue();
        browser.open("/console/visits/" + thirdId);
        new Select(browser.await(By.cssSelector("#result-rows .r-outcome"))).selectByValue("RECTIFIED_ON_SPOT");
        browser.driver.findElement(By.cssSelector("#result-rows .r-findings")).sendKeys("招牌破损，当场整改完毕");
        browser.driver.manage().deleteCookieNamed(WebConsoleSecurityTest.SESSION); // the session ends while the officer types
        browser.driver.findElement(By.id("submit-result")).click();
        browser.wait.until(ExpectedConditions.urlContains("/login"));
        assertTrue(browser.await(By.id("login-expired")).getText().contains("登录已过期"));
        fits("phone-session-expired");
        browser.driver.findElement(By.id("username")).sendKeys(SQUAD_USER);
        browser.driver.findElement(By.id("password")).sendKeys(TestSupport.PASSWORD);
        browser.driver.findElement(By.id("login-submit")).click();
        WebElement done = browser.await(By.id("result-recorded"));
        assertTrue(done.isDisplayed());
        assertTrue(browser.path().startsWith("/console/visits/" + thirdId), browser.path());
        assertTrue(browser.text(By.id("visit-results")).contains("招牌破损，当场整改完毕"), "the text typed before the session ended was recorded");
        assertEquals("DONE", as("admin").get("/api/v1/inspection/visits/" + thirdId).then().statusCode(200).extract().path("status"));

        // htmx after the end: the whole page goes to the login page with the note (no fragment swapped in).
        browser.driver.manage().deleteCookieNamed(WebConsoleSecurityTest.SESSION);
        browser.js("htmx.ajax('GET', '/console/visits', {target: 'main'});");
        browser.wait.until(ExpectedConditions.urlContains("/login?expired=true"));
        browser.await(By.id("login-expired"));

        // The squad's other pages fit the phone too: 商户查询 (wide tables scroll inside their card), 风险分布, 公示.
        browser.login(SQUAD_USER, TestSupport.PASSWORD);
        browser.open("/console/merchants?q=" + java.net.URLEncoder.encode("手机巡查面馆" + s.tag(), StandardCharsets.UTF_8));
        browser.await(By.cssSelector("main"));
        fits("phone-merchants");
        browser.open("/console/overview");
        browser.await(By.cssSelector("main"));
        fits("phone-overview");
        browser.open("/public");
        browser.await(By.cssSelector("main"));
        fits(null);
        browser.open("/public/results");
        browser.await(By.cssSelector("main"));
        fits(null);

        // Console errors are pages in Chinese at phone size too.
        browser.open("/console/no-such-page");
        assertEquals("404", browser.await(By.id("error-detail")).getAttribute("data-status"));
        fits("phone-not-found");
    }
}
