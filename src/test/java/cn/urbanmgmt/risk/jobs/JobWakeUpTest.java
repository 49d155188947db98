package cn.urbanmgmt.risk.jobs;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job starts as soon as it is stored, not at the workers' next poll: with polling set to ten minutes, a
 * regrade requested through the API still finishes within the minute, because storing it wakes this
 * instance's idle workers once the transaction commits.
 */
@QuarkusTest
@TestProfile(JobWakeUpTest.SlowPolling.class)
class JobWakeUpTest {

    public static class SlowPolling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("app.jobs.poll-millis", "600000");
        }
    }

    @Test
    void aStoredJobWakesTheIdleWorkers() throws InterruptedException {
        TestSupport.createMerchant(TestSupport.uscc(), "jingansi");
        Thread.sleep(1_000); // the workers have polled once at start and are now idle for ten minutes
        for (int round = 0; round < 2; round++) { // and again after they went idle a second time
            long job = asJson("admin").body(Map.of()).post("/api/v1/grading/regrade").then().statusCode(202)
                    .extract().jsonPath().getLong("id");
            String status = "RUNNING";
            for (int i = 0; i < 600 && "RUNNING".equals(status); i++) {
                Thread.sleep(100);
                status = as("admin").get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath().getString("status");
            }
            assertEquals("DONE", status, "job " + job + " should have run without waiting for the ten-minute poll");
        }
    }
}
