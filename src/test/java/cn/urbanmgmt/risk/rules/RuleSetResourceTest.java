package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.InspectionFixtures;
import cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The one rule-set API, /api/v1/rule-sets/{kind}, for both kinds against the real app and
 * PostgreSQL: every reading endpoint, a new version through upload and reload, the authoring steps
 * that change nothing (validate, test, diff, review), simulate with each kind's own body and roles,
 * and who may do what; an unknown kind is a 404 problem. The old paths are aliases of the same code
 * (one call each here; the older tests drive them throughout). Activation is left to those tests:
 * nothing here changes the active rules.
 */
@QuarkusTest
class RuleSetResourceTest {

    static final String BASE = "/api/v1/rule-sets/";

    /** The default rules and scenarios of a kind's folder, as upload paths. */
    static Map<String, String> defaultFiles(String folder) {
        RuleSource s = RuleSource.fromDirectory(Path.of("rules"), folder);
        Map<String, String> files = new LinkedHashMap<>(s.files());
        files.putAll(s.tests());
        return files;
    }

    /** The default rules with a comment added to the first rule file: a new version that still passes its scenarios. */
    static Map<String, String> changed(String folder) {
        Map<String, String> files = defaultFiles(folder);
        String first = files.keySet().stream().filter(p -> p.startsWith(folder + "/") && p.endsWith(".drl")).sorted().findFirst().orElseThrow();
        files.put(first, files.get(first) + "\n// rule-sets test " + System.nanoTime() + "\n");
        return files;
    }

