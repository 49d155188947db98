package cn.urbanmgmt.risk.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 14, point 1 in the console: 账号管理 for ADMIN only; a new officer's temporary password is shown once. */
@QuarkusTest
class UserPagesTest {

    @Test
    void adminCreatesAnOfficerAccountInTheConsole() {
        Map<String, String> cookies = WebConsoleSecurityTest.login("admin");
        given().cookies(cookies).get("/console/users").then().statusCode(200).body(containsString("账号管理"))
                .body(containsString("wang.jingansi")).body(containsString("法制审核"));
        String user = "page." + TestSupport.uscc().substring(10, 16).toLowerCase();
        Response created = given().cookies(cookies).formParam(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .formParam("username", user).formParam("displayName", "页面测试").formParam("roles", "SQUAD")
                .formParam("squad", "sq-jingansi").post("/console/users");
        created.then().statusCode(200).body(containsString("已创建账号 " + user));
        Matcher m = Pattern.compile("id=\"temporary-password\">([^<]+)<").matcher(created.asString());
        assertTrue(m.find(), "the temporary password is shown once");
        String temporary = m.group(1);
        assertNotNull(temporary);
        // The new officer must change the password first.
        given().auth().preemptive().basic(user, temporary).get("/api/v1/merchants").then().statusCode(403)
                .body("detail", containsString("请先修改密码"));
        // Bad input is shown on the page, nothing is created.
        given().cookies(cookies).formParam(WebConsoleSecurityTest.CSRF, cookies.get(WebConsoleSecurityTest.CSRF_COOKIE))
                .formParam("username", user).formParam("displayName", "重复").formParam("roles", "PLANNER").post("/console/users")
                .then().statusCode(400).body(containsString("已存在"));
    }

    @Test
    void otherRolesDoNotSeeIt() {
        Map<String, String> cookies = WebConsoleSecurityTest.login("planner");
        given().cookies(cookies).get("/console/users").then().statusCode(403);
        given().cookies(cookies).get("/console/merchants").then().statusCode(200).body(not(containsString("账号管理")));
    }
}
