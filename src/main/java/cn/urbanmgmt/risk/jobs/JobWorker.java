package cn.urbanmgmt.risk.jobs;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Claims job chunks from PostgreSQL (FOR UPDATE SKIP LOCKED) and runs them on a few threads. Any
 * number of instances can share one database: a chunk is claimed by one of them, and one whose
 * instance died is claimed again when its lease runs out.
 */
@ApplicationScoped
public class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    static final int LEASE_SECONDS = 120;
    /** How often an idle instance looks for jobs that nobody finished. */
    static final long SWEEP_NANOS = 10_000_000_000L;

    @ConfigProperty(name = "app.jobs.workers", defaultValue = "2")
    int workers;

    @ConfigProperty(name = "app.jobs.poll-millis", defaultValue = "500")
    long pollMillis;

    @ConfigProperty(name = "app.instance-id")
    java.util.Optional<String> configuredInstance;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    JobService jobs;

    @Inject
    Instance<JobHandler> handlers;

    /** A failed chunk is tried this often in all when it failed for a transient reason (connection, serialization, deadlock). */
    static final int CHUNK_ATTEMPTS = 5;

    private final List<Thread> threads = new ArrayList<>();
    /** Chunks this instance is working on: their leases are renewed while they run. */
    private final java.util.Set<Claim> working = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService heartbeat;
    private volatile boolean running;
    /** When this instance last looked for jobs nobody finished (System.nanoTime). */
    private volatile long lastSweep;
    private String instance;
    /** Idle workers wait on this between polls; a job stored by this instance wakes them at once. */
    private final Object idle = new Object();

    record Claim(long jobId, int chunkNo, long fromId, long toId) {
    }

    void onStart(@Observes @Priority(50) StartupEvent event) throws Exception {
        instance = configuredInstance.orElse(InetAddress.getLocalHost().getHostName() + ":" + port);
        // Chunks this instance held when it stopped are free to take again at once.
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update job_chunk set status = 'PENDING', claimed_by = null, lease_until = null "
                     + "where status = 'CLAIMED' and claimed_by = ?")) {
            ps.setString(1, instance);
            int n = ps.executeUpdate();
            if (n > 0) LOG.infof("Resuming %d job chunk(s) this instance held before it stopped", n);
        }
        running = true;
        // A chunk that runs longer than its lease keeps it: renewed every quarter lease while it runs.
        heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::renewLeases, LEASE_SECONDS / 4, LEASE_SECONDS / 4, java.util.concurrent.TimeUnit.SECONDS);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::loop, "job-worker-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (heartbeat != null) heartbeat.shutdownNow();
        for (Thread t : threads) t.join(10_000);
    }

    /**
     * Wakes the idle workers once the job's transaction has committed (before that they could not see its
     * chunks): a job starts at once instead of at the next poll. Jobs stored by another instance are still
     * found by polling ({@code app.jobs.poll-millis}).
     */
    void onEnqueued(@Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS) JobEnqueued event) {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    public String instance() {
        return instance;
    }

    private void loop() {
        while (running) {
            try {
                Claim claim = claim();
                if (claim == null) {
                    finishAbandoned();
                    synchronized (idle) {
                        idle.wait(pollMillis);
                    }
                    continue;
                }
                run(claim);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.error("job worker error", e);
                sleepQuietly();
            }
        }
    }

    private Claim claim() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update job_chunk set status = 'CLAIMED', claimed_by = ?, lease_until = now() + make_interval(secs => ?)
                     where (job_id, chunk_no) = (
                         select c.job_id, c.chunk_no from job_chunk c join job j on j.id = c.job_id
                         where j.status = 'RUNNING' and (c.status = 'PENDING' or (c.status = 'CLAIMED' and c.lease_until < now()))
                         order by c.job_id, c.chunk_no limit 1
                         for update of c skip locked)
                     returning job_id, chunk_no, from_id, to_id""")) {
            ps.setString(1, instance);
            ps.setInt(2, LEASE_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Claim(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)) : null;
            }
        }
    }

    private void run(Claim claim) {
        Job job = QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(claim.jobId()));
        JobHandler handler = handler(job.type);
        working.add(claim);
        try {
            processWithRetries(job, handler, claim);
            finishIfLast(job, handler);
        } catch (JobService.ChunkLostException e) {
            LOG.warn(e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Job %d failed on chunk %d", job.id, claim.chunkNo());
            fail(job.id, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            working.remove(claim);
        }
    }

    /**
     * Runs a chunk; a transient SQL failure (connection lost, serialization failure, deadlock) rolls the
     * chunk's transaction back and it runs again after a back-off (1, 2, 4, 8 s), keeping its lease.
     */
    private void processWithRetries(Job job, JobHandler handler, Claim claim) {
        long backoff = 1000;
        for (int attempt = 1; ; attempt++) {
            try {
                handler.processChunk(job, claim.fromId(), claim.toId(),
                        (c, processed, result) -> jobs.completeChunk(c, claim.jobId(), claim.chunkNo(), instance, processed, result));
                return;
            } catch (JobService.ChunkLostException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= CHUNK_ATTEMPTS || !cn.urbanmgmt.risk.common.SqlRetry.isTransient(e) || !running) throw e;
                LOG.warnf("Job %d chunk %d: transient failure (SQLState %s, attempt %d of %d), retrying in %d ms: %s", job.id,
                        claim.chunkNo(), cn.urbanmgmt.risk.common.SqlRetry.sqlState(e), attempt, CHUNK_ATTEMPTS, backoff, e.getMessage());
                cn.urbanmgmt.risk.common.SqlRetry.sleep(backoff);
                backoff *= 2;
            }
        }
    }

    /** Extends the lease of every chunk this instance is working on (a lost connection here is retried next beat). */
    private void renewLeases() {
        renew(List.copyOf(working));
    }

    /** Extends the leases of these chunks, where this instance still holds them. */
    void renew(java.util.Collection<Claim> claims) {
        if (claims.isEmpty()) return;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update job_chunk set lease_until = now() + make_interval(secs => ?)
                     where job_id = ? and chunk_no = ? and claimed_by = ? and status = 'CLAIMED'""")) {
            for (Claim claim : claims) {
                ps.setInt(1, LEASE_SECONDS);
                ps.setLong(2, claim.jobId());
                ps.setInt(3, claim.chunkNo());
                ps.setString(4, instance);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Renewing job chunk leases failed: %s", e.getMessage());
        }
    }

    private void finishIfLast(Job job, JobHandler handler) {
        // Whoever completes the last chunk finishes the job: setting finished_at decides the race. The job
        // stays RUNNING (at 100%) until the finishing step has written its result.
        boolean last = QuarkusTransaction.requiringNew().call(() -> Job.getEntityManager().createNativeQuery("""
                update job set finished_at = now() where id = ?1 and status = 'RUNNING' and finished_at is null
                and not exists (select 1 from job_chunk where job_id = ?1 and status <> 'DONE')""")
                .setParameter(1, job.id).executeUpdate() == 1);
        if (last) finish(job, handler);
    }

    /**
     * Finishes jobs whose chunks are all done but that nobody finished: the instance that completed the
     * last chunk died before (finished_at still empty a lease after) or during the finishing step
     * (finished_at a lease old, job still RUNNING). Claiming sets finished_at again, so one instance
     * does it; finishing steps are idempotent (they recompute their summaries from the chunks).
     */
    private void finishAbandoned() throws SQLException {
        long now = System.nanoTime();
        if (now - lastSweep < SWEEP_NANOS) return;
        lastSweep = now;
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update job j set finished_at = now() where j.status = 'RUNNING'
                     and coalesce(j.finished_at, (select max(c.lease_until) from job_chunk c where c.job_id = j.id), j.started_at)
                         < now() - make_interval(secs => ?)
                     and not exists (select 1 from job_chunk c where c.job_id = j.id and c.status <> 'DONE')
                     returning j.id""")) {
            ps.setInt(1, LEASE_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        for (long id : ids) {
            Job job = QuarkusTransaction.requiringNew().call(() -> Job.<Job>findById(id));
            LOG.warnf("Job %d: all chunks done but not finished (its instance stopped); finishing it here", id);
            finish(job, handler(job.type));
        }
    }

    private void finish(Job job, JobHandler handler) {
        Map<String, Object> result;
        String error = null;
        try {
            result = new HashMap<>(handler.finish(job));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Job %d: finishing step failed", job.id);
            result = Map.of();
            error = "收尾步骤失败：" + e.getMessage();
        }
        Map<String, Object> finalResult = result;
        String finalError = error;
        QuarkusTransaction.requiringNew().run(() -> {
            Job j = Job.findById(job.id);
            if (j.status != Job.Status.RUNNING) return;
            j.done = ((Number) Job.getEntityManager().createNativeQuery("select coalesce(sum(done_count), 0) from job_chunk where job_id = ?1")
                    .setParameter(1, job.id).getSingleResult()).longValue();
            j.finishedAt = OffsetDateTime.now();
            j.result = finalResult;
            j.status = finalError == null ? Job.Status.DONE : Job.Status.FAILED;
            j.error = finalError;
        });
    }

    private void fail(long jobId, String message) {
        QuarkusTransaction.requiringNew().run(() -> {
            Job j = Job.findById(jobId);
            if (j.status != Job.Status.RUNNING) return;
            j.status = Job.Status.FAILED;
            j.error = message.length() > 3900 ? message.substring(0, 3900) : message;
            j.finishedAt = OffsetDateTime.now();
        });
    }

    private JobHandler handler(String type) {
        for (JobHandler h : handlers) {
            if (h.type().equals(type)) return h;
        }
        throw new IllegalStateException("no handler for job type " + type);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
