package cn.urbanmgmt.risk.outcomes;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calibration on the shared test registry: the figures agree with each other, and the candidate carries the thresholds. */
@QuarkusTest
class CalibrationResourceTest {

    @Test
    void previewAndCandidate() {
        long open = OutcomeFixtures.openRetail("daninglu");
        try {
            calibrate();
        } finally {
            as("admin").post("/api/v1/merchants/" + open + "/close").then().statusCode(200);
        }
    }

    void calibrate() {
        JsonPath p = asJson("planner").body(Map.of("target", "GREEN:90,YELLOW:8,RED:2")).post("/api/v1/calibration/preview")
                .then().statusCode(200).extract().jsonPath();
        int y = p.getInt("yellowAt");
        int r = p.getInt("redAt");
        assertTrue(0 < y && y < r, y + " / " + r);
        long merchants = p.getLong("merchants");
        assertTrue(merchants > 0);
        long matrixTotal = 0;
        for (String from : new String[] {"GREEN", "YELLOW", "RED"}) {
            for (String to : new String[] {"GREEN", "YELLOW", "RED"}) matrixTotal += p.getLong("matrix." + from + "." + to);
        }
        assertEquals(merchants, matrixTotal);
        long proposed = p.getLong("grades[0].proposed") + p.getLong("grades[1].proposed") + p.getLong("grades[2].proposed");
        assertEquals(merchants, proposed);
        assertEquals(40, p.getInt("currentYellowAt"));
        assertEquals(70, p.getInt("currentRedAt"));

        JsonPath c = asJson("author").body(Map.of("target", "GREEN:90,YELLOW:8,RED:2", "comment", "测试")).post("/api/v1/calibration/candidate")
                .then().statusCode(oneOf(200, 201)).extract().jsonPath();
        String version = c.getString("candidate.version.version");
        String thresholds = as("author").get("/api/v1/rules/versions/" + version + "/export").then().statusCode(200)
                .extract().jsonPath().getString("files.'grading/00-thresholds.drl'");
        assertTrue(thresholds.contains("setThresholds(" + c.getInt("yellowAt") + ", " + c.getInt("redAt") + ")"), thresholds);
        as("author").get("/api/v1/rules/active").then().body("version", equalTo(p.getString("activeVersion")));
    }

    @Test
    void badTargetsAndRoles() {
        asJson("author").body(Map.of("target", "GREEN:90,YELLOW:8")).post("/api/v1/calibration/preview").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("target"));
        asJson("author").body(Map.of()).post("/api/v1/calibration/preview").then().statusCode(400).body("errors[0].field", equalTo("target"));
        asJson("planner").body(Map.of("target", "GREEN:90,YELLOW:8,RED:2")).post("/api/v1/calibration/candidate").then().statusCode(403);
        asJson("squad-jingansi").body(Map.of("target", "GREEN:90,YELLOW:8,RED:2")).post("/api/v1/calibration/preview").then().statusCode(403);
    }
}
