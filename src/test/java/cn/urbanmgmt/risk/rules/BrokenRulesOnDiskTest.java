package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.createMerchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Start-up with broken rules on disk: the service runs on the database's last good version, says
 * so loudly (health DEGRADED with file and line), and recovers once the files are fixed. With no
 * good version at all it refuses to start, listing the errors. Its own Quarkus start and database.
 */
@QuarkusTest
@TestProfile(BrokenRulesOnDiskProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokenRulesOnDiskTest {

    static final String DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "grading").hash();

    @Inject
    RuleSetService ruleSets;

    @Inject
    EntityManager em;

    @Test
    @Order(1)
    void runsOnTheLastGoodVersionAndSaysSo() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'grading-rules' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'grading-rules' }.data.state", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'grading-rules' }.data.version", equalTo(DEFAULT))
                .body("checks.find { it.name == 'grading-rules' }.data.reason", containsString("grading/20-cases.drl:13"));
        as("author").get("/api/v1/rules/active").then().statusCode(200).body("version", equalTo(DEFAULT))
                .body("instanceVersion", equalTo(DEFAULT)).body("degraded", containsString("一年内的严重案件"));
        as("author").queryParam("action", "STARTUP").get("/api/v1/rules/audit").then().statusCode(200)
                .body("[0].outcome", equalTo("FAILED")).body("[0].details.problems[0]", containsString("grading/20-cases.drl:13"));
        // Grading goes on with the last good version.
        long id = createMerchant(uscc(), "jingansi");
        as("admin").get("/api/v1/merchants/" + id + "/grade").then().statusCode(200).body("ruleSetVersion", equalTo(DEFAULT));
    }

    @Test
    @Order(2)
    void withNoGoodVersionAtAllItRefusesToStartListingTheErrors() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update rule_set_version set active = false where kind = 'GRADING'").executeUpdate());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ruleSets.startUp(BrokenRulesOnDiskProfile.DIR));
            assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
            assertTrue(e.getMessage().contains("grading/20-cases.drl:13:1 [一年内的严重案件]"), e.getMessage());
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update rule_set_version set active = true where hash = ?1")
                    .setParameter(1, DEFAULT).executeUpdate());
        }
        ruleSets.startUp(BrokenRulesOnDiskProfile.DIR);
        as("author").get("/api/v1/rules/active").then().body("version", equalTo(DEFAULT)).body("degraded", containsString("20-cases.drl"));
    }

    @Test
    @Order(3)
    void aFileThatIsNotUtf8IsReportedAtItsLineAndByte() throws Exception {
        Path bad = BrokenRulesOnDiskProfile.DIR.resolve("grading/15-not-utf8.drl");
        byte[] gbk = {(byte) 0xC9, (byte) 0xCC, (byte) 0xBB, (byte) 0xA7}; // "商户" saved as GBK
        Files.write(bad, concat("package rules.grading;\n// ".getBytes(java.nio.charset.StandardCharsets.UTF_8), gbk, "\n".getBytes()));
        try {
            asJson("author").body(Map.of("comment", "读取编码错误的文件")).post("/api/v1/rules/versions/reload").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("files.grading/15-not-utf8.drl")).body("errors[0].line", is(2))
                    .body("errors[0].message", containsString("第 2 行第 4 个字节")).body("errors[0].message", containsString("UTF-8"));
            ruleSets.startUp(BrokenRulesOnDiskProfile.DIR);
            as("author").get("/api/v1/rules/active").then().body("version", equalTo(DEFAULT))
                    .body("degraded", containsString("grading/15-not-utf8.drl:2"));
        } finally {
            Files.delete(bad);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    @Order(4)
    void fixingTheFilesAndReloadingClearsTheWarning() throws Exception {
        Files.copy(Path.of("rules/grading/20-cases.drl"), BrokenRulesOnDiskProfile.DIR.resolve("grading/20-cases.drl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        asJson("author").body(Map.of("comment", "修好了")).post("/api/v1/rules/versions/reload").then().statusCode(200)
                .body("version.version", equalTo(DEFAULT)).body("validation.ok", is(true));
        as("author").get("/api/v1/rules/active").then().body("degraded", nullValue());
        RestAssured.given().get("/q/health/ready").then().body("checks.find { it.name == 'grading-rules' }.data.state", equalTo("OK"));
    }

    @Test
    @Order(5)
    void theWatcherStoresChangedFilesAsACandidateButNeverActivatesThem() throws Exception {
        Path file = BrokenRulesOnDiskProfile.DIR.resolve("grading/10-static-risk.drl");
        Files.writeString(file, Files.readString(file) + "\n// 由监视测试追加的注释\n");
        String expected = RuleSource.fromDirectory(BrokenRulesOnDiskProfile.DIR, "grading").hash();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            var response = as("author").queryParam("action", "RELOAD").queryParam("version", expected.substring(0, 12))
                    .get("/api/v1/rules/audit");
            var entries = response.jsonPath();
            // 404 until the watcher has stored the version.
            if (response.statusCode() == 200 && entries.getList("$").size() > 0) {
                org.junit.jupiter.api.Assertions.assertEquals("watcher", entries.getString("[0].username"));
                as("author").get("/api/v1/rules/active").then().body("version", equalTo(DEFAULT));
                as("author").get("/api/v1/rules/versions/" + expected).then().body("version.active", is(false)).body("version.source", equalTo("DISK"));
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the watcher did not read the changed file within 15 s");
    }
}
