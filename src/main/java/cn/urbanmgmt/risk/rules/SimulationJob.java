package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.GradeQueryService;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.grading.model.Reason;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Street;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.agroal.api.AgroalDataSource;
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
public class SimulationJob extends RuleSimulationJob<CompiledRules, SimulationJob.Params, SimulationJob.Counts> {

    public static final String TYPE = "SIMULATION";
    /** Merchants shown per changed cell of the matrix. */
    public static final int SAMPLES = SimulationTally.SAMPLES;
    private static final Grade[] GRADES = Grade.values();

    @Inject
    GradingService grading;

    @Inject
    RuleSetService ruleSets;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReferenceData refs;

    public SimulationJob() {
        super(TYPE);
    }

    @Override
    protected RuleSetRuntime<CompiledRules> runtime() {
        return ruleSets;
    }

    /** Parameters as stored with the job. {@code baseline} null means the stored grades. */
    record Params(String candidate, String baseline, LocalDate date, String street, MerchantCategory category) implements RuleSimulationJob.Params {
        boolean includes(MerchantFact m) {
            if (m.getStatus() == MerchantStatus.CLOSED) return false;
            if (street != null && !street.equals(m.getStreet())) return false;
            return category == null || category == m.getCategory();
        }
    }

    @Override
    protected Params params(Job job) {
        Map<String, Object> p = job.params;
        String category = (String) p.get("category");
        return new Params((String) p.get("candidate"), (String) p.get("baseline"), LocalDate.parse((String) p.get("evaluationDate")),
                (String) p.get("street"), category == null ? null : MerchantCategory.valueOf(category));
    }

    /** Facts as far back as either version looks (each applies its own look-back when it evaluates). */
    private static int lookBack(CompiledRules candidate, CompiledRules baseline) {
        return Math.max(candidate.lookBackDays(), baseline == null ? 0 : baseline.lookBackDays());
    }

    @Override
    protected Counts emptyChunk() {
        return new Counts();
    }

