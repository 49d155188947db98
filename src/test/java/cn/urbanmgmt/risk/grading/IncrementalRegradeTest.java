package cn.urbanmgmt.risk.grading;

import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.awaitJob;
import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.complaint;
import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.event;
import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.post;
import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.retail;
import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.seriousCase;
import static cn.urbanmgmt.risk.grading.GradeFreshnessTest.today;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the daily regrade is incremental. With the shipped DRL, an event that crosses a window of the
 * rules is regraded by the daily job on the day it crosses and not before; merchants whose result cannot
 * change are left alone; the weekly full pass finds nothing the incremental passes missed, and names a
 * merchant whose stored result is wrong although it claimed to hold.
 */
@QuarkusTest
class IncrementalRegradeTest {

    @Inject
    RegradeJob regrade;

    @Inject
    GradingEngine engine;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void removeTestMerchants() throws Exception {
        Thread.sleep(1500);
        List<Long> ids;
        synchronized (GradeFreshnessTest.CREATED) {
            ids = new ArrayList<>(GradeFreshnessTest.CREATED);
            GradeFreshnessTest.CREATED.clear();
        }
        TestMerchants.delete(dataSource, ids);
    }

    record Row(String grade, int score, LocalDate evaluationDate, LocalDate nextChange) {
    }

    Row stored(long id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select grade, score, evaluation_date, next_change_date from merchant_grade where merchant_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no grade for " + id);
                return new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class));
            }
        }
    }

    JsonPath run(cn.urbanmgmt.risk.jobs.Job job) throws Exception {
        return awaitJob(job.id, "DONE");
    }

    @Test
    void anEventCrossingAWindowIsRegradedOnItsDayNotBeforeAndTheSafetyPassFindsNothingMissed() throws Exception {
        assertTrue(engine.active().ageWindows().bounded(), engine.active().ageWindows().why());
        LocalDate d = today();
        // A serious case 360 days old: 40 points (yellow) until it is a year old, i.e. until day d + 6 (age 366).
        long crossing = retail("jingansi");
        post(seriousCase(crossing, 360)).then().statusCode(201);
        // A detection 88 days old: 4 points until age 91 (d + 3).
        long detected = retail("jingansi");
        Map<String, Object> detection = event(detected, "DETECTION", d.minusDays(88).toString());
        detection.put("detectionSource", "CAMERA");
        detection.put("detectionType", "占道经营");
        post(detection).then().statusCode(201);
        // No events: nothing but a new event can change it.
        long quiet = retail("jingansi");
        // A complaint of today: counts for a year.
        long complained = retail("jingansi");
        post(complaint(complained, "油烟扰民", 0)).then().statusCode(201);

        // The regrade after each event stored the day its result can next change.
        assertEquals(new Row("YELLOW", 40, d, d.plusDays(6)), stored(crossing));
        assertEquals(d.plusDays(3), stored(detected).nextChange());
        assertEquals(LocalDate.MAX, stored(quiet).nextChange());
        assertEquals(d.plusDays(366), stored(complained).nextChange());

        // A full pass with the active rules has finished: the daily job can be incremental.
        run(regrade.start("test", d, "测试全量", null));

        // Day d + 5: the case is 365 days old and still counts; the daily job does not touch it.
        JsonPath day5 = run(regrade.startDaily(d.plusDays(5), "test-daily-" + UUID.randomUUID()));
        assertEquals("INCREMENTAL", day5.getString("result.mode"));
        assertEquals(new Row("YELLOW", 40, d, d.plusDays(6)), stored(crossing));
        // The detection crossed its window on d + 3: regraded (4 points fewer), next change when the look-back ends.
        Row det = stored(detected);
        assertEquals(d.plusDays(5), det.evaluationDate());
        assertEquals(0, det.score());
        assertEquals(d.minusDays(88).plusDays(1099), det.nextChange());
        assertEquals(d, stored(quiet).evaluationDate());
        assertEquals(d, stored(complained).evaluationDate());

        // Day d + 6: the case is a year and a day old and no longer counts: regraded green by the daily job.
        JsonPath day6 = run(regrade.startDaily(d.plusDays(6), "test-daily-" + UUID.randomUUID()));
        assertEquals("INCREMENTAL", day6.getString("result.mode"));
        Row after = stored(crossing);
        assertEquals(new Row("GREEN", 0, d.plusDays(6), d.minusDays(360).plusDays(1099)), after);
        assertEquals(d, stored(quiet).evaluationDate(), "a merchant whose result cannot change is not regraded");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select cause from grade_history where merchant_id = ? order by changed_at desc limit 1")) {
            ps.setLong(1, crossing);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).contains("增量"), rs.getString(1));
            }
        }

        // A merchant marked "needs regrade" is regraded by the daily job whatever its date (the drain paused, as
        // if no instance had got to it).
        GradingService.PAUSE_DRAIN = true;
        try {
            try (Connection c = dataSource.getConnection()) {
                Freshness.mark(c, List.of(quiet));
            }
            JsonPath dirty = run(regrade.startDaily(d.plusDays(6), "test-daily-" + UUID.randomUUID()));
            assertEquals("INCREMENTAL", dirty.getString("result.mode"));
            assertEquals(d.plusDays(6), stored(quiet).evaluationDate());
        } finally {
            GradingService.PAUSE_DRAIN = false;
        }

        // The weekly safety pass (a full pass) as of today finds nothing the incremental passes missed...
        JsonPath safety = run(regrade.startSafetyPass(d, null));
        assertEquals("SAFETY", safety.getString("result.mode"));
        assertEquals(0, safety.getInt("result.missed"), () -> "missed: " + safety.getList("result.missedIds"));

        // ...and names a merchant whose stored result is wrong although it claimed to hold (here: tampered with).
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update merchant_grade set score = score + 1 where merchant_id = ?")) {
            ps.setLong(1, complained);
            ps.executeUpdate();
        }
        JsonPath caught = run(regrade.startSafetyPass(d, null));
        assertEquals(1, caught.getInt("result.missed"));
        assertEquals(List.of(complained), caught.getList("result.missedIds", Long.class));
        assertEquals(6, stored(complained).score(), "the safety pass also repairs it");
    }

    @Test
    void theDailyJobRunsAFullPassAndSaysWhyWhenTheIncrementalCannotBeTrusted() throws Exception {
        LocalDate d = today();
        post(complaint(retail("jingansi"), "油烟扰民", 0)).then().statusCode(201);
        // The last full pass graded as of a later date (a preview): its grades do not hold for today.
        run(regrade.start("test", d.plusDays(30), "测试预演", null));
        JsonPath daily = run(regrade.startDaily(d, "test-daily-" + UUID.randomUUID()));
        assertEquals("FULL", daily.getString("result.mode"));
        assertTrue(daily.getString("result.fullReason").contains(d.plusDays(30).toString()), daily.getString("result.fullReason"));
        assertFalse(daily.getString("params.fullReason").isBlank());
        // That full pass as of today makes the next daily job incremental again.
        JsonPath next = run(regrade.startDaily(d, "test-daily-" + UUID.randomUUID()));
        assertEquals("INCREMENTAL", next.getString("result.mode"));
        assertNull(next.get("result.fullReason"));
    }
}
