package cn.urbanmgmt.risk.inspection.sampling;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.rules.BrokenRulesOnDiskProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Start-up with broken sampling rules on disk (a missing ")" in sampling/20-risk-strata.drl), on a
 * database that holds the default sampling rules as the active version: plans are drawn with that
 * last good version and the service says so (health and /active: DEGRADED, with file and line); with
 * no good version at all plans are refused with the reason while everything else works; fixing the
 * file and reading it again clears the warning. Same profile (and Quarkus start) as the grading case.
 */
@QuarkusTest
@TestProfile(BrokenRulesOnDiskProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokenSamplingRulesOnDiskTest {

    static final String API = "/api/v1/inspection/sampling-rules";
    static final String DEFAULT = RuleSource.fromDirectory(Path.of("rules"), "sampling").hash();
    static final Path DIR = BrokenRulesOnDiskProfile.DIR;

    @Inject
    SamplingEngine engine;

    @Inject
    EntityManager em;

    static String item;
    static List<String> usccs = new ArrayList<>();

    /** A dry-run plan over a few merchants of our own. */
    static io.restassured.response.Response dryRun() {
        if (item == null) {
            item = code("BS");
            createItem(item, "RISK_BASED");
            staff(2, "sq-daninglu", List.of(item));
            List<M> ms = new ArrayList<>();
            for (int i = 0; i < 5; i++) ms.add(M.of("daninglu"));
            register(ms).keySet().forEach(usccs::add);
        }
        return asJson("planner").body(plan(List.of(item), usccs)).post("/api/v1/inspection/plans?dryRun=true");
    }

    @Test
    @Order(1)
    void plansAreDrawnWithTheLastGoodVersionAndTheServiceSaysSo() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'sampling-rules' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'sampling-rules' }.data.state", equalTo("DEGRADED"))
                .body("checks.find { it.name == 'sampling-rules' }.data.version", equalTo(DEFAULT))
                .body("checks.find { it.name == 'sampling-rules' }.data.reason", containsString("sampling/20-risk-strata.drl:12"));
        as("planner").get(API + "/active").then().statusCode(200).body("version", equalTo(DEFAULT)).body("instanceVersion", equalTo(DEFAULT))
                .body("degraded", containsString("抽查规则文件有错误，正在使用数据库中最后一个可用版本"))
                .body("degraded", containsString("[绿色（低风险）抽取 3%]"));
        as("author").queryParam("action", "STARTUP").get(API + "/audit").then().statusCode(200)
                .body("[0].outcome", equalTo("FAILED")).body("[0].details.problems[0]", containsString("sampling/20-risk-strata.drl:12"));
        dryRun().then().statusCode(200).body("samplingRulesVersion", equalTo(DEFAULT));
    }

    @Test
    @Order(2)
    void withNoGoodVersionPlansAreRefusedWithTheReasonAndTheRestWorks() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update rule_set_version set active = false where kind = 'SAMPLING'").executeUpdate());
        try {
            // As a start on this database would: nothing to fall back on.
            engine.startUp(DIR);
            RestAssured.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'sampling-rules' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'sampling-rules' }.data.state", equalTo("NO_RULES"))
                    .body("checks.find { it.name == 'sampling-rules' }.data.reason", containsString("sampling/20-risk-strata.drl:12"));
            dryRun().then().statusCode(503).contentType("application/problem+json").body("title", equalTo("抽查规则不可用"))
                    .body("detail", containsString("抽查规则无法使用，暂不能生成抽查计划")).body("detail", containsString("sampling/20-risk-strata.drl:12"));
            as("planner").get(API + "/active").then().statusCode(200).body("version", nullValue()).body("instanceVersion", nullValue())
                    .body("degraded", containsString("抽查规则无法使用"));
            // Everything else works: grading, the registry.
            long merchant = cn.urbanmgmt.risk.TestSupport.createMerchant(cn.urbanmgmt.risk.TestSupport.uscc(), "daninglu");
            as("admin").get("/api/v1/merchants/" + merchant + "/grade").then().statusCode(200).body("grade", equalTo("GREEN"));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update rule_set_version set active = true where hash = ?1")
                    .setParameter(1, DEFAULT).executeUpdate());
        }
        engine.startUp(DIR);
        as("planner").get(API + "/active").then().body("version", equalTo(DEFAULT)).body("instanceVersion", equalTo(DEFAULT))
                .body("degraded", containsString("20-risk-strata.drl"));
        dryRun().then().statusCode(200).body("samplingRulesVersion", equalTo(DEFAULT));
    }

    @Test
    @Order(3)
    void fixingTheFileAndReadingItAgainClearsTheWarningWithoutActivatingAnything() throws Exception {
        Files.copy(Path.of("rules/sampling/20-risk-strata.drl"), DIR.resolve("sampling/20-risk-strata.drl"), StandardCopyOption.REPLACE_EXISTING);
        asJson("author").body(Map.of("comment", "修好了")).post(API + "/reload").then().statusCode(200)
                .body("version.version", equalTo(DEFAULT)).body("validation.ok", is(true));
        as("planner").get(API + "/active").then().body("version", equalTo(DEFAULT)).body("degraded", nullValue());
        RestAssured.given().get("/q/health/ready").then().body("checks.find { it.name == 'sampling-rules' }.data.state", equalTo("OK"));
    }

    @Test
    @Order(4)
    void theWatcherStoresChangedSamplingFilesAsACandidateButNeverActivatesThem() throws Exception {
        Path file = DIR.resolve("sampling/00-exclusions.drl");
        Files.writeString(file, Files.readString(file) + "\n// 由监视测试追加的注释\n");
        String expected = RuleSource.fromDirectory(DIR, "sampling").hash();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            var response = as("author").queryParam("action", "RELOAD").queryParam("version", expected.substring(0, 12)).get(API + "/audit");
            // 404 until the watcher has stored the version.
            if (response.statusCode() == 200 && response.jsonPath().getList("$").size() > 0) {
                org.junit.jupiter.api.Assertions.assertEquals("watcher", response.jsonPath().getString("[0].username"));
                as("planner").get(API + "/active").then().body("version", equalTo(DEFAULT));
                as("author").get(API + "/versions/" + expected).then().body("version.active", is(false)).body("version.source", equalTo("DISK"));
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the watcher did not read the changed sampling file within 15 s");
    }
}
