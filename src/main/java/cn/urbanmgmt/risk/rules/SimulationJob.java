package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.GradeQueryService;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.grading.model.Reason;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobHandler;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Street;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a candidate rule set would do, without changing anything: each chunk grades its merchants
 * with the baseline (the active version, or the stored grades) and with the candidate, and keeps
 * counts (a 3x3 transition matrix, before/after per street and category), the ids of the first
 * merchants of each changed cell, and rule faults. {@link #finish} merges the chunks and grades the
 * sample merchants again to show their new reasons. Closed merchants are left out, as in the
 * distribution. A stored grade made by the baseline version for the same evaluation date is used
 * as is (the daily regrade makes that the common case), which halves the work at district scale.
 */
@ApplicationScoped
public class SimulationJob implements JobHandler {

    public static final String TYPE = "SIMULATION";
    /** Merchants shown per changed cell of the matrix. */
    public static final int SAMPLES = 20;
    private static final int FAULT_SAMPLES = 5;
    private static final Grade[] GRADES = Grade.values();

    @Inject
    GradingService grading;

    @Inject
    RuleSetService ruleSets;

    @Inject
    JobService jobs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReferenceData refs;

    @Override
    public String type() {
        return TYPE;
    }

    /** Parameters as stored with the job. {@code baseline} null means the stored grades. */
    record Params(String candidate, String baseline, LocalDate date, String street, MerchantCategory category) {
        static Params of(Job job) {
            Map<String, Object> p = job.params;
            String category = (String) p.get("category");
            return new Params((String) p.get("candidate"), (String) p.get("baseline"), LocalDate.parse((String) p.get("evaluationDate")),
                    (String) p.get("street"), category == null ? null : MerchantCategory.valueOf(category));
        }

        boolean includes(MerchantFact m) {
            if (m.getStatus() == MerchantStatus.CLOSED) return false;
            if (street != null && !street.equals(m.getStreet())) return false;
            return category == null || category == m.getCategory();
        }
    }

    /** Facts as far back as either version looks (each applies its own look-back when it evaluates). */
    private static int lookBack(CompiledRules candidate, CompiledRules baseline) {
        return Math.max(candidate.lookBackDays(), baseline == null ? 0 : baseline.lookBackDays());
    }

    @Override
    public void processChunk(Job job, long fromId, long toId, ChunkCompletion complete) {
        Params p = Params.of(job);
        CompiledRules candidate = ruleSets.lease(p.candidate());
        CompiledRules baseline = p.baseline() == null ? null : ruleSets.lease(p.baseline());
        try {
            Map<Long, StoredGrade> stored = storedGrades(fromId, toId);
            ChunkStats stats = new ChunkStats();
            int[] read = {0};
            grading.readRange(fromId, toId, p.date(), lookBack(candidate, baseline), facts -> {
                read[0]++;
                if (!p.includes(facts.merchant())) return;
                StoredGrade s = stored.get(facts.merchant().getId());
                Grade before;
                if (baseline == null) {
                    if (s == null) {
                        stats.ungraded++;
                        return;
                    }
                    before = s.grade();
                } else if (s != null && s.version().equals(p.baseline()) && s.date().equals(p.date())) {
                    // Graded by the baseline version for this very date: evaluating again would give the same grade.
                    before = s.grade();
                    stats.baselineStored++;
                } else {
                    before = evaluate(baseline, facts, stats, true);
                    if (before == null) return;
                }
                Grade after = evaluate(candidate, facts, stats, false);
                if (after != null) stats.add(facts.merchant(), before, after);
            });
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                complete.complete(c, read[0], stats.toMap());
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException("simulation chunk could not be completed: " + e.getMessage(), e);
            }
        } finally {
            candidate.release();
            if (baseline != null) baseline.release();
        }
    }

    private static Grade evaluate(CompiledRules rules, MerchantFacts facts, ChunkStats stats, boolean baseline) {
        try {
            return rules.evaluate(facts).getGrade();
        } catch (RuleFaultException e) {
            stats.fault(baseline, e.rule(), e.kind().name(), e.getMessage(), facts.merchant().getId());
        } catch (RuntimeException e) {
            stats.fault(baseline, null, "RUNTIME", "评级出错：" + e, facts.merchant().getId());
        }
        return null;
    }

    record StoredGrade(Grade grade, String version, LocalDate date) {
    }

    private Map<Long, StoredGrade> storedGrades(long fromId, long toId) {
        Map<Long, StoredGrade> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select merchant_id, grade, rule_set_version, evaluation_date from merchant_grade where merchant_id between ? and ?")) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new StoredGrade(Grade.valueOf(rs.getString(2)), rs.getString(3), rs.getObject(4, LocalDate.class)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** One chunk's counts. Kept small: ids only for samples, reasons are read again in finish. */
    static final class ChunkStats {
        final long[][] matrix = new long[3][3];
        /** street or category -> before[3], after[3], changed */
        final Map<String, long[]> byStreet = new TreeMap<>();
        final Map<String, long[]> byCategory = new TreeMap<>();
        final Map<String, List<Long>> samples = new TreeMap<>();
        final Map<String, Map<String, Object>> faults = new LinkedHashMap<>();
        long ungraded;
        long baselineStored;

        void add(MerchantFact m, Grade before, Grade after) {
            matrix[before.ordinal()][after.ordinal()]++;
            group(byStreet, m.getStreet(), before, after);
            group(byCategory, m.getCategory().name(), before, after);
            if (before != after) {
                List<Long> ids = samples.computeIfAbsent(before + ">" + after, k -> new ArrayList<>());
                if (ids.size() < SAMPLES) ids.add(m.getId());
            }
        }

        private static void group(Map<String, long[]> map, String key, Grade before, Grade after) {
            long[] v = map.computeIfAbsent(key, k -> new long[7]);
            v[before.ordinal()]++;
            v[3 + after.ordinal()]++;
            if (before != after) v[6]++;
        }

        @SuppressWarnings("unchecked")
        void fault(boolean baseline, String rule, String kind, String message, long merchantId) {
            String key = (baseline ? "baseline" : "candidate") + "|" + kind + "|" + rule;
            Map<String, Object> f = faults.computeIfAbsent(key, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("side", baseline ? "BASELINE" : "CANDIDATE");
                m.put("kind", kind);
                m.put("rule", rule);
                m.put("message", message);
                m.put("count", 0L);
                m.put("merchantIds", new ArrayList<Long>());
                return m;
            });
            f.put("count", ((Number) f.get("count")).longValue() + 1);
            List<Long> ids = (List<Long>) f.get("merchantIds");
            if (ids.size() < FAULT_SAMPLES) ids.add(merchantId);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Long> flat = new ArrayList<>(9);
            for (long[] row : matrix) for (long v : row) flat.add(v);
            m.put("matrix", flat);
            m.put("byStreet", byStreet);
            m.put("byCategory", byCategory);
            m.put("samples", samples);
            m.put("faults", new ArrayList<>(faults.values()));
            m.put("ungraded", ungraded);
            m.put("baselineStored", baselineStored);
            return m;
        }
    }

    /** A merchant whose grade would change, with its new reasons. */
    public record Sample(long merchantId, String uscc, String name, String street, String category, Grade before, Integer scoreBefore,
                         Grade after, int scoreAfter, List<Reason> reasons) {
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> finish(Job job) {
        Params p = Params.of(job);
        long[][] matrix = new long[3][3];
        Map<String, long[]> byStreet = new TreeMap<>();
        Map<String, long[]> byCategory = new TreeMap<>();
        Map<String, List<Long>> sampleIds = new TreeMap<>();
        Map<String, Map<String, Object>> faults = new LinkedHashMap<>();
        long ungraded = 0;
        long baselineStored = 0;
        for (Map<String, Object> r : jobs.chunkResults(job.id)) {
            List<Number> flat = (List<Number>) r.get("matrix");
            for (int i = 0; i < 9; i++) matrix[i / 3][i % 3] += flat.get(i).longValue();
            merge(byStreet, (Map<String, List<Number>>) r.get("byStreet"));
            merge(byCategory, (Map<String, List<Number>>) r.get("byCategory"));
            ((Map<String, List<Number>>) r.get("samples")).forEach((cell, ids) -> {
                List<Long> all = sampleIds.computeIfAbsent(cell, k -> new ArrayList<>());
                for (Number id : ids) if (all.size() < SAMPLES) all.add(id.longValue());
            });
            for (Map<String, Object> f : (List<Map<String, Object>>) r.get("faults")) {
                String key = f.get("side") + "|" + f.get("kind") + "|" + f.get("rule");
                Map<String, Object> merged = faults.get(key);
                if (merged == null) {
                    faults.put(key, new LinkedHashMap<>(f));
                    continue;
                }
                merged.put("count", ((Number) merged.get("count")).longValue() + ((Number) f.get("count")).longValue());
                List<Object> ids = new ArrayList<>((List<Object>) merged.get("merchantIds"));
                for (Object id : (List<Object>) f.get("merchantIds")) if (ids.size() < FAULT_SAMPLES) ids.add(id);
                merged.put("merchantIds", ids);
            }
            ungraded += ((Number) r.getOrDefault("ungraded", 0)).longValue();
            baselineStored += ((Number) r.getOrDefault("baselineStored", 0)).longValue();
        }

        Map<Grade, Long> before = new EnumMap<>(Grade.class);
        Map<Grade, Long> after = new EnumMap<>(Grade.class);
        Map<String, Map<String, Long>> transitions = new LinkedHashMap<>();
        long changed = 0;
        for (Grade from : GRADES) {
            Map<String, Long> row = new LinkedHashMap<>();
            for (Grade to : GRADES) {
                long n = matrix[from.ordinal()][to.ordinal()];
                row.put(to.name(), n);
                before.merge(from, n, Long::sum);
                after.merge(to, n, Long::sum);
                if (from != to) changed += n;
            }
            transitions.put(from.name(), row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("candidate", p.candidate());
        result.put("baseline", p.baseline() == null ? "STORED" : p.baseline());
        result.put("evaluationDate", p.date().toString());
        if (p.street() != null) result.put("street", p.street());
        if (p.category() != null) result.put("category", p.category().name());
        result.put("merchants", before.values().stream().mapToLong(Long::longValue).sum());
        result.put("changed", changed);
        result.put("matrix", transitions);
        result.put("before", GradeQueryService.counts(before));
        result.put("after", GradeQueryService.counts(after));
        List<Map<String, Object>> streets = new ArrayList<>();
        for (Street s : refs.streets()) {
            if (byStreet.containsKey(s.code)) streets.add(group(s.code, s.name, byStreet.get(s.code)));
        }
        result.put("byStreet", streets);
        List<Map<String, Object>> categories = new ArrayList<>();
        for (MerchantCategory c : MerchantCategory.values()) {
            if (byCategory.containsKey(c.name())) categories.add(group(c.name(), c.label(), byCategory.get(c.name())));
        }
        result.put("byCategory", categories);
        result.put("samples", samples(p, sampleIds));
        result.put("faults", new ArrayList<>(faults.values()));
        if (p.baseline() == null) result.put("ungraded", ungraded);
        // How many baseline grades were taken from stored grades made by the same version for the same date.
        else result.put("baselineFromStoredGrades", baselineStored);
        long faultCount = faults.values().stream().mapToLong(f -> ((Number) f.get("count")).longValue()).sum();
        long changedCount = changed;
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(RuleSetService.KIND, job.createdBy, RuleAudit.Action.SIMULATE, p.candidate(), p.baseline(),
                faultCount == 0 ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED, null,
                "模拟完成（任务 #" + job.id + "）：" + result.get("merchants") + " 个商户中 " + changedCount + " 个等级将变化"
                        + (faultCount == 0 ? "" : "，" + faultCount + " 个商户评级出错"),
                Map.of("jobId", job.id, "changed", changedCount, "faults", faultCount)));
        return result;
    }

    private static void merge(Map<String, long[]> into, Map<String, List<Number>> chunk) {
        chunk.forEach((key, values) -> {
            long[] v = into.computeIfAbsent(key, k -> new long[7]);
            for (int i = 0; i < 7; i++) v[i] += values.get(i).longValue();
        });
    }

    private static Map<String, Object> group(String key, String name, long[] v) {
        Map<Grade, Long> b = new EnumMap<>(Grade.class);
        Map<Grade, Long> a = new EnumMap<>(Grade.class);
        for (Grade g : GRADES) {
            b.put(g, v[g.ordinal()]);
            a.put(g, v[3 + g.ordinal()]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("name", name);
        m.put("changed", v[6]);
        m.put("before", GradeQueryService.counts(b));
        m.put("after", GradeQueryService.counts(a));
        return m;
    }

    /** Grades the sample merchants again (candidate, and baseline when it is a version) to show their new reasons. */
    private List<Map<String, Object>> samples(Params p, Map<String, List<Long>> sampleIds) {
        List<Long> ids = sampleIds.values().stream().flatMap(List::stream).toList();
        Map<Long, Sample> byId = new HashMap<>();
        if (!ids.isEmpty()) {
            CompiledRules candidate = ruleSets.lease(p.candidate());
            CompiledRules baseline = p.baseline() == null ? null : ruleSets.lease(p.baseline());
            Map<Long, Integer> storedScores = p.baseline() == null ? storedScores(ids) : Map.of();
            try {
                grading.readIds(ids, p.date(), lookBack(candidate, baseline), facts -> {
                    MerchantFact m = facts.merchant();
                    try {
                        Assessment a = candidate.evaluate(facts);
                        Assessment b = baseline == null ? null : baseline.evaluate(facts);
                        byId.put(m.getId(), new Sample(m.getId(), m.getUscc(), m.getName(), m.getStreet(), m.getCategory().name(),
                                b == null ? null : b.getGrade(), b == null ? storedScores.get(m.getId()) : Integer.valueOf(b.getScore()),
                                a.getGrade(), a.getScore(), a.getReasons()));
                    } catch (RuntimeException e) {
                        // A merchant that failed here failed in its chunk too and is listed under faults.
                    }
                });
            } finally {
                candidate.release();
                if (baseline != null) baseline.release();
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Grade from : GRADES) {
            for (Grade to : GRADES) {
                List<Long> cell = sampleIds.get(from + ">" + to);
                if (cell == null || cell.isEmpty()) continue;
                List<Sample> merchants = new ArrayList<>();
                for (Long id : cell) {
                    Sample s = byId.get(id);
                    if (s == null) continue;
                    merchants.add(s.before() == null ? new Sample(s.merchantId(), s.uscc(), s.name(), s.street(), s.category(), from,
                            s.scoreBefore(), s.after(), s.scoreAfter(), s.reasons()) : s);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("from", from.name());
                m.put("to", to.name());
                m.put("merchants", merchants);
                out.add(m);
            }
        }
        return out;
    }

    private Map<Long, Integer> storedScores(List<Long> ids) {
        Map<Long, Integer> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select merchant_id, score from merchant_grade where merchant_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
