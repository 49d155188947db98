package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobHandler;
import cn.urbanmgmt.risk.jobs.JobService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Full regrade of every merchant as a job: started by hand, after an activation, or daily. */
@ApplicationScoped
public class RegradeJob implements JobHandler {

    public static final String TYPE = "REGRADE";
    private static final Logger LOG = Logger.getLogger(RegradeJob.class);

    @Inject
    GradingService grading;

    @Inject
    JobService jobs;

    @Inject
    EntityManager em;

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Starts a full regrade as of {@code date}; null when {@code dedupeKey} was taken already. While a full
     * regrade for the same date and the same active rules is queued or running (on any instance), that
     * job is returned instead of starting another: it grades every merchant with those rules anyway, and
     * changes made meanwhile are graded by their own path. After an activation the rules differ, so a new
     * job starts (the chunks the old one finished were graded with the old rules).
     */
    @jakarta.transaction.Transactional
    public Job start(String user, LocalDate date, String cause, String dedupeKey) {
        // Two requests at once take turns here, so the second finds the first one's job.
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext('regrade-job-start'))) x").getSingleResult();
        String rules = (String) em.createNativeQuery("select coalesce((select hash from rule_set_version where kind = 'GRADING' and active), '')")
                .getSingleResult();
        Job running = Job.<Job>find("type = ?1 and status = ?2 and finishedAt is null order by id desc", TYPE, Job.Status.RUNNING).list().stream()
                .filter(j -> date.toString().equals(j.params.get("evaluationDate")) && rules.equals(j.params.get("rulesVersion")))
                .findFirst().orElse(null);
        if (running != null) return dedupeKey == null ? running : null;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("evaluationDate", date.toString());
        params.put("cause", cause);
        params.put("rulesVersion", rules);
        return jobs.create(TYPE, user, params, dedupeKey);
    }

    @Scheduled(cron = "{app.grading.daily-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        LocalDate today = LocalDate.now(EventService.ZONE);
        Job job = start("system", today, "每日重新评级（记录过期后等级回落）", "daily-regrade-" + today);
        if (job != null) LOG.infof("Daily regrade started as job %d", job.id);
    }

    @Override
    public void processChunk(Job job, long fromId, long toId, ChunkCompletion complete) {
        LocalDate date = LocalDate.parse((String) job.params.get("evaluationDate"));
        String cause = job.params.get("cause") + "（任务 #" + job.id + "）";
        grading.regradeRange(fromId, toId, date, cause, complete);
    }

    @Override
    public Map<String, Object> finish(Job job) {
        LocalDate date = LocalDate.parse((String) job.params.get("evaluationDate"));
        long changed = jobs.chunkResults(job.id).stream().mapToLong(r -> ((Number) r.getOrDefault("changed", 0)).longValue()).sum();
        Map<String, Object> counts = QuarkusTransaction.requiringNew().call(() -> {
            // The day's counts per street, category and grade feed the trend chart.
            em.createNativeQuery("delete from grade_daily_count where day = ?1").setParameter(1, date).executeUpdate();
            em.createNativeQuery("""
                    insert into grade_daily_count (day, street_code, category, grade, merchants)
                    select ?1, m.street_code, m.category, g.grade, count(*)
                    from merchant_grade g join merchant m on m.id = g.merchant_id
                    where m.status <> 'CLOSED' group by m.street_code, m.category, g.grade""").setParameter(1, date).executeUpdate();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select grade, sum(merchants) from grade_daily_count where day = ?1 group by grade")
                    .setParameter(1, date).getResultList();
            Map<String, Object> byGrade = new HashMap<>();
            for (Object[] r : rows) byGrade.put((String) r[0], ((Number) r[1]).longValue());
            return byGrade;
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("evaluationDate", date.toString());
        result.put("changed", changed);
        result.put("grades", counts);
        return result;
    }
}
