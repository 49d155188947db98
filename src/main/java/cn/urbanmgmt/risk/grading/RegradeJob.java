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

/**
 * Regrade as a job. A full pass grades every merchant: started by hand, after an activation, weekly as the
 * safety net, or daily when the incremental pass cannot be trusted. The daily job is incremental: it regrades
 * only the merchants whose stored result can have changed by the day without a new event (next_change_date,
 * see {@link cn.urbanmgmt.risk.grading.engine.AgeWindows}) or that are marked "needs regrade".
 */
@ApplicationScoped
public class RegradeJob implements JobHandler {

    public static final String TYPE = "REGRADE";
    private static final Logger LOG = Logger.getLogger(RegradeJob.class);

    /** Every merchant (the default, also of jobs created before modes existed). */
    public static final String FULL = "FULL";
    /** Every merchant, weekly: reports what the incremental passes missed. */
    public static final String SAFETY = "SAFETY";
    /** The daily pass over the merchants whose result can have changed. */
    public static final String INCREMENTAL = "INCREMENTAL";

    /** The merchants an incremental pass as of ?2 regrades (see GradingService#regradeDue). */
    static final String DUE_IDS = """
            select merchant_id from merchant_grade where next_change_date <= ?2 or next_change_date is null
            union select merchant_id from merchant_freshness where pending""";

