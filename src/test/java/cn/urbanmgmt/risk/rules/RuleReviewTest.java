package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.activeVersion;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.defaultFiles;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.restore;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.simulateClean;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.upload;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.with;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, point 4: four eyes for rule changes, both kinds. Only a version proposed by its author
 * and approved by a reviewer (法制审核) who is not the author can be activated; a return needs a
 * comment; the shipped version counts as approved by the system; rollback to an approved version
 * is a one-person emergency action for ADMIN; everything is audited and the chain verifies.
 */
@QuarkusTest
class RuleReviewTest {

    static final String GRADING = "/api/v1/rules";
    static final String SAMPLING = "/api/v1/inspection/sampling-rules";
    static final String DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "grading").hash();
    static final String SAMPLING_DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "sampling").hash();
    private static final String PROBLEM = "application/problem+json";

    @AfterEach
    void putTheDefaultsBack() {
        restore(DEFAULT);
        if (!SAMPLING_DEFAULT.equals(as("admin").get(SAMPLING + "/active").then().extract().path("version"))) {
            asJson("admin").body(Map.of("version", SAMPLING_DEFAULT, "comment", "测试结束，恢复默认抽查规则")).post(SAMPLING + "/rollback")
                    .then().statusCode(200);
        }
    }

    @Test
    void theShippedVersionsAreApprovedBySystem() {
        as("chen.review").get(GRADING + "/versions/" + DEFAULT + "/review").then().statusCode(200)
                .body("version.approval", equalTo("APPROVED")).body("version.reviewedBy", equalTo("system"));
        as("chen.review").get(SAMPLING + "/versions/" + SAMPLING_DEFAULT + "/review").then().statusCode(200)
                .body("version.approval", equalTo("APPROVED"));
    }

    @Test
    void gradingRulesNeedAReviewerWhoIsNotTheAuthor() throws Exception {
        String version = upload(with(defaultFiles(), "grading/70-test-only.drl", RuleAuthoringResourceTest.TEST_RULE_FILE + "// 审核 "
                + UUID.randomUUID() + "\n"), "测试：四眼审核").getString("version.version");
        simulateClean(version);
        as("author").get(GRADING + "/versions/" + version).then().body("version.approval", equalTo("DRAFT"))
                .body("version.approvalLabel", equalTo("草稿"));

        // Compiles, passes its scenarios, simulated without faults: still refused until approved, in zh-CN naming why.
        asJson("author").body(Map.of("comment", "未经审核就启用")).post(GRADING + "/versions/" + version + "/activate").then()
                .statusCode(409).contentType(PROBLEM).body("detail", containsString("尚未经法制审核批准"))
                .body("detail", containsString("生效的规则集没有改变"));
        assertEquals(DEFAULT, activeVersion());
        // Nothing to approve before it is proposed; reviewers only.
        asJson("chen.review").body(Map.of()).post(GRADING + "/versions/" + version + "/approve").then().statusCode(409).contentType(PROBLEM);
        asJson("author").body(Map.of()).post(GRADING + "/versions/" + version + "/approve").then().statusCode(403);
        asJson("admin").body(Map.of()).post(GRADING + "/versions/" + version + "/approve").then().statusCode(403);

        // The author proposes it: the review links its diff, scenarios and the fault-free simulation.
        asJson("author").body(Map.of("comment", "新增测试规则")).post(GRADING + "/versions/" + version + "/propose").then().statusCode(200)
                .body("version.approval", equalTo("PROPOSED")).body("version.proposedBy", equalTo("author"))
                .body("activeVersion", equalTo(DEFAULT)).body("links.diff", containsString("from=" + DEFAULT))
                .body("links.tests", containsString(version)).body("simulationFaultFree", is(true)).body("simulationJob", notNullValue())
                .body("links.simulation", containsString("/api/v1/jobs/"));
        asJson("author").body(Map.of()).post(GRADING + "/versions/" + version + "/propose").then().statusCode(409);
        // Returned with a comment (required).
        asJson("chen.review").body(Map.of()).post(GRADING + "/versions/" + version + "/return").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("comment")).body("errors[0].message", containsString("审核意见"));
        asJson("chen.review").body(Map.of("comment", "请说明依据")).post(GRADING + "/versions/" + version + "/return").then().statusCode(200)
                .body("version.approval", equalTo("RETURNED")).body("version.reviewComment", equalTo("请说明依据"));
        asJson("author").body(Map.of("comment", "x")).post(GRADING + "/versions/" + version + "/activate").then().statusCode(409);
        // Proposed again, approved by a reviewer: now it may be activated by the author.
        asJson("author").body(Map.of("comment", "已补充依据")).post(GRADING + "/versions/" + version + "/propose").then().statusCode(200);
        asJson("liu.review").body(Map.of("comment", "同意")).post(GRADING + "/versions/" + version + "/approve").then().statusCode(200)
                .body("version.approval", equalTo("APPROVED")).body("version.reviewedBy", equalTo("liu.review"));
        asJson("author").body(Map.of("comment", "审核通过后启用")).post(GRADING + "/versions/" + version + "/activate").then().statusCode(200)
                .body("version", equalTo(version));
        assertEquals(version, activeVersion());

        // Rollback to the previous approved version: one person, ADMIN, audited.
        asJson("admin").body(Map.of("comment", "紧急回滚")).post(GRADING + "/rollback").then().statusCode(200)
                .body("version", equalTo(DEFAULT)).body("action", equalTo("ROLLBACK"));
        assertEquals(DEFAULT, activeVersion());
        JsonPath audit = as("author").queryParam("version", version).get(GRADING + "/audit").then().statusCode(200).extract().jsonPath();
        assertEquals("author", audit.getString("find { it.action == 'PROPOSE' }.username"));
        assertEquals("chen.review", audit.getString("find { it.action == 'RETURN' }.username"));
        assertEquals("liu.review", audit.getString("find { it.action == 'APPROVE' }.username"));
        as("author").queryParam("action", "ROLLBACK").get(GRADING + "/audit").then().body("[0].username", equalTo("admin"))
                .body("[0].previous", equalTo(version));
        as("admin").get("/api/v1/audit/verify").then().statusCode(200).body("intact", is(true));
    }

    @Test
    void aReviewerWhoWroteTheVersionCannotApproveIt() {
        // One officer with both roles: writes and proposes, and may not approve their own work.
        String name = "rr" + UUID.randomUUID().toString().substring(0, 8);
        String temp = "Temp" + UUID.randomUUID().toString().substring(0, 8) + "9x";
        asJson("admin").body(Map.of("username", name, "displayName", "双角色", "roles", java.util.List.of("RULE_AUTHOR", "REVIEWER"),
                "password", temp)).post("/api/v1/users").then().statusCode(201);
        String password = "Perm" + UUID.randomUUID().toString().substring(0, 8) + "7y";
        io.restassured.RestAssured.given().auth().preemptive().basic(name, temp).contentType("application/json")
                .body(Map.of("currentPassword", temp, "newPassword", password)).post("/api/v1/account/password").then().statusCode(204);
        Map<String, Object> body = new HashMap<>();
        body.put("files", with(defaultFiles(), "grading/70-test-only.drl", RuleAuthoringResourceTest.TEST_RULE_FILE + "// 自审 " + UUID.randomUUID() + "\n"));
        body.put("comment", "双角色上传");
        String version = io.restassured.RestAssured.given().auth().preemptive().basic(name, password).contentType("application/json").body(body)
                .post(GRADING + "/versions").then().statusCode(201).extract().path("version.version");
        io.restassured.RestAssured.given().auth().preemptive().basic(name, password).contentType("application/json").body(Map.of())
                .post(GRADING + "/versions/" + version + "/propose").then().statusCode(200);
        io.restassured.RestAssured.given().auth().preemptive().basic(name, password).contentType("application/json").body(Map.of())
                .post(GRADING + "/versions/" + version + "/approve").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("不能审核自己编写或提交的规则版本"));
        as("chen.review").get(GRADING + "/versions/" + version + "/review").then().body("version.approval", equalTo("PROPOSED"));
    }

    @Test
    void samplingRulesGoThroughTheSameReview() throws Exception {
        RuleSource s = RuleSource.fromDirectory(Path.of("rules"), "sampling");
        Map<String, String> files = new LinkedHashMap<>(s.files());
        files.putAll(s.tests());
        String strata = "sampling/20-risk-strata.drl";
        files.put(strata, files.get(strata) + "\n// 审核测试 " + UUID.randomUUID() + "\n");
        String version = asJson("author").body(Map.of("files", files, "comment", "抽查规则：四眼审核")).post(SAMPLING + "/versions").then()
                .statusCode(201).extract().path("version.version");
        cn.urbanmgmt.risk.inspection.InspectionFixtures.simulateSamplingClean(version); // the dry run an activation needs
        asJson("author").body(Map.of("comment", "未经审核")).post(SAMPLING + "/versions/" + version + "/activate").then().statusCode(409)
                .contentType(PROBLEM).body("detail", containsString("尚未经法制审核批准"));
        asJson("author").body(Map.of()).post(SAMPLING + "/versions/" + version + "/propose").then().statusCode(200)
                .body("version.approval", equalTo("PROPOSED")).body("links.diff", containsString("from=" + SAMPLING_DEFAULT));
        Map<String, String> console = cn.urbanmgmt.risk.web.WebConsoleSecurityTest.login("chen.review");
        io.restassured.RestAssured.given().cookies(console).get("/console/approvals").then().statusCode(200)
                .body(containsString(version.substring(0, 12)));
        io.restassured.RestAssured.given().cookies(console).get("/console/rules/sampling/versions/" + version).then().statusCode(200)
                .body(containsString("id=\"review-approve\""));
        asJson("chen.review").body(Map.of("comment", "同意")).post(SAMPLING + "/versions/" + version + "/approve").then().statusCode(200);
        asJson("author").body(Map.of("comment", "审核通过后启用")).post(SAMPLING + "/versions/" + version + "/activate").then().statusCode(200);
        // Rolling back to a version nobody approved is refused; to the approved default it is one ADMIN's call.
        String unapproved = asJson("author").body(Map.of("files", with(files, strata, files.get(strata) + "// 未审核\n"), "comment", "未审核"))
                .post(SAMPLING + "/versions").then().statusCode(201).extract().path("version.version");
        asJson("admin").body(Map.of("version", unapproved, "comment", "回滚到未审核版本")).post(SAMPLING + "/rollback").then().statusCode(409)
                .body("detail", containsString("只能回到已批准的版本"));
        asJson("admin").body(Map.of("comment", "紧急回滚")).post(SAMPLING + "/rollback").then().statusCode(200)
                .body("version", equalTo(SAMPLING_DEFAULT));
        as("author").queryParam("version", version).get(SAMPLING + "/audit").then()
                .body("action", hasItem("APPROVE")).body("action", hasItem("PROPOSE"));
        as("admin").get("/api/v1/audit/verify").then().statusCode(200).body("intact", is(true));
    }
}
