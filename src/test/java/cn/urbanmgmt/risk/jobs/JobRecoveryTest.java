package cn.urbanmgmt.risk.jobs;

import static cn.urbanmgmt.risk.TestSupport.createMerchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.RegradeJob;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A job outlives the instance that was running it, and a chunk's work counts once. */
@QuarkusTest
class JobRecoveryTest {

    @Inject
    RegradeJob regrade;

    @Inject
    JobService jobs;

    @Inject
    JobWorker worker;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void someMerchants() {
        for (int i = 0; i < 3; i++) createMerchant(uscc(), "jingansi");
    }

    /** Creates a regrade job whose chunks all look claimed by an instance that has died. */
    private long jobHeldByDeadInstance(String leaseUntilSql) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = regrade.start("test", LocalDate.now(), "恢复测试", null);
            em.createNativeQuery("update job_chunk set status = 'CLAIMED', claimed_by = 'dead-instance', lease_until = " + leaseUntilSql
                    + " where job_id = ?1").setParameter(1, job.id).executeUpdate();
            return job.id;
        });
    }

    private JobService.Progress waitForEnd(long id, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            JobService.Progress p = QuarkusTransaction.requiringNew().call(() -> jobs.progress(id));
            if (p.status() != Job.Status.RUNNING) return p;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " still running");
    }

    @Test
    void chunksOfADeadInstanceAreTakenOverWhenTheirLeaseRunsOut() throws Exception {
        long id = jobHeldByDeadInstance("now() - interval '1 second'");
        JobService.Progress p = waitForEnd(id, 30_000);
        assertEquals(Job.Status.DONE, p.status());
        assertEquals(p.total(), p.done());
        List<?> owners = QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("select distinct claimed_by from job_chunk where job_id = ?1").setParameter(1, id).getResultList());
        assertEquals(List.of(worker.instance()), owners);
    }

    @Test
    void aLiveLeaseIsRespectedUntilItExpires() throws Exception {
        long id = jobHeldByDeadInstance("now() + interval '2 seconds'");
        Thread.sleep(1000);
        String owner = QuarkusTransaction.requiringNew().call(() -> (String)
                em.createNativeQuery("select min(claimed_by) from job_chunk where job_id = ?1").setParameter(1, id).getSingleResult());
        assertEquals("dead-instance", owner);
        assertEquals(Job.Status.DONE, waitForEnd(id, 30_000).status());
    }

    @Test
    void anInstanceThatLostItsChunkCannotCompleteIt() throws Exception {
        long id = jobHeldByDeadInstance("now() + interval '1 hour'");
        try (Connection c = dataSource.getConnection()) {
            assertThrows(JobService.ChunkLostException.class, () -> jobs.completeChunk(c, id, 0, "some-other-instance", 1, Map.of()));
        }
        QuarkusTransaction.requiringNew().run(() -> jobs.cancel(id, "test"));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> jobs.progress(id)).status() == Job.Status.CANCELLED);
    }

    /** An instance died after its last chunk was done but before the job was finished (or while finishing it). */
    @Test
    void aJobNobodyFinishedIsFinishedByAnotherInstance() throws Exception {
        for (String finishedAt : new String[]{"null", "now() - interval '10 minutes'"}) {
            long id = QuarkusTransaction.requiringNew().call(() -> {
                Job job = regrade.start("test", LocalDate.now(), "收尾恢复测试", null);
                // As if a dead instance had done every chunk three minutes ago, and then never finished the job.
                em.createNativeQuery("update job_chunk set status = 'DONE', claimed_by = 'dead-instance', done_count = 0, "
                        + "result = '{\"changed\": 0}'::jsonb, lease_until = now() - interval '3 minutes' where job_id = ?1")
                        .setParameter(1, job.id).executeUpdate();
                em.createNativeQuery("update job set finished_at = " + finishedAt + " where id = ?1").setParameter(1, job.id).executeUpdate();
                return job.id;
            });
            JobService.Progress p = waitForEnd(id, 60_000);
            assertEquals(Job.Status.DONE, p.status(), "finished_at " + finishedAt);
            assertEquals(0L, ((Number) p.result().get("changed")).longValue());
            assertTrue(p.result().containsKey("grades"), "the finishing step ran: " + p.result());
        }
    }
}
