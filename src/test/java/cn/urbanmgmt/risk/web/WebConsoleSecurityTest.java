package cn.urbanmgmt.risk.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Form login next to HTTP Basic, at the HTTP level: who is redirected, who gets a 401, CSRF on forms. */
@QuarkusTest
public class WebConsoleSecurityTest {

    static final String SESSION = "quarkus-credential";
    static final String CSRF = "csrf-token";
    static final String CSRF_COOKIE = "console-csrf";

    /** Opens the login page and returns its cookies (the CSRF cookie among them). */
    static Map<String, String> loginPage() {
        Response page = given().redirects().follow(false).get("/login");
        page.then().statusCode(200).contentType(containsString("text/html")).body(containsString("j_security_check?csrf-token="));
        return new HashMap<>(page.getCookies());
    }

    /** Logs in through the login form as a browser does and returns the session cookies. */
    public static Map<String, String> login(String user) {
        Map<String, String> cookies = loginPage();
        Response r = given().redirects().follow(false).cookies(cookies)
                .formParam("j_username", user).formParam("j_password", TestSupport.PASSWORD)
                .post("/j_security_check?" + CSRF + "=" + cookies.get(CSRF_COOKIE));
        r.then().statusCode(302);
        assertNotNull(r.getCookie(SESSION), "a session cookie after login");
        cookies.putAll(r.getCookies());
        return cookies;
    }

    @Test
    void apiClientsWithoutCredentialsGetProblemJsonNotTheLoginPage() {
        given().redirects().follow(false).get("/api/v1/merchants").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Basic"))
                .header("Location", nullValue());
        given().redirects().follow(false).auth().preemptive().basic("planner", "wrong").get("/api/v1/merchants").then()
                .statusCode(401).contentType("application/problem+json");
        // API answers carry no console cookies.
        TestSupport.as("planner").get("/api/v1/merchants").then().statusCode(200).header("Set-Cookie", nullValue());
    }

    @Test
    void consolePagesSendAnonymousVisitorsToTheLoginPage() {
        given().redirects().follow(false).get("/console/merchants").then().statusCode(302).header("Location", endsWith("/login"));
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/console"));
        given().get("/public").then().statusCode(200).contentType(containsString("text/html")).body(containsString("本页无需登录"));
    }

    @Test
    void loginNeedsTheCsrfTokenOfTheLoginPage() {
        Map<String, String> cookies = loginPage();
        Response noToken = given().redirects().follow(false).cookies(cookies)
                .formParam("j_username", "admin").formParam("j_password", TestSupport.PASSWORD).post("/j_security_check");
        noToken.then().statusCode(303).header("Location", endsWith("/login?csrf=true"));
        assertNull(noToken.getCookie(SESSION));
        Response wrongPassword = given().redirects().follow(false).cookies(cookies)
                .formParam("j_username", "admin").formParam("j_password", "nope").post("/j_security_check?" + CSRF + "=" + cookies.get(CSRF_COOKIE));
        wrongPassword.then().log().ifValidationFails().statusCode(302).header("Location", endsWith("/login?error=true"));
        assertNull(wrongPassword.getCookie(SESSION));
    }

    @Test
    void theSessionOpensTheConsoleAndTheApiForTheBrowser() {
        Map<String, String> cookies = login("planner");
        given().redirects().follow(false).cookies(cookies).get("/console/merchants").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("商户查询"));
        // The job progress bar reads GET /api/v1/jobs/{id} with the session cookie.
        given().redirects().follow(false).cookies(cookies).get("/api/v1/jobs").then().statusCode(200).contentType(containsString("json"));
        // The export links of the search page.
        given().redirects().follow(false).cookies(cookies).get("/api/v1/merchants/export?street=jingansi&format=csv").then()
                .statusCode(200).contentType(containsString("text/csv"));
    }

    @Test
    void formsWithoutTheCsrfTokenAreRejected() {
        Map<String, String> cookies = login("admin");
        given().redirects().follow(false).cookies(cookies).formParam("x", "1").post("/console/jobs/regrade").then().statusCode(400);
        given().redirects().follow(false).cookies(cookies).formParam(CSRF, "forged-token-forged-token-forged-t")
                .post("/console/jobs/regrade").then().statusCode(400);
        given().redirects().follow(false).cookies(cookies).formParam(CSRF, cookies.get(CSRF_COOKIE)).post("/console/jobs/regrade")
                .then().statusCode(303).header("Location", containsString("/console/jobs/"));
        // htmx sends the token as a header (hx-headers on <body>).
        given().redirects().follow(false).cookies(cookies).header("X-CSRF-Token", cookies.get(CSRF_COOKIE)).formParam("x", "1")
                .post("/console/jobs/regrade").then().statusCode(303);
    }

    @Test
    void logoutClearsTheSession() {
        Map<String, String> cookies = login("author");
        Response out = given().redirects().follow(false).cookies(cookies).formParam(CSRF, cookies.get(CSRF_COOKIE)).post("/logout");
        out.then().statusCode(303).header("Location", endsWith("/login?logout=true"));
        assertNotNull(out.getDetailedCookie(SESSION), "the session cookie is overwritten");
        given().redirects().follow(false).cookie(CSRF_COOKIE, cookies.get(CSRF_COOKIE)).cookies(out.getCookies()).get("/console/merchants")
                .then().statusCode(302).header("Location", endsWith("/login"));
    }
}
