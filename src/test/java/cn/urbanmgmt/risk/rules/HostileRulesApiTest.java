package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.activeVersion;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.defaultFiles;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.upload;
import static cn.urbanmgmt.risk.rules.RulesTestSupport.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus through the public API, as a rule author would try it: every file is uploaded
 * with the shipped rules, refused at validation with its file and line, cannot be activated, and
 * nothing happened: no marker file, the service answers, the active version and the grades are
 * what they were.
 */
@QuarkusTest
class HostileRulesApiTest {

    static final Path CORPUS = Path.of("src/test/resources/drl-hostile");
    static final Path MARKER = Path.of("target/hostile-marker");

    @Test
    void everyHostileFileIsRefusedAtValidationAndNothingChanges() throws Exception {
        Files.deleteIfExists(MARKER);
        String active = activeVersion();
        String distribution = as("planner").queryParam("by", "street").get("/api/v1/grades/distribution").then().statusCode(200)
                .extract().asString();
        List<Path> cases;
        try (Stream<Path> s = Files.list(CORPUS)) {
            cases = s.filter(p -> p.toString().endsWith(".drl")).sorted().toList();
        }
        assertTrue(cases.size() >= 25);
        for (Path p : cases) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            int line = markedLine(text);
            String file = "grading/99-hostile.drl";
            JsonPath stored = upload(with(defaultFiles(), file, text), "恶意规则：" + p.getFileName());
            assertFalse(stored.getBoolean("validation.ok"), p + " was accepted");
            List<Map<String, Object>> problems = stored.getList("validation.problems");
            assertTrue(problems.stream().anyMatch(pr -> file.equals(pr.get("file")) && Integer.valueOf(line).equals(pr.get("line"))
                    && "SANDBOX".equals(pr.get("kind"))), () -> p + ": expected a refusal at " + file + ":" + line + ", got " + problems);
            String version = stored.getString("version.version");
            as("author").post("/api/v1/rules/versions/" + version + "/validate").then().statusCode(200)
                    .body("ok", org.hamcrest.Matchers.is(false));
            asJson("author").body(Map.of("comment", "试图启用恶意规则")).post("/api/v1/rules/versions/" + version + "/activate").then()
                    .statusCode(422).contentType("application/problem+json");
        }
        assertFalse(Files.exists(MARKER), "a hostile rule wrote " + MARKER);
        as("planner").get("/api/v1/rules/active").then().statusCode(200);
        assertEquals(active, activeVersion());
        assertEquals(distribution, as("planner").queryParam("by", "street").get("/api/v1/grades/distribution").then().statusCode(200)
                .extract().asString());
    }

    static int markedLine(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("// <- refused")) return i + 1;
        throw new AssertionError("no line marked // <- refused");
    }
}
