package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobHandler;
import cn.urbanmgmt.risk.jobs.JobService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backtest of one or two grading versions (docs/outcomes.md): each chunk grades its merchants as of
 * date D from the events the database knew before D ({@link AsOfFactReader}), reads the horizon's
 * inspection visits of those merchants, and keeps per visit the date, whether it found a problem and
 * each version's grade and score; {@link #finish} computes the figures over all visits. Reads only:
 * live grades, grade history and the trend are never written.
 */
@ApplicationScoped
public class BacktestJob implements JobHandler {

    public static final String TYPE = "BACKTEST";
    /** Outcomes that count as "found a problem"; NOT_FOUND (merchant not found) is not an inspection of it. */
    static final String PROBLEM_OUTCOMES = "('RECTIFIED_ON_SPOT', 'ORDERED_TO_RECTIFY', 'CASE_OPENED')";
    private static final Grade[] GRADES = Grade.values();

    @Inject
    RuleSetService ruleSets;

    @Inject
    JobService jobs;

    @Inject
    AgroalDataSource dataSource;

    @Override
    public String type() {
        return TYPE;
    }

    /** Parameters as stored with the job. */
    record Params(List<String> versions, LocalDate asOf, int horizonDays, String street, String category) {
        @SuppressWarnings("unchecked")
        static Params of(Job job) {
            Map<String, Object> p = job.params;
            return new Params((List<String>) p.get("versions"), LocalDate.parse((String) p.get("asOf")),
                    ((Number) p.get("horizonDays")).intValue(), (String) p.get("street"), (String) p.get("category"));
        }

        LocalDate horizonEnd() {
            return asOf.plusDays(horizonDays);
        }
    }

    @Override
    public void processChunk(Job job, long fromId, long toId, ChunkCompletion complete) {
        Params p = Params.of(job);
        List<CompiledRules> rules = new ArrayList<>();
        try {
            for (String v : p.versions()) rules.add(ruleSets.lease(v));
            int n = rules.size();
            long[][] counts = new long[n][3];
            long[] faults = new long[n];
            Map<Long, int[]> graded = new HashMap<>();
            int[] read = {0};
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                AsOfFactReader.readRange(c, fromId, toId, p.asOf(), p.street(), p.category(), facts -> {
                    read[0]++;
                    int[] gs = new int[2 * n];
                    boolean ok = true;
                    for (int i = 0; i < n; i++) {
                        Assessment a = evaluate(rules.get(i), facts);
                        if (a == null) {
                            faults[i]++;
                            ok = false;
                            continue;
                        }
                        gs[2 * i] = a.getGrade().ordinal();
                        gs[2 * i + 1] = a.getScore();
                    }
                    if (!ok) return;
                    for (int i = 0; i < n; i++) counts[i][gs[2 * i]]++;
                    graded.put(facts.merchant().getId(), gs);
                });
                List<List<Object>> visits = new ArrayList<>();
                long ungradedVisits = horizonVisits(c, fromId, toId, p, graded, visits);
                Map<String, Object> result = new LinkedHashMap<>();
                List<List<Long>> countList = new ArrayList<>();
                for (long[] row : counts) countList.add(List.of(row[0], row[1], row[2]));
                result.put("counts", countList);
                result.put("faults", java.util.Arrays.stream(faults).boxed().toList());
                result.put("visits", visits);
                result.put("ungradedVisits", ungradedVisits);
                complete.complete(c, read[0], result);
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("backtest chunk could not be completed: " + e.getMessage(), e);
        } finally {
            rules.forEach(CompiledRules::release);
        }
    }

