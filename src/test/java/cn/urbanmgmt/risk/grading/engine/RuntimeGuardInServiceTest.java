package cn.urbanmgmt.risk.grading.engine;

import static cn.urbanmgmt.risk.TestSupport.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The rule run-time guard is in force in the running service (not only in a JVM of its own), and the
 * service keeps answering large requests under it: Netty frees big direct buffers through its
 * privileged path then, which needs the patched {@code CleanerJava9$2} (application.properties).
 */
@QuarkusTest
class RuntimeGuardInServiceTest {

    @Test
    void theGuardIsInForceAndReportedByHealth() {
        assertTrue(RuleGuard.active(), "guard not in force: " + RuleGuard.unavailable());
        RestAssured.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'grading-rules' }.data.runtimeGuard", equalTo("ACTIVE"));
    }

    @Test
    void largeRequestBodiesAreAnsweredUnderTheGuard() {
        // About 6 MB of rows with a bad USCC each: far over Netty's pooled chunk, so the buffers are freed by the cleaner.
        StringBuilder csv = new StringBuilder("统一社会信用代码,名称,地址,街镇,行业类别,开业日期\n");
        String filler = "很长的地址".repeat(20);
        for (int i = 0; csv.length() < 2_000_000; i++) {
            csv.append("BAD").append(i).append(",守卫测试商户").append(i).append(',').append(filler).append(",北站街道,零售,2021-02-03\n");
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(body.length > 5_000_000);
        for (int round = 0; round < 3; round++) {
            as("admin").contentType("text/csv").body(body).post("/api/v1/merchants/import").then()
                    .statusCode(400).contentType("application/problem+json");
            as("admin").get("/api/v1/reference/streets").then().statusCode(200);
        }
        assertTrue(RuleGuard.active());
    }
}