    @Inject
    cn.urbanmgmt.risk.grading.engine.GradingEngine engine;

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
        return start(user, date, cause, dedupeKey, FULL, null);
    }

    private Job start(String user, LocalDate date, String cause, String dedupeKey, String mode, String fullReason) {
        // Two requests at once take turns here, so the second finds the first one's job.
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext('regrade-job-start'))) x").getSingleResult();
        String rules = activeVersion();
        boolean full = !INCREMENTAL.equals(mode);
        Job running = Job.<Job>find("type = ?1 and status = ?2 and finishedAt is null order by id desc", TYPE, Job.Status.RUNNING).list().stream()
                .filter(j -> date.toString().equals(j.params.get("evaluationDate")) && rules.equals(j.params.get("rulesVersion"))
                        && full == !INCREMENTAL.equals(j.params.get("mode")))
                .findFirst().orElse(null);
        if (running != null) return dedupeKey == null ? running : null;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("evaluationDate", date.toString());
        params.put("cause", cause);
        params.put("rulesVersion", rules);
        params.put("mode", mode);
        if (fullReason != null) params.put("fullReason", fullReason);
        Job job = full ? jobs.create(TYPE, user, params, dedupeKey) : jobs.create(TYPE, user, params, dedupeKey, DUE_IDS, date);
        if (job != null && job.status == Job.Status.DONE && job.result == null) {
            // Nothing to grade (no merchant, or none due): done at once, and says so.
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("evaluationDate", date.toString());
            result.put("mode", mode);
            if (fullReason != null) result.put("fullReason", fullReason);
            result.put("changed", 0);
            result.put("graded", 0);
            job.result = result;
        }
        return job;
    }

    private String activeVersion() {
        return (String) em.createNativeQuery("select coalesce((select hash from rule_set_version where kind = 'GRADING' and active), '')")
                .getSingleResult();
    }

    @Scheduled(cron = "{app.grading.daily-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        LocalDate today = LocalDate.now(EventService.ZONE);
        Job job = startDaily(today, "daily-regrade-" + today);
        if (job != null) LOG.infof("Daily regrade started as job %d (%s)", job.id, job.params.get("mode"));
    }

    /**
     * The daily regrade as of {@code date}: incremental, unless it cannot be trusted, then a full pass whose
     * job says why (params.fullReason): the active rules use ages in a way that cannot be bounded, or no full
     * pass with them has finished yet (grades from other rules, or from before next_change_date existed), or the
     * last one graded as of a later date (a preview: those grades do not hold for this date).
     */
    @jakarta.transaction.Transactional
    public Job startDaily(LocalDate date, String dedupeKey) {
        return startDaily("system", date, dedupeKey);
    }

    /** {@link #startDaily(LocalDate, String)} started by {@code user} (by hand, e.g. after an outage missed the scheduled run). */
    @jakarta.transaction.Transactional
    public Job startDaily(String user, LocalDate date, String dedupeKey) {
        String why = fullPassReason(date);
        if (why != null) LOG.infof("Daily regrade as of %s runs as a full pass: %s", date, why);
        return start(user, date, why == null ? "每日增量重新评级（记录跨过规则的时间窗口）" : "每日重新评级（全量：" + why + "）", dedupeKey,
                why == null ? INCREMENTAL : FULL, why);
    }

    /** Why the daily regrade as of {@code date} must be a full pass (zh-CN), or null when the incremental one suffices. */
    String fullPassReason(LocalDate date) {
        if (!engine.hasActive()) return "尚无生效的评级规则";
        var windows = engine.active().ageWindows();
        if (!windows.bounded()) return "生效规则使用事件天数的方式无法推算等级何时会变：" + windows.why();
        @SuppressWarnings("unchecked")
        List<String> last = em.createNativeQuery("""
                select params->>'evaluationDate' from job where type = ?1 and status = 'DONE' and params->>'rulesVersion' = ?2
                and coalesce(params->>'mode', 'FULL') <> 'INCREMENTAL' order by finished_at desc limit 1""")
                .setParameter(1, TYPE).setParameter(2, activeVersion()).getResultList();
        if (last.isEmpty()) return "生效规则还没有完成过全量重新评级";
        if (LocalDate.parse(last.get(0)).isAfter(date)) return "最近一次全量重新评级按更晚的日期 " + last.get(0) + " 评级";
        return null;
    }

    /**
     * The weekly safety net: a full pass that reports every merchant whose stored result it changed although
     * that result claimed to hold (job result "missed" and "missedIds", a warning per merchant in the log, the
     * counter grading_incremental_missed_total). Expected: none.
     */
    @Scheduled(cron = "{app.grading.safety-pass-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void weekly() {
        LocalDate today = LocalDate.now(EventService.ZONE);
        Job job = startSafetyPass(today, "safety-pass-" + today);
        if (job != null) LOG.infof("Weekly safety pass (full regrade) started as job %d", job.id);
    }

    @jakarta.transaction.Transactional
    public Job startSafetyPass(LocalDate date, String dedupeKey) {
        return startSafetyPass("system", date, dedupeKey);
    }

    @jakarta.transaction.Transactional
    public Job startSafetyPass(String user, LocalDate date, String dedupeKey) {
        return start(user, date, "每周全量重新评级（核对增量评级）", dedupeKey, SAFETY, null);
    }

    @Override
    public void processChunk(Job job, long fromId, long toId, ChunkCompletion complete) {
        LocalDate date = LocalDate.parse((String) job.params.get("evaluationDate"));
        String cause = job.params.get("cause") + "（任务 #" + job.id + "）";
        if (INCREMENTAL.equals(job.params.get("mode"))) grading.regradeDue(fromId, toId, date, cause, complete);
        else grading.regradeRange(fromId, toId, date, cause, complete);
    }

    @Override
    public Map<String, Object> finish(Job job) {
        LocalDate date = LocalDate.parse((String) job.params.get("evaluationDate"));
        long changed = jobs.chunkResults(job.id).stream().mapToLong(r -> ((Number) r.getOrDefault("changed", 0)).longValue()).sum();
        Map<String, Object> counts = QuarkusTransaction.requiringNew().call(() -> {
            // The day's counts per street, category and grade feed the trend chart. Counted by a plain query, which
            // PostgreSQL may run on several cores (an INSERT ... SELECT never is), then stored: a few hundred rows.
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                    select m.street_code, m.category, g.grade, count(*)
                    from merchant_grade g join merchant m on m.id = g.merchant_id
                    where m.status <> 'CLOSED' group by m.street_code, m.category, g.grade""").getResultList();
            em.createNativeQuery("delete from grade_daily_count where day = ?1").setParameter(1, date).executeUpdate();
            Map<String, Object> byGrade = new HashMap<>();
            if (!rows.isEmpty()) {
                String[] streets = new String[rows.size()], categories = new String[rows.size()], grades = new String[rows.size()];
                Long[] merchants = new Long[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    Object[] r = rows.get(i);
                    streets[i] = (String) r[0];
                    categories[i] = (String) r[1];
                    grades[i] = (String) r[2];
                    merchants[i] = ((Number) r[3]).longValue();
                    byGrade.merge(grades[i], merchants[i], (a, b) -> (Long) a + (Long) b);
                }
                em.createNativeQuery("""
                        insert into grade_daily_count (day, street_code, category, grade, merchants)
                        select ?1, u.* from unnest(cast(?2 as text[]), cast(?3 as text[]), cast(?4 as text[]), cast(?5 as bigint[])) as u""")
                        .setParameter(1, date).setParameter(2, streets).setParameter(3, categories).setParameter(4, grades)
                        .setParameter(5, merchants).executeUpdate();
            }
            return byGrade;
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("evaluationDate", date.toString());
        String mode = (String) job.params.getOrDefault("mode", FULL);
        result.put("mode", mode);
        if (job.params.get("fullReason") != null) result.put("fullReason", job.params.get("fullReason"));
        result.put("changed", changed);
        result.put("grades", counts);
        List<Map<String, Object>> chunks = jobs.chunkResults(job.id);
        for (String k : List.of("graded", "readMs", "evaluateMs", "writeMs")) {
            result.put(k, chunks.stream().mapToLong(r -> ((Number) r.getOrDefault(k, 0)).longValue()).sum());
        }
        if (!INCREMENTAL.equals(mode)) {
            long missed = chunks.stream().mapToLong(r -> ((Number) r.getOrDefault("missed", 0)).longValue()).sum();
            List<Object> ids = new java.util.ArrayList<>();
            for (Map<String, Object> r : chunks) {
                if (r.get("missedIds") instanceof List<?> l) for (Object id : l) if (ids.size() < 100) ids.add(id);
            }
            result.put("missed", missed);
            result.put("missedIds", ids);
            if (missed > 0) {
                LOG.warnf("Full regrade job %d (%s) found %d merchant(s) whose grade the incremental passes missed, e.g. %s", job.id, mode, missed, ids);
            } else if (SAFETY.equals(mode)) {
                LOG.infof("Weekly safety pass job %d: the incremental passes missed no merchant", job.id);
            }
        }
        return result;
    }
}
