package cn.urbanmgmt.risk.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.common.TextRules;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, points 1 and 2 in the console: a form field with a control character or beyond the
 * documented length is refused with a zh-CN page naming the field (HTML, not JSON), and nothing is
 * done; a field beyond the HTTP layer's limit (4 MB) gets an HTML page too; the login form refuses
 * such a user name on the login page.
 */
@QuarkusTest
class FormFieldLimitsTest {

    private static String user() {
        return "form." + TestSupport.uscc().substring(10, 16).toLowerCase();
    }

    @Test
    void aControlCharacterInAFormFieldIsAFieldErrorOnThePage() {
        Map<String, String> cookies = WebConsoleSecurityTest.login("admin");
        String user = user();
        given().cookies(cookies).formParam(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .formParam("username", user).formParam("displayName", "页面\u0000测试").formParam("roles", "PLANNER")
                .post("/console/users")
                .then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("表单内容有误")).body(containsString("表单字段“displayName”"))
                .body(containsString("U+0000")).body(containsString("操作未执行"));
        given().cookies(cookies).get("/console/users").then().statusCode(200).body(not(containsString(user)));
    }

    @Test
    void aFieldBeyondTheDocumentedLengthIsRefusedOnThePage() {
        Map<String, String> cookies = WebConsoleSecurityTest.login("admin");
        String user = user();
        given().cookies(cookies).formParam(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .formParam("username", user).formParam("displayName", "长".repeat(TextRules.MAX_FORM_FIELD_CHARS + 1))
                .formParam("roles", "PLANNER").post("/console/users")
                .then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("表单字段“displayName”")).body(containsString("超过了 1000000 个字符的上限"));
        given().cookies(cookies).get("/console/users").then().statusCode(200).body(not(containsString(user)));
        // Beyond the HTTP layer's 4 MB per field: refused before the page resource, still as a page.
        given().cookies(cookies).formParam(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .formParam("username", user).formParam("displayName", "x".repeat(4 * 1024 * 1024 + 1))
                .formParam("roles", "PLANNER").post("/console/users")
                .then().statusCode(413).contentType(containsString("text/html")).body(containsString("上传内容过大"))
                .body(containsString("4096 KB"));
    }

    @Test
    void theLoginFormRefusesAControlCharacterOrAnOversizedName() {
        Map<String, String> cookies = WebConsoleSecurityTest.loginPage();
        given().redirects().follow(false).cookies(cookies).formParam("j_username", "ad\u0000min").formParam("j_password", "x")
                .post("/j_security_check?" + WebConsoleSecurityTest.CSRF + "=" + cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .then().statusCode(303).header("Location", endsWith("/login?invalid=username"));
        given().redirects().follow(false).cookies(cookies).formParam("j_username", "admin").formParam("j_password", "p".repeat(300))
                .post("/j_security_check?" + WebConsoleSecurityTest.CSRF + "=" + cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .then().statusCode(303).header("Location", endsWith("/login?invalid=password"));
        given().cookies(cookies).get("/login?invalid=username").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("用户名含有不允许的字符"));
        // The same name over HTTP Basic: 401 problem+json (it used to reach PostgreSQL, which refuses U+0000: 500).
        given().auth().preemptive().basic("ad\u0000min", "x").get("/api/v1/merchants").then().statusCode(401)
                .contentType(cn.urbanmgmt.risk.common.Problem.MEDIA_TYPE);
    }
}
