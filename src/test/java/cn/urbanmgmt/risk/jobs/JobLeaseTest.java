package cn.urbanmgmt.risk.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A chunk that runs longer than its lease keeps it: the worker renews the leases of the chunks it is working on. */
@QuarkusTest
class JobLeaseTest {

    @Inject
    JobWorker worker;

    @Inject
    JobService jobs;

    @Inject
    EntityManager em;

    @Test
    void theLeaseOfAChunkInProgressIsRenewedAndOnlyThatOne() {
        cn.urbanmgmt.risk.TestSupport.createMerchant(cn.urbanmgmt.risk.TestSupport.uscc(), "jingansi");
        long[] ids = QuarkusTransaction.requiringNew().call(() -> {
            Job job = jobs.create("LEASE-TEST", "test", Map.of(), null);
            // Take the job's chunks out of the workers' reach: one is "ours and running", its lease about to run out.
            em.createNativeQuery("update job set status = 'CANCELLED' where id = ?1").setParameter(1, job.id).executeUpdate();
            em.createNativeQuery("update job_chunk set status = 'CLAIMED', claimed_by = ?2, lease_until = now() + interval '5 seconds' "
                    + "where job_id = ?1").setParameter(1, job.id).setParameter(2, worker.instance()).executeUpdate();
            return new long[]{job.id};
        });
        long jobId = ids[0];
        JobWorker.Claim ours = new JobWorker.Claim(jobId, 0, 0, 0);
        worker.renew(java.util.List.of(ours));
        OffsetDateTime lease = QuarkusTransaction.requiringNew().call(() -> (OffsetDateTime) em.createNativeQuery(
                "select lease_until from job_chunk where job_id = ?1 and chunk_no = 0", OffsetDateTime.class).setParameter(1, jobId).getSingleResult());
        assertTrue(lease.isAfter(OffsetDateTime.now().plusSeconds(JobWorker.LEASE_SECONDS - 30)), "renewed: " + lease);
        long others = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from job_chunk where job_id = ?1 and chunk_no <> 0 and lease_until > now() + interval '60 seconds'")
                .setParameter(1, jobId).getSingleResult()).longValue());
        assertEquals(0, others);
    }
}
