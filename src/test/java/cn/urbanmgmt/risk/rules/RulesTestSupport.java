package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;

import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rule sets for the authoring tests: the default one from disk, changed here and there, uploaded through the API. */
final class RulesTestSupport {

    static final Path RULES = Path.of("rules");

    private RulesTestSupport() {
    }

    /** The default rules and scenarios as upload paths ("grading/..", "tests/.."). */
    static Map<String, String> defaultFiles() {
        RuleSource s = RuleSource.fromDirectory(RULES, "grading");
        Map<String, String> files = new LinkedHashMap<>(s.files());
        files.putAll(s.tests());
        return files;
    }

    static Map<String, String> corpus(String name) {
        RuleSource s = RuleSource.fromDirectory(Path.of("src/test/resources/drl-corpus").resolve(name), "grading");
        return new LinkedHashMap<>(s.files());
    }

    static Map<String, String> with(Map<String, String> files, String path, String text) {
        Map<String, String> m = new LinkedHashMap<>(files);
        m.put(path, text);
        return m;
    }

    static Map<String, String> replace(Map<String, String> files, String path, String from, String to) {
        String text = files.get(path);
        if (!text.contains(from)) throw new IllegalArgumentException(path + " does not contain " + from);
        return with(files, path, text.replace(from, to));
    }

    /** Uploads as the rule author; returns the response body. */
    static JsonPath upload(Map<String, String> files, String comment) {
        Map<String, Object> body = new HashMap<>();
        body.put("files", files);
        body.put("comment", comment);
        return asJson("author").body(body).post("/api/v1/rules/versions").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201))
                .extract().jsonPath();
    }

    /**
     * Runs the simulation a grading version needs before it may be activated (SimulationGate): over
     * every merchant, as of today; waits for it and checks that no merchant faulted.
     */
    static JsonPath simulateClean(String version) throws InterruptedException {
        long job = asJson("author").body(Map.of()).post("/api/v1/rules/versions/" + version + "/simulate").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        JsonPath done = waitForJob(job);
        if (!"DONE".equals(done.getString("status")) || !done.getList("result.faults").isEmpty()) {
            throw new AssertionError("simulation of " + version + " did not finish cleanly: " + done.prettify());
        }
        return done;
    }

    static String activeVersion() {
        return as("author").get("/api/v1/rules/active").then().statusCode(200).extract().jsonPath().getString("version");
    }

    /** Puts {@code version} back as the active one if something else is active (tests share one database). */
    static void restore(String version) {
        if (version.equals(activeVersion())) return;
        asJson("admin").body(Map.of("version", version, "comment", "测试结束，恢复默认规则")).post("/api/v1/rules/rollback")
                .then().statusCode(200);
    }

    static JsonPath waitForJob(long job) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonPath p = as("admin").get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(p.getString("status"))) return p;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " did not finish in 60 s");
    }
}
