package cn.urbanmgmt.risk.jobs;

import cn.urbanmgmt.risk.common.ProblemException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates jobs over the merchant table, split into id-range chunks of about {@link #CHUNK_SIZE}
 * merchants, and reports their progress.
 */
@ApplicationScoped
public class JobService {

    public static final int CHUNK_SIZE = 5_000;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    jakarta.enterprise.event.Event<JobEnqueued> enqueued;

    /** Progress as the API shows it. */
    public record Progress(long id, String type, Job.Status status, long done, long total, double percent,
                           Double ratePerSecond, Long etaSeconds, OffsetDateTime createdAt, OffsetDateTime startedAt,
                           OffsetDateTime finishedAt, String createdBy, Map<String, Object> params, Map<String, Object> result,
                           String error) {
    }

    /**
     * Creates a job over all merchants (or those matching {@code merchantFilter}, a SQL condition on
     * table alias m). Returns null when {@code dedupeKey} is already taken (another instance made it).
     */
    @Transactional
    public Job create(String type, String user, Map<String, Object> params, String dedupeKey) {
        return create(type, user, params, dedupeKey, "select id from merchant");
    }

    /**
     * Creates a job over the merchants whose ids {@code idsSql} selects (one column; its parameters are
     * {@code ?2}, {@code ?3}, ... bound to {@code args}), in chunks of about {@link #CHUNK_SIZE} of them.
     */
    @Transactional
    public Job create(String type, String user, Map<String, Object> params, String dedupeKey, String idsSql, Object... args) {
        if (dedupeKey != null && Job.count("dedupeKey", dedupeKey) > 0) return null;
        Job job = new Job();
        job.type = type;
        job.status = Job.Status.RUNNING;
        job.createdBy = user;
        job.createdAt = OffsetDateTime.now();
        job.startedAt = job.createdAt;
        job.params = params;
        job.dedupeKey = dedupeKey;
        job.persistAndFlush();
        // Chunk boundaries: every CHUNK_SIZE-th id, so chunks hold equal numbers of merchants however sparse the ids.
        var query = em.createNativeQuery("""
                select min(id), max(id), count(*) from (
                  select id, (row_number() over (order by id) - 1) / ?1 as bucket from (%s) s(id)) b
                group by bucket order by bucket""".formatted(idsSql)).setParameter(1, CHUNK_SIZE);
        for (int i = 0; i < args.length; i++) query.setParameter(i + 2, args[i]);
        @SuppressWarnings("unchecked")
        List<Object[]> bounds = query.getResultList();
        long total = 0;
        int chunkNo = 0;
        for (Object[] b : bounds) {
            long from = ((Number) b[0]).longValue();
            long to = ((Number) b[1]).longValue();
            em.createNativeQuery("insert into job_chunk (job_id, chunk_no, from_id, to_id, status) values (?1, ?2, ?3, ?4, 'PENDING')")
                    .setParameter(1, job.id).setParameter(2, chunkNo++).setParameter(3, from).setParameter(4, to).executeUpdate();
            total += ((Number) b[2]).longValue();
        }
        job.total = total;
        if (bounds.isEmpty()) {
            job.status = Job.Status.DONE;
            job.finishedAt = OffsetDateTime.now();
        } else {
            enqueued.fire(new JobEnqueued(job.id));
        }
        return job;
    }

    public Progress progress(long id) {
        Job job = Job.findById(id);
        if (job == null) throw ProblemException.notFound("任务 " + id + " 不存在");
        return progress(job);
    }

    public Progress progress(Job job) {
        long done = job.status == Job.Status.RUNNING ? doneCount(job.id) : job.done;
        Double rate = null;
        Long eta = null;
        if (job.startedAt != null && done > 0) {
            OffsetDateTime end = job.finishedAt != null ? job.finishedAt : OffsetDateTime.now();
            double seconds = Math.max(0.001, Duration.between(job.startedAt, end).toMillis() / 1000.0);
            rate = Math.round(done / seconds * 10) / 10.0;
            if (job.status == Job.Status.RUNNING) eta = (long) Math.ceil((job.total - done) / (done / seconds));
        }
        double percent = job.total == 0 ? 100.0 : Math.round(done * 1000.0 / job.total) / 10.0;
        return new Progress(job.id, job.type, job.status, done, job.total, percent, rate, eta, job.createdAt, job.startedAt,
                job.finishedAt, job.createdBy, job.params, job.result, job.error);
    }

    private long doneCount(long jobId) {
        Number n = (Number) em.createNativeQuery("select coalesce(sum(done_count), 0) from job_chunk where job_id = ?1 and status = 'DONE'")
                .setParameter(1, jobId).getSingleResult();
        return n.longValue();
    }

    public List<Progress> recent(String type, int limit) {
        List<Job> jobs = type == null ? Job.find("order by id desc").range(0, limit - 1).list()
                : Job.find("type = ?1 order by id desc", type).range(0, limit - 1).list();
        List<Progress> out = new ArrayList<>();
        for (Job j : jobs) out.add(progress(j));
        return out;
    }

    @Transactional
    public Progress cancel(long id, String user) {
        Job job = Job.findById(id);
        if (job == null) throw ProblemException.notFound("任务 " + id + " 不存在");
        if (job.status != Job.Status.RUNNING) throw ProblemException.conflict("任务 " + id + " 已结束（" + job.status + "），无法取消");
        job.done = doneCount(id);
        job.status = Job.Status.CANCELLED;
        job.finishedAt = OffsetDateTime.now();
        job.error = "由 " + user + " 取消";
        return progress(job);
    }

    /**
     * Marks a chunk done inside the caller's transaction; fails if the chunk is no longer ours. A done
     * chunk's lease_until is when it was done (the sweeper for unfinished jobs counts from it).
     */
    public void completeChunk(Connection c, long jobId, int chunkNo, String instance, int processed, Map<String, Object> result)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update job_chunk set status = 'DONE', done_count = ?, result = ?::jsonb, lease_until = now()
                where job_id = ? and chunk_no = ? and claimed_by = ? and status = 'CLAIMED'""")) {
            ps.setInt(1, processed);
            ps.setString(2, json.writeValueAsString(result));
            ps.setLong(3, jobId);
            ps.setInt(4, chunkNo);
            ps.setString(5, instance);
            if (ps.executeUpdate() != 1) {
                throw new ChunkLostException(jobId, chunkNo);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another instance took over the chunk (our lease ran out): our work on it is rolled back. */
    public static class ChunkLostException extends RuntimeException {
        ChunkLostException(long jobId, int chunkNo) {
            super("job " + jobId + " chunk " + chunkNo + " was taken over by another instance");
        }
    }

    /** Loads the chunk results of a job (for handlers that merge them in finish). */
    public List<Map<String, Object>> chunkResults(long jobId) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select result::text from job_chunk where job_id = ? order by chunk_no")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String r = rs.getString(1);
                    if (r != null) out.add(json.readValue(r, Map.class));
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