    @ParameterizedTest
    @ValueSource(strings = {"grading", "sampling"})
    void everyAuthoringStepAnswersOnTheNewPath(String kind) {
        String api = BASE + kind;
        JsonPath active = as("planner").get(api + "/active").then().statusCode(200).contentType("application/json")
                .body("version", notNullValue()).body("inSync", equalTo(true)).extract().jsonPath();
        String activeVersion = active.getString("version");
        if (kind.equals("sampling")) assertFalse(active.getList("rules").isEmpty(), active::prettify);
        as("chen.review").get(api + "/versions?limit=5").then().statusCode(200).body("version", hasItem(activeVersion));
        as("admin").get(api + "/versions/" + activeVersion).then().statusCode(200).body("version.version", equalTo(activeVersion));

        // A new version: 201 with its location under the new path; the same files again are the same version (200).
        Map<String, Object> body = new HashMap<>();
        body.put("files", changed(kind));
        body.put("comment", "统一接口测试");
        String version = asJson("author").body(body).post(api + "/versions").then().statusCode(201)
                .header("Location", containsString(api + "/versions/")).extract().jsonPath().getString("version.version");
        asJson("author").body(body).post(api + "/versions").then().statusCode(200).body("created", equalTo(false))
                .body("version.version", equalTo(version));
        asJson("author").body(Map.of("comment", "从磁盘读取")).post(api + "/versions/reload").then().statusCode(200)
                .body("version.version", equalTo(RuleSource.fromDirectory(Path.of("rules"), kind).hash()));

        asJson("author").post(api + "/versions/" + version + "/validate").then().statusCode(200).body("ok", equalTo(true));
        asJson("author").post(api + "/versions/" + version + "/test").then().statusCode(200).body("failed", equalTo(0));
        as("planner").queryParam("from", activeVersion).queryParam("to", version).get(api + "/diff").then().statusCode(200)
                .body("to", equalTo(version));
        as("planner").get(api + "/versions/" + version + "/export").then().statusCode(200).body("files", notNullValue());
        as("planner").queryParam("format", "zip").get(api + "/versions/" + version + "/export").then().statusCode(200).contentType("application/zip");
        as("chen.review").get(api + "/versions/" + version + "/review").then().statusCode(200).body("version.approval", equalTo("DRAFT"))
                .body("links.version", equalTo(api + "/versions/" + version));
        as("admin").queryParam("version", version).get(api + "/audit").then().statusCode(200).body("action", hasItem("VALIDATE"));

        // Four eyes and roles are the same as on the old paths.
        as("squad-jingansi").get(api + "/active").then().statusCode(403).contentType("application/problem+json");
        asJson("planner").body(body).post(api + "/versions").then().statusCode(403).contentType("application/problem+json");
        asJson("author").body(Map.of("comment", "同意")).post(api + "/versions/" + version + "/approve").then().statusCode(403)
                .contentType("application/problem+json");
        asJson("author").body(Map.of("comment", "回滚")).post(api + "/rollback").then().statusCode(403).contentType("application/problem+json");
        asJson("author").body(Map.of("comment", "未经审核")).post(api + "/versions/" + version + "/activate").then().statusCode(oneOf(409, 422))
                .contentType("application/problem+json");
        as("author").queryParam("action", "NOPE").get(api + "/audit").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("操作类型"));
    }

    @Test
    void anUnknownKindIsANotFoundProblemInChinese() {
        as("author").get(BASE + "parking/active").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("规则集类型“parking”不存在")).body("detail", containsString("grading、sampling"));
        asJson("author").body(Map.of("comment", "x")).post(BASE + "parking/versions/abcdef/activate").then().statusCode(404)
                .contentType("application/problem+json");
        as("planner").get(BASE + "GRADING/versions?limit=1").then().statusCode(200);
    }

    @Test
    void eachKindSimulatesWithItsOwnBodyAndRoles() throws InterruptedException {
        String grading = as("author").get(BASE + "grading/active").then().statusCode(200).extract().jsonPath().getString("version");
        String sampling = as("author").get(BASE + "sampling/active").then().statusCode(200).extract().jsonPath().getString("version");
        String item = InspectionFixtures.code("RS");
        InspectionFixtures.createItem(item, "RISK_BASED");
        List<M> ms = List.of(M.of("pengpuzhen"), M.of("pengpuzhen"));
        InspectionFixtures.register(ms);

        // Grading: the rule author only; its body is SimulationRequest.
        asJson("planner").body(Map.of()).post(BASE + "grading/versions/" + grading + "/simulate").then().statusCode(403)
                .contentType("application/problem+json").body("title", equalTo("无权访问"));
        asJson("author").body(Map.of("evaluationDate", "明天")).post(BASE + "grading/versions/" + grading + "/simulate").then().statusCode(400)
                .contentType("application/problem+json");
        long gradingJob = asJson("author").body(Map.of("street", "pengpuzhen")).post(BASE + "grading/versions/" + grading + "/simulate").then()
                .statusCode(202).header("Location", containsString("/api/v1/jobs/")).extract().jsonPath().getLong("id");

        // Sampling: planners too; its body is SamplingSimulation.Request, typed fields checked by name.
        asJson("planner").body(Map.of("items", List.of(item), "days", 0)).post(BASE + "sampling/versions/" + sampling + "/simulate").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("days"));
        asJson("planner").body(Map.of("items", List.of(item), "days", "七")).post(BASE + "sampling/versions/" + sampling + "/simulate").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("days"));
        long samplingJob = asJson("planner").body(Map.of("items", List.of(item), "scope", Map.of("usccs", ms.stream().map(M::uscc).toList())))
                .post(BASE + "sampling/versions/" + sampling + "/simulate").then().statusCode(202).body("type", equalTo("SAMPLING_SIMULATION"))
                .extract().jsonPath().getLong("id");

        JsonPath g = RulesTestSupport.waitForJob(gradingJob);
        assertEquals("DONE", g.getString("status"), g::prettify);
        JsonPath s = RulesTestSupport.waitForJob(samplingJob);
        assertEquals("DONE", s.getString("status"), s::prettify);
        assertEquals(2, s.getInt("result.merchants"), s::prettify);
    }

    @Test
    void theOldPathsAreAliasesOfTheSameEndpoints() {
        Map<String, Object> gradingNew = as("planner").get(BASE + "grading/active").then().statusCode(200).extract().jsonPath().getMap("$");
        as("planner").get("/api/v1/rules/active").then().statusCode(200).body("version", equalTo(gradingNew.get("version")))
                .body("keySet()", equalTo(gradingNew.keySet()));
        Map<String, Object> samplingNew = as("planner").get(BASE + "sampling/active").then().statusCode(200).extract().jsonPath().getMap("$");
        as("planner").get("/api/v1/inspection/sampling-rules/active").then().statusCode(200).body("version", equalTo(samplingNew.get("version")))
                .body("rules", equalTo(samplingNew.get("rules")));
        as("squad-jingansi").get("/api/v1/inspection/sampling-rules/versions").then().statusCode(403);
        asJson("planner").body(Map.of()).post("/api/v1/rules/versions/" + gradingNew.get("version") + "/simulate").then().statusCode(403);
        JsonPath doc = as("planner").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/api/v1/rule-sets/{kind}/versions/{version}/simulate"))
                .body("paths.keySet()", hasItem("/api/v1/rules/versions/{version}/simulate"))
                .body("paths.keySet()", hasItem("/api/v1/inspection/sampling-rules/active")).extract().jsonPath();
        // The new path documents its kind (at the path or at the operation), and its 401/403 problems.
        String active = "paths.'/api/v1/rule-sets/{kind}/active'";
        Object atPath = doc.get(active + ".parameters.name");
        Object atOperation = doc.get(active + ".get.parameters.name");
        String kindParam = atPath + " " + atOperation;
        org.junit.jupiter.api.Assertions.assertTrue(kindParam.contains("kind"), kindParam);
        assertEquals(List.of("200", "401", "403"), doc.getMap(active + ".get.responses").keySet().stream().sorted().toList());
    }
}