    private static Assessment evaluate(CompiledRules rules, MerchantFacts facts) {
        try {
            Assessment a = rules.evaluate(facts);
            a.getGrade();
            return a;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The horizon's visits [D, D + H) of graded merchants as [merchantId, epochDay, problem 0/1,
     * grade, score, ...]: one visit per merchant and day, problem when any of its results found one.
     * Results are read as they stand today (with corrections). Returns the visits of merchants in
     * range that were not graded (opened on or after D, or a rule fault).
     */
    private static long horizonVisits(Connection c, long fromId, long toId, Params p, Map<Long, int[]> graded, List<List<Object>> out)
            throws SQLException {
        long ungraded = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                select e.merchant_id, (e.occurred_at at time zone 'Asia/Shanghai')::date as d,
                       bool_or(e.outcome in %s) as problem
                from merchant_event e join merchant m on m.id = e.merchant_id
                where e.merchant_id between ? and ? and e.type = 'INSPECTION' and e.superseded_by is null
                  and e.outcome <> 'NOT_FOUND' and e.occurred_at >= ? and e.occurred_at < ?
                  and (?::varchar is null or m.street_code = ?) and (?::varchar is null or m.category = ?)
                group by 1, 2""".formatted(PROBLEM_OUTCOMES))) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            ps.setObject(3, AsOfFactReader.startOf(p.asOf()));
            ps.setObject(4, AsOfFactReader.startOf(p.horizonEnd()));
            ps.setString(5, p.street());
            ps.setString(6, p.street());
            ps.setString(7, p.category());
            ps.setString(8, p.category());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    int[] gs = graded.get(id);
                    if (gs == null) {
                        ungraded++;
                        continue;
                    }
                    List<Object> row = new ArrayList<>(3 + gs.length);
                    row.add(id);
                    row.add(rs.getObject(2, LocalDate.class).toEpochDay());
                    row.add(rs.getBoolean(3) ? 1 : 0);
                    for (int g : gs) row.add(g);
                    out.add(row);
                }
            }
        }
        return ungraded;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> finish(Job job) {
        Params p = Params.of(job);
        int n = p.versions().size();
        long[][] counts = new long[n][3];
        long[] faults = new long[n];
        long ungradedVisits = 0;
        List<List<BacktestMetrics.Visit>> visits = new ArrayList<>();
        for (int i = 0; i < n; i++) visits.add(new ArrayList<>());
        for (Map<String, Object> r : jobs.chunkResults(job.id)) {
            List<List<Number>> cs = (List<List<Number>>) r.get("counts");
            List<Number> fs = (List<Number>) r.get("faults");
            for (int i = 0; i < n; i++) {
                for (int g = 0; g < 3; g++) counts[i][g] += cs.get(i).get(g).longValue();
                faults[i] += fs.get(i).longValue();
            }
            ungradedVisits += ((Number) r.get("ungradedVisits")).longValue();
            for (List<Number> v : (List<List<Number>>) r.get("visits")) {
                long merchant = v.get(0).longValue();
                LocalDate date = LocalDate.ofEpochDay(v.get(1).longValue());
                boolean problem = v.get(2).intValue() == 1;
                for (int i = 0; i < n; i++) {
                    visits.get(i).add(new BacktestMetrics.Visit(merchant, date, problem, GRADES[v.get(3 + 2 * i).intValue()],
                            v.get(4 + 2 * i).intValue()));
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("asOf", p.asOf().toString());
        result.put("horizonDays", p.horizonDays());
        result.put("horizonEnd", p.horizonEnd().minusDays(1).toString());
        if (p.street() != null) result.put("street", p.street());
        if (p.category() != null) result.put("category", p.category());
        result.put("visitsOfUngradedMerchants", ungradedVisits);
        List<Map<String, Object>> versions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", p.versions().get(i));
            v.put("merchants", counts[i][0] + counts[i][1] + counts[i][2]);
            v.put("faults", faults[i]);
            v.putAll(BacktestMetrics.toMap(BacktestMetrics.compute(visits.get(i), counts[i])));
            versions.add(v);
        }
        result.put("versions", versions);
        Map<String, Object> first = versions.get(0);
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(RuleSetService.KIND, job.createdBy, RuleAudit.Action.SIMULATE,
                p.versions().get(0), n > 1 ? p.versions().get(1) : null, RuleAudit.Outcome.OK, null,
                "回测完成（任务 #" + job.id + "）：评级日期 " + p.asOf() + "，其后 " + p.horizonDays() + " 天内 " + first.get("visits")
                        + " 次检查，发现问题 " + first.get("problemVisits") + " 次",
                Map.of("jobId", job.id, "backtest", true)));
        return result;
    }
}