    @Override
    protected void processChunk(Params p, CompiledRules candidate, CompiledRules baseline, long fromId, long toId, ChunkCompletion complete) {
        Map<Long, StoredGrade> stored = storedGrades(fromId, toId);
        Counts stats = new Counts();
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
            complete.complete(c, read[0], chunkResult(stats));
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("simulation chunk could not be completed: " + e.getMessage(), e);
        }
    }

    private static Grade evaluate(CompiledRules rules, MerchantFacts facts, Counts stats, boolean baseline) {
        String side = baseline ? "BASELINE" : "CANDIDATE";
        try {
            return rules.evaluate(facts).getGrade();
        } catch (RuleFaultException e) {
            stats.faults.add(side, e.kind().name(), e.rule(), e.getMessage(), facts.merchant().getId());
        } catch (RuntimeException e) {
            stats.faults.add(side, "RUNTIME", null, "评级出错：" + e, facts.merchant().getId());
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

    /**
     * One chunk's counts (and, merged, all chunks'), stored as the chunk's JSON result: the 3x3
     * matrix, per street and category before[3], after[3] and changed, the first merchant ids of each
     * changed cell ("GREEN>YELLOW"), faults. Kept small: reasons are read again in finish.
     */
    public static final class Counts implements RuleSimulationJob.Chunk<Counts> {
        public long[][] matrix = new long[3][3];
        public Map<String, long[]> byStreet = new TreeMap<>();
        public Map<String, long[]> byCategory = new TreeMap<>();
        public SimulationTally.Samples samples = new SimulationTally.Samples();
        public SimulationTally.Faults faults = new SimulationTally.Faults();
        public long ungraded;
        public long baselineStored;

        void add(MerchantFact m, Grade before, Grade after) {
            matrix[before.ordinal()][after.ordinal()]++;
            group(byStreet, m.getStreet(), before, after);
            group(byCategory, m.getCategory().name(), before, after);
            if (before != after) samples.add(before + ">" + after, m.getId());
        }

        private static void group(Map<String, long[]> map, String key, Grade before, Grade after) {
            long[] v = map.computeIfAbsent(key, k -> new long[7]);
            v[before.ordinal()]++;
            v[3 + after.ordinal()]++;
            if (before != after) v[6]++;
        }

        @Override
        public void merge(Counts other) {
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) matrix[i][j] += other.matrix[i][j];
            merge(byStreet, other.byStreet);
            merge(byCategory, other.byCategory);
            samples.merge(other.samples);
            faults.merge(other.faults);
            ungraded += other.ungraded;
            baselineStored += other.baselineStored;
        }

        private static void merge(Map<String, long[]> into, Map<String, long[]> chunk) {
            chunk.forEach((key, values) -> {
                long[] v = into.computeIfAbsent(key, k -> new long[7]);
                for (int i = 0; i < 7; i++) v[i] += values[i];
            });
        }
    }

    /** The simulation's result, as GET /api/v1/jobs/{id} shows it (the console reads it as {@code web.RuleSimulationView}). */
    public record Result(String candidate, String baseline, String evaluationDate,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String street, @JsonInclude(JsonInclude.Include.NON_NULL) String category,
                         long merchants, long changed, Map<Grade, Map<Grade, Long>> matrix, GradeQueryService.GradeCounts before,
                         GradeQueryService.GradeCounts after, List<Group> byStreet, List<Group> byCategory, List<Cell> samples,
                         List<SimulationFault> faults, @JsonInclude(JsonInclude.Include.NON_NULL) Long ungraded,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Long baselineFromStoredGrades) {
    }

    /** A street or category: merchants changed, counts before and after. */
    public record Group(String key, String name, long changed, GradeQueryService.GradeCounts before, GradeQueryService.GradeCounts after) {
        static Group of(String key, String name, long[] v) {
            Map<Grade, Long> b = new EnumMap<>(Grade.class);
            Map<Grade, Long> a = new EnumMap<>(Grade.class);
            for (Grade g : GRADES) {
                b.put(g, v[g.ordinal()]);
                a.put(g, v[3 + g.ordinal()]);
            }
            return new Group(key, name, v[6], GradeQueryService.counts(b), GradeQueryService.counts(a));
        }
    }

    /** A changed cell of the matrix with its sample merchants. */
    public record Cell(Grade from, Grade to, List<Sample> merchants) {
    }

    /** A merchant whose grade would change, with its new reasons. */
    public record Sample(long merchantId, String uscc, String name, String street, String category, Grade before, Integer scoreBefore,
                         Grade after, int scoreAfter, List<Reason> reasons) {
    }

    @Override
    protected Finished finish(Job job, Params p, Counts all) {
        Map<Grade, Long> before = new EnumMap<>(Grade.class);
        Map<Grade, Long> after = new EnumMap<>(Grade.class);
        Map<Grade, Map<Grade, Long>> transitions = new EnumMap<>(Grade.class);
        long changed = 0;
        for (Grade from : GRADES) {
            Map<Grade, Long> row = new EnumMap<>(Grade.class);
            for (Grade to : GRADES) {
                long n = all.matrix[from.ordinal()][to.ordinal()];
                row.put(to, n);
                before.merge(from, n, Long::sum);
                after.merge(to, n, Long::sum);
                if (from != to) changed += n;
            }
            transitions.put(from, row);
        }
        List<Group> streets = new ArrayList<>();
        for (Street s : refs.streets()) {
            if (all.byStreet.containsKey(s.code)) streets.add(Group.of(s.code, s.name, all.byStreet.get(s.code)));
        }
        List<Group> categories = new ArrayList<>();
        for (MerchantCategory c : MerchantCategory.values()) {
            if (all.byCategory.containsKey(c.name())) categories.add(Group.of(c.name(), c.label(), all.byCategory.get(c.name())));
        }
        long merchants = before.values().stream().mapToLong(Long::longValue).sum();
        Result result = new Result(p.candidate(), p.baseline() == null ? "STORED" : p.baseline(), p.date().toString(), p.street(),
                p.category() == null ? null : p.category().name(), merchants, changed, transitions, GradeQueryService.counts(before),
                GradeQueryService.counts(after), streets, categories, samples(p, all.samples), all.faults.list(),
                p.baseline() == null ? Long.valueOf(all.ungraded) : null,
                // How many baseline grades were taken from stored grades made by the same version for the same date.
                p.baseline() == null ? null : Long.valueOf(all.baselineStored));
        long faultCount = all.faults.count();
        return new Finished(result, faultCount == 0, merchants + " 个商户中 " + changed + " 个等级将变化"
                + (faultCount == 0 ? "" : "，" + faultCount + " 个商户评级出错"), Map.of("changed", changed, "faults", faultCount));
    }

    /** Grades the sample merchants again (candidate, and baseline when it is a version) to show their new reasons. */
    private List<Cell> samples(Params p, SimulationTally.Samples sampleIds) {
        List<Long> ids = sampleIds.all();
        Map<Long, Sample> byId = new HashMap<>();
        if (!ids.isEmpty()) {
            Map<Long, Integer> storedScores = p.baseline() == null ? storedScores(ids) : Map.of();
            withRules(p, (candidate, baseline) -> {
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
                return null;
            });
        }
        List<Cell> out = new ArrayList<>();
        for (Grade from : GRADES) {
            for (Grade to : GRADES) {
                List<Long> cell = sampleIds.get(from + ">" + to);
                if (cell.isEmpty()) continue;
                List<Sample> merchants = new ArrayList<>();
                for (Long id : cell) {
                    Sample s = byId.get(id);
                    if (s == null) continue;
                    merchants.add(s.before() == null ? new Sample(s.merchantId(), s.uscc(), s.name(), s.street(), s.category(), from,
                            s.scoreBefore(), s.after(), s.scoreAfter(), s.reasons()) : s);
                }
                out.add(new Cell(from, to, merchants));
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
