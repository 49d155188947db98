package cn.urbanmgmt.risk.security;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.merchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 14, point 1: accounts per officer managed by ADMIN, password policy, forced change after a reset. */
@QuarkusTest
class UserManagementTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    LoginThrottle throttle;

    @AfterEach
    void forgetCounts() {
        throttle.reset();
    }

    private static RequestSpecification login(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }

    private static String name(String prefix) {
        return prefix + "." + uscc().substring(10, 16).toLowerCase();
    }

    private static JsonPath create(Map<String, Object> body) {
        return as("admin").contentType(ContentType.JSON).body(body).post("/api/v1/users").then().statusCode(201)
                .extract().jsonPath();
    }

    @Test
    void anOfficerAccountStartsWithATemporaryPasswordThatMustBeChanged() {
        String user = name("officer");
        JsonPath created = create(Map.of("username", user, "displayName", "吴警官", "badgeNo", "T-" + user.substring(8),
                "roles", List.of("执法队员"), "squad", "sq-jingansi"));
        String temporary = created.getString("temporaryPassword");
        org.junit.jupiter.api.Assertions.assertTrue(temporary != null && PasswordPolicy.problem(user, temporary) == null, temporary);
        long id = created.getLong("user.id");
        as("admin").get("/api/v1/users/" + id).then().statusCode(200).body("roles", equalTo(List.of("SQUAD")))
                .body("squad", is("sq-jingansi")).body("mustChangePassword", is(true)).body("passwordHash", nullValue());

        // With the temporary password only the password change is open.
        login(user, temporary).get("/api/v1/merchants").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("请先修改密码"));
        login(user, temporary).contentType(ContentType.JSON).body(Map.of("currentPassword", temporary, "newPassword", "short1"))
                .post(PasswordChange.PATH).then().statusCode(400).contentType(PROBLEM).body("errors[0].field", is("newPassword"))
                .body("detail", containsString("至少 10 位"));
        login(user, temporary).contentType(ContentType.JSON).body(Map.of("currentPassword", temporary, "newPassword", "abcdefghijk"))
                .post(PasswordChange.PATH).then().statusCode(400).body("detail", containsString("字母和数字"));
        login(user, temporary).contentType(ContentType.JSON).body(Map.of("currentPassword", temporary, "newPassword", user + "2026x"))
                .post(PasswordChange.PATH).then().statusCode(400).body("detail", containsString("用户名"));
        login(user, temporary).contentType(ContentType.JSON).body(Map.of("currentPassword", "wrong", "newPassword", "Jingan2026safe"))
                .post(PasswordChange.PATH).then().statusCode(400).body("errors[0].field", is("currentPassword"));
        login(user, temporary).contentType(ContentType.JSON).body(Map.of("currentPassword", temporary, "newPassword", "Jingan2026safe"))
                .post(PasswordChange.PATH).then().statusCode(204);

        login(user, temporary).get("/api/v1/merchants").then().statusCode(401);
        login(user, "Jingan2026safe").get("/api/v1/account").then().statusCode(200).body("username", is(user))
                .body("mustChangePassword", is(false)).body("displayName", is("吴警官"));

        // Every write names the officer, not a shared squad login.
        String code = uscc();
        long merchant = login(user, "Jingan2026safe").contentType(ContentType.JSON).body(merchant(code, "jingansi"))
                .post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
        as("admin").get("/api/v1/merchants/" + merchant + "/audit").then().statusCode(200).body("changedBy", hasItem(user));
        // The squad binding still confines the officer to the squad's streets.
        login(user, "Jingan2026safe").contentType(ContentType.JSON).body(merchant(uscc(), "daninglu"))
                .post("/api/v1/merchants").then().statusCode(403);
    }

    @Test
    void adminDisablesEnablesResetsAndChangesRoles() {
        String user = name("planner");
        long id = create(Map.of("username", user, "displayName", "钱计划", "roles", List.of("PLANNER"),
                "password", "Planner2026ok")).getLong("user.id");
        // An ADMIN-chosen password is temporary as well.
        login(user, "Planner2026ok").contentType(ContentType.JSON).body(Map.of("currentPassword", "Planner2026ok", "newPassword", "Mine2026okay"))
                .post(PasswordChange.PATH).then().statusCode(204);
        login(user, "Mine2026okay").get("/api/v1/merchants").then().statusCode(200);
        login(user, "Mine2026okay").get("/api/v1/users").then().statusCode(403);

        as("admin").post("/api/v1/users/" + id + "/disable").then().statusCode(200).body("enabled", is(false));
        login(user, "Mine2026okay").get("/api/v1/merchants").then().statusCode(401);
        as("admin").post("/api/v1/users/" + id + "/enable").then().statusCode(200).body("enabled", is(true));
        login(user, "Mine2026okay").get("/api/v1/merchants").then().statusCode(200);

        // Roles: PLANNER and 法制审核 (REVIEWER); the identity changes at once (the login cache is forgotten).
        as("admin").contentType(ContentType.JSON).body(Map.of("displayName", "钱计划", "roles", List.of("PLANNER", "法制审核")))
                .put("/api/v1/users/" + id).then().statusCode(200).body("roles", equalTo(List.of("PLANNER", "REVIEWER")));
        login(user, "Mine2026okay").get("/api/v1/account").then().statusCode(200).body("roles", hasItems("PLANNER", "REVIEWER"));

        // Locked out, then ADMIN resets: the temporary password works (for the change only), the old one not.
        for (int i = 0; i < 5; i++) login(user, "wrong" + i).get("/api/v1/merchants").then().statusCode(401);
        login(user, "Mine2026okay").get("/api/v1/merchants").then().statusCode(429);
        String temporary = as("admin").post("/api/v1/users/" + id + "/reset-password").then().statusCode(200)
                .extract().jsonPath().getString("temporaryPassword");
        login(user, "Mine2026okay").get("/api/v1/merchants").then().statusCode(401);
        login(user, temporary).get("/api/v1/merchants").then().statusCode(403).body("detail", containsString("请先修改密码"));

        as("admin").get("/api/v1/users/" + id + "/audit").then().statusCode(200)
                .body("action", equalTo(List.of("CREATE", "CHANGE_PASSWORD", "DISABLE", "ENABLE", "UPDATE", "RESET_PASSWORD")))
                .body("actor", equalTo(List.of("admin", user, "admin", "admin", "admin", "admin")));
    }

    @Test
    void badInputIsNamedAndTheLastAdminStays() {
        as("admin").contentType(ContentType.JSON).body(Map.of("username", "X", "displayName", "", "roles", List.of("SQUAD", "警长")))
                .post("/api/v1/users").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("username", "displayName", "roles", "squad"));
        as("admin").contentType(ContentType.JSON).body(Map.of("username", "admin", "displayName", "重复", "roles", List.of("PLANNER")))
                .post("/api/v1/users").then().statusCode(400).body("errors[0].message", containsString("已存在"));
        as("admin").contentType(ContentType.JSON).body(Map.of("username", name("weak"), "displayName", "弱密码", "roles", List.of("PLANNER"),
                "password", "demo1234")).post("/api/v1/users").then().statusCode(400).body("errors[0].field", is("password"));
        long adminId = as("admin").get("/api/v1/account").then().statusCode(200).extract().jsonPath().getLong("id");
        as("admin").post("/api/v1/users/" + adminId + "/disable").then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("自己"));
        as("planner").get("/api/v1/users").then().statusCode(403).contentType(PROBLEM);
        given().get("/api/v1/users").then().statusCode(401);
    }

    @Test
    void aListOfOfficersImportsAllOrNothing() {
        String a = name("imp"), b = name("imp");
        String bad = "用户名,姓名,执法证号,角色,中队\n" + a + ",郑一,,执法队员,sq-caojiadu\n" + b + ",冯二,,规则编写员、法制审核,\n"
                + "Bad Name,,,警长,\n";
        as("admin").contentType("text/csv").body(bad.getBytes(StandardCharsets.UTF_8)).post("/api/v1/users/import").then()
                .statusCode(400).contentType(PROBLEM).body("errors.line", hasItems(4)).body("detail", containsString("未创建任何账号"));
        login(a, "x").get("/api/v1/merchants").then().statusCode(401);
        String good = "用户名,姓名,执法证号,角色,中队\n" + a + ",郑一,,执法队员,曹家渡街道综合行政执法队\n" + b + ",冯二,,规则编写员、法制审核,\n";
        JsonPath created = as("admin").contentType("text/csv").body(good.getBytes(StandardCharsets.UTF_8)).post("/api/v1/users/import")
                .then().statusCode(200).extract().jsonPath();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(a, b), created.getList("user.username"));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("SQUAD"), created.getList("[0].user.roles"));
        org.junit.jupiter.api.Assertions.assertEquals("sq-caojiadu", created.getString("[0].user.squad"));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("RULE_AUTHOR", "REVIEWER"), created.getList("[1].user.roles"));
        login(b, created.getString("[1].temporaryPassword")).get("/api/v1/merchants").then().statusCode(403);
    }

    @Test
    void theDemoHasOfficerAccountsWithBadges() {
        as("admin").get("/api/v1/users").then().statusCode(200)
                .body("find { it.username == 'wang.jingansi' }.badgeNo", is("JA-0601"))
                .body("find { it.username == 'wang.jingansi' }.squad", is("sq-jingansi"))
                .body("find { it.username == 'chen.review' }.roles", equalTo(List.of("REVIEWER")))
                .body("find { it.username == 'squad-jingansi' }.roles", equalTo(List.of("SQUAD")));
        as("wang.jingansi").get("/api/v1/merchants").then().statusCode(200);
    }
}
