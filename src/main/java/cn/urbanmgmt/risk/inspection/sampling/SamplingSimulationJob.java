package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.plans.CandidateReader;
import cn.urbanmgmt.risk.inspection.plans.PlanSpec;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.rules.RuleSimulationJob;
import cn.urbanmgmt.risk.rules.SimulationFault;
import cn.urbanmgmt.risk.rules.SimulationTally;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a candidate sampling rule set would do to plans, compared with the active version, without
 * drawing or storing anything: for the plan's items, scope and date, each chunk of the registry is
 * read as plan creation reads it ({@link CandidateReader}), every candidate is decided by both
 * versions, and the counts per decision are kept. {@link #finish} merges the chunks into, per item
 * and stratum, the candidates, proportion and draw size before and after, the decisions that change
 * (with up to {@link #SAMPLES} merchants each, evaluated again to show the rules that fired), stratum
 * conflicts that would refuse a plan, and rule faults.
 */
@ApplicationScoped
public class SamplingSimulationJob extends RuleSimulationJob<SamplingRules, SamplingSimulationJob.Params, SamplingSimulationJob.Counts> {

    public static final String TYPE = "SAMPLING_SIMULATION";
    /** Merchants shown per changed decision. */
    public static final int SAMPLES = SimulationTally.SAMPLES;
    /** Changed decisions listed (the most frequent first). */
    static final int MAX_CHANGES = 50;
    private static final String SEP = "\t";

    @Inject
    SamplingEngine engine;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PlanService plans;

    public SamplingSimulationJob() {
        super(TYPE);
    }

    @Override
    protected RuleSetRuntime<SamplingRules> runtime() {
        return engine;
    }

    /** Parameters as stored with the job; {@code baseline} null when no version was active. */
    record Params(String candidate, String baseline, LocalDate date, PlanSpec spec) implements RuleSimulationJob.Params {
    }

    @Override
    protected Params params(Job job) {
        Map<String, Object> p = job.params;
        return new Params((String) p.get("candidate"), (String) p.get("baseline"), LocalDate.parse((String) p.get("evaluationDate")),
                json.convertValue(p.get("plan"), PlanSpec.class));
    }

    /** The plan as job parameters (the items as they were when the simulation started). */
    Map<String, Object> planParam(PlanSpec spec) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = json.convertValue(spec, Map.class);
        return m;
    }

    /**
     * A decision as a key: outcome, stratum (or exclusion reason), basis points, weekly. Stratum names
     * and reasons contain no control characters (SamplingCandidate refuses them), so a tab separates.
     */
    record Key(String outcome, String name, int basisPoints, boolean weekly) {
        static Key of(SamplingCandidate evaluated) {
            SamplingCandidate.Decision d = evaluated.resolve();
            SamplingScenario.Outcome o = SamplingScenario.Outcome.of(evaluated);
            return new Key(o.name(), d.excluded() ? d.excludedBecause() : d.stratum(), d.basisPoints(), d.weekly());
        }

        static Key parse(String s) {
            String[] p = s.split(SEP, -1);
            return new Key(p[0], p[1], Integer.parseInt(p[2]), Boolean.parseBoolean(p[3]));
        }

        String encode() {
            return outcome + SEP + name + SEP + basisPoints + SEP + weekly;
        }

        String text() {
            return switch (SamplingScenario.Outcome.valueOf(outcome)) {
                case EXCLUDED -> "排除（" + name + "）";
                case MUST_INCLUDE -> "必查：" + name;
                case SAMPLED -> (weekly ? "每周抽取 " : "抽取 ") + CandidateList.percent(basisPoints) + "%：" + name;
            };
        }
    }

    // ---- chunks ---------------------------------------------------------------------------------

    @Override
    protected Counts emptyChunk() {
        return new Counts();
    }

    @Override
    protected void processChunk(Params p, SamplingRules candidate, SamplingRules baseline, long fromId, long toId, ChunkCompletion complete) {
        try (Connection c = dataSource.getConnection()) {
            Counts stats = new Counts();
            c.setAutoCommit(false); // a cursor: the chunk's rows stream
            try {
                CandidateReader.read(c, p.spec(), p.date(), fromId, toId, batch -> {
                    stats.merchants += batch.toRow() - batch.fromRow();
                    List<SamplingCandidate> after = batch.facts();
                    List<SamplingCandidate> before = baseline == null ? null : new ArrayList<>(after.stream().map(SamplingCandidate::copy).toList());
                    boolean[] afterFailed = evaluate(candidate, after, stats, "CANDIDATE");
                    boolean[] beforeFailed = before == null ? null : evaluate(baseline, before, stats, "BASELINE");
                    for (int i = 0; i < after.size(); i++) {
                        if (afterFailed[i] || (beforeFailed != null && beforeFailed[i])) continue;
                        stats.add(after.get(i).getItemCode(), before == null ? null : Key.of(before.get(i)), Key.of(after.get(i)),
                                after.get(i).getMerchantId());
                    }
                });
            } finally {
                c.rollback();
            }
            int inRange = merchantsBetween(c, fromId, toId);
            complete.complete(c, inRange, chunkResult(stats));
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("sampling simulation chunk failed: " + e.getMessage(), e);
        }
    }

    /** Runs the rules over a batch; when a rule fails, again one by one to name it. Returns which facts failed. */
    private static boolean[] evaluate(SamplingRules rules, List<SamplingCandidate> facts, Counts stats, String side) {
        boolean[] failed = new boolean[facts.size()];
        try {
            rules.evaluateBatch(facts);
            for (SamplingCandidate f : facts) f.resolve();
            return failed;
        } catch (RuntimeException batchFailed) {
            for (int i = 0; i < facts.size(); i++) {
                SamplingCandidate fresh = facts.get(i).copy();
                try {
                    rules.evaluateTraced(fresh);
                    fresh.resolve();
                    facts.set(i, fresh);
                } catch (RuleFaultException e) {
                    failed[i] = true;
                    stats.faults.add(side, null, e.rule(), e.getMessage(), fresh.getMerchantId());
                } catch (IllegalArgumentException e) {
                    failed[i] = true;
                    stats.faults.add(side, null, null, "抽查规则给出的决定无效：" + e.getMessage(), fresh.getMerchantId());
                }
            }
            return failed;
        }
    }

    private static int merchantsBetween(Connection c, long fromId, long toId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from merchant where id between ? and ?")) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * One chunk's counts (and, merged, all chunks'), stored as the chunk's JSON result: per item, decision
     * keys ({@link Key#encode}) to counts on each side, the changed decisions ("item \t before \n after",
     * before "" when no version was active) with their first merchant ids, and faults.
     */
    public static final class Counts implements RuleSimulationJob.Chunk<Counts> {
        public long merchants;
        public long candidates;
        public Map<String, Map<String, Long>> before = new TreeMap<>();
        public Map<String, Map<String, Long>> after = new TreeMap<>();
        public Map<String, Long> changes = new TreeMap<>();
        public SimulationTally.Samples samples = new SimulationTally.Samples();
        public SimulationTally.Faults faults = new SimulationTally.Faults();

        void add(String item, Key b, Key a, long merchantId) {
            candidates++;
            String bk = b == null ? "" : b.encode();
            String ak = a.encode();
            before.computeIfAbsent(item, k -> new TreeMap<>()).merge(bk, 1L, Long::sum);
            after.computeIfAbsent(item, k -> new TreeMap<>()).merge(ak, 1L, Long::sum);
            if (!bk.equals(ak)) {
                String change = item + SEP + bk + "\n" + ak;
                changes.merge(change, 1L, Long::sum);
                samples.add(change, merchantId);
            }
        }

        @Override
        public void merge(Counts other) {
            merchants += other.merchants;
            candidates += other.candidates;
            mergeCounts(before, other.before);
            mergeCounts(after, other.after);
            other.changes.forEach((k, v) -> changes.merge(k, v, Long::sum));
            samples.merge(other.samples);
            faults.merge(other.faults);
        }

        private static void mergeCounts(Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> chunk) {
            chunk.forEach((item, counts) -> {
                Map<String, Long> m = into.computeIfAbsent(item, k -> new TreeMap<>());
                counts.forEach((k, v) -> m.merge(k, v, Long::sum));
            });
        }
    }

    // ---- the result ---------------------------------------------------------------------------------

    /** The simulation's result, as GET /api/v1/jobs/{id} shows it and the console's page reads it. */
    public record Result(String candidate, String baseline, String evaluationDate, String periodStart, String periodEnd, int weeks,
                         List<ItemRef> items, long merchants, long candidates, long changed, List<ItemCounts> byItem, List<Change> changes,
                         List<Conflict> conflicts, List<SimulationFault> faults, Capacity capacity) {
    }

    public record ItemRef(String code, String name, String samplingPolicy) {
    }

    /** One item: totals per side, and per stratum the candidates, proportion and draw size on each side. */
    public record ItemCounts(String item, long candidates, Totals before, Totals after, List<StratumRow> strata) {
    }

    public record Totals(long excluded, long mustInclude, long sampled, long drawn, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
    }

    /** A stratum (or, for exclusions, a reason) and its counts before and after. */
    public record StratumRow(String decision, @JsonInclude(JsonInclude.Include.NON_NULL) String stratum,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String reason, Side before, Side after) {
    }

    /** One side of a stratum: candidates, and for drawn strata the proportion and draw size (weekly: of each week, and drawTotal over the period). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Side(int candidates, String percent, Boolean weekly, Integer draw, Integer drawTotal) {
        static final Side NONE = new Side(0, null, null, null, null);

        Side plus(int more) {
            return new Side(candidates + more, percent, weekly, draw, drawTotal);
        }
    }

    /** Two proportions for one stratum on one side: a plan would be refused. */
    public record Conflict(String item, String side, String stratum, List<String> proportions, String message) {
    }

    /** A changed decision, with sample merchants evaluated again. */
    public record Change(String item, String from, String to, long count, List<ChangeSample> samples) {
    }

    /** A sample merchant, and what both versions decide for it now (with the candidate's fired rules). */
    public record ChangeSample(long merchantId, String uscc, String name, String street, String grade,
                               @JsonInclude(JsonInclude.Include.NON_NULL) SamplingDecision before,
                               @JsonInclude(JsonInclude.Include.NON_NULL) List<String> firedRules,
                               @JsonInclude(JsonInclude.Include.NON_NULL) SamplingDecision after) {
        ChangeSample decided(Decided d) {
            return d == null ? this : new ChangeSample(merchantId, uscc, name, street, grade, d.before(), d.firedRules(), d.after());
        }
    }

    record Decided(SamplingDecision before, List<String> firedRules, SamplingDecision after) {
    }

    /** Inspector capacity of the plan each version would give, per squad and week. */
    public record Capacity(int inspectorsPerVisit, String periodStart, String periodEnd, int weeks,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<String> notes, CapacitySide before, CapacitySide after,
                           List<CapacityRow> rows, List<String> comparison) {
    }

    public record CapacitySide(int visits, String inspectorVisits, boolean overCapacity, List<String> over) {
    }

    public record CapacityRow(String unit, String unitName, int week, String from, String to, int capacity, CapacityCell before, CapacityCell after) {
    }

    /** One side of a row: needed (inspector-visits), percent of capacity, over; zero when that side needs nobody there. */
    public record CapacityCell(String needed, int percent, boolean over) {
        static CapacityCell of(CapacityService.Cell c) {
            return new CapacityCell(c == null ? "0" : c.needed().stripTrailingZeros().toPlainString(), c == null ? 0 : c.percent(), c != null && c.over());
        }
    }

    @Override
    protected Finished finish(Job job, Params p, Counts all) {
        int weeks = p.spec().weeks();
        long changed = all.changes.values().stream().mapToLong(Long::longValue).sum();
        List<Conflict> conflicts = new ArrayList<>();
        List<ItemCounts> byItem = new ArrayList<>();
        long[] drawn = new long[2];
        for (PlanSpec.ItemSnapshot item : p.spec().items()) {
            ItemCounts m = item(item.code(), all.before.getOrDefault(item.code(), Map.of()), all.after.getOrDefault(item.code(), Map.of()),
                    p.baseline() != null, weeks, conflicts);
            drawn[0] += m.before().drawn();
            drawn[1] += m.after().drawn();
            byItem.add(m);
        }
        Result result = new Result(p.candidate(), p.baseline(), p.date().toString(), p.spec().periodStart().toString(), p.spec().periodEnd().toString(),
                weeks, p.spec().items().stream().map(i -> new ItemRef(i.code(), i.name(), i.samplingPolicy())).toList(), all.merchants, all.candidates,
                changed, byItem, changes(p, all), conflicts, all.faults.list(), capacity(p));
        long faultCount = all.faults.count();
        return new Finished(result, faultCount == 0 && conflicts.isEmpty(),
                all.candidates + " 个候选对象中 " + changed + " 个抽查决定将变化，抽取数 " + drawn[0] + " → " + drawn[1]
                        + (faultCount == 0 ? "" : "，" + faultCount + " 个对象规则执行出错") + (conflicts.isEmpty() ? "" : "，" + conflicts.size() + " 个分层比例冲突"),
                Map.of("changed", changed, "drawnBefore", drawn[0], "drawnAfter", drawn[1], "faults", faultCount));
    }

    /**
     * Inspector capacity per squad and week for the plan each version would give, side by side: both
     * drawn as a plan preview draws ({@link PlanService#capacityPreview}, {@link CapacityService}), with one
     * fresh seed for both so that the difference comes from the rules, not from chance.
     */
    Capacity capacity(Params p) {
        PlanSpec s = p.spec();
        byte[] seed = new byte[32];
        new java.security.SecureRandom().nextBytes(seed);
        PlanSpec drawn = new PlanSpec(s.name(), s.edition(), s.items(), s.scope(), s.periodStart(), s.periodEnd(),
                java.util.HexFormat.of().formatHex(seed), true, s.crossPoolSquads(), s.perVisit());
        List<String> notes = new ArrayList<>();
        PlanService.CapacityPreview before = p.baseline() == null ? null : capacityPreview(drawn, p.date(), p.baseline(), "生效版本", notes);
        PlanService.CapacityPreview after = capacityPreview(drawn, p.date(), p.candidate(), "候选版本", notes);
        CapacityService.Report b = before == null ? null : before.capacity();
        CapacityService.Report a = after == null ? null : after.capacity();
        List<CapacityRow> rows = new ArrayList<>();
        for (CapacityService.Row r : CapacityService.sideBySide(b, a)) {
            rows.add(new CapacityRow(r.unit(), r.unitName(), r.week(), r.from().toString(), r.to().toString(), r.capacity(),
                    b == null ? null : CapacityCell.of(r.before()), a == null ? null : CapacityCell.of(r.after())));
        }
        return new Capacity(s.perVisit(), s.periodStart().toString(), s.periodEnd().toString(), s.weeks(), notes.isEmpty() ? null : notes,
                side(before), side(after), rows, b == null || a == null ? List.of() : CapacityService.compare("候选版本", b, a));
    }

    private PlanService.CapacityPreview capacityPreview(PlanSpec spec, LocalDate date, String version, String side, List<String> notes) {
        SamplingRules rules = engine.lease(version);
        try {
            return plans.capacityPreview(spec, date, rules);
        } catch (RuntimeException e) {
            // No candidates, or the rules fail: there is no plan to staff; the faults and conflicts above say why.
            notes.add(side + "无法测算检查力量：" + (e instanceof ProblemException pe ? pe.problem().detail() : SamplingEngine.rootMessage(e)));
            return null;
        } finally {
            rules.release();
        }
    }

    private static CapacitySide side(PlanService.CapacityPreview preview) {
        if (preview == null) return null;
        return new CapacitySide(preview.visits(), preview.capacity().cells().stream().map(CapacityService.Cell::needed)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add).stripTrailingZeros().toPlainString(),
                preview.capacity().overCapacity(), preview.capacity().over());
    }

    /** A row of one item's table while it is built: the stratum (or reason) and each side's counts. */
    private static final class Row {
        final String decision;
        final String name;
        Side before;
        Side after;

        Row(String decision, String name) {
            this.decision = decision;
            this.name = name;
        }

        StratumRow toRecord() {
            boolean excluded = decision.equals("EXCLUDED");
            return new StratumRow(decision, excluded ? null : name, excluded ? name : null, before == null ? Side.NONE : before,
                    after == null ? Side.NONE : after);
        }
    }

    /** One item: totals per side, and per stratum (decision and name) the candidates, proportion and draw size on each side. */
    private static ItemCounts item(String code, Map<String, Long> before, Map<String, Long> after, boolean hasBaseline, int weeks,
                                   List<Conflict> conflicts) {
        // Rows by (outcome, name): must-include first, then drawn strata, then exclusions; by name within.
        Map<String, Row> rows = new TreeMap<>(Comparator.comparing((String k) -> order(k.split(SEP)[0])).thenComparing(k -> k));
        Totals totalsBefore = side(code, before, true, rows, weeks, conflicts);
        Totals totalsAfter = side(code, after, false, rows, weeks, conflicts);
        if (!hasBaseline) {
            totalsBefore = new Totals(totalsBefore.excluded(), totalsBefore.mustInclude(), totalsBefore.sampled(), totalsBefore.drawn(),
                    "模拟开始时没有生效的抽查规则");
        }
        return new ItemCounts(code, after.values().stream().mapToLong(Long::longValue).sum(), totalsBefore, totalsAfter,
                rows.values().stream().map(Row::toRecord).toList());
    }

    private static int order(String outcome) {
        return switch (outcome) {
            case "MUST_INCLUDE" -> 0;
            case "SAMPLED" -> 1;
            default -> 2;
        };
    }

    private static Totals side(String item, Map<String, Long> counts, boolean isBefore, Map<String, Row> rows, int weeks, List<Conflict> conflicts) {
        long excluded = 0, must = 0, sampled = 0, drawn = 0;
        Map<String, List<Key>> proportions = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getKey().isEmpty()) continue;
            Key k = Key.parse(e.getKey());
            int n = e.getValue().intValue();
            String rowKey = k.outcome() + SEP + k.name();
            proportions.computeIfAbsent(rowKey, x -> new ArrayList<>()).add(k);
            Row r = rows.computeIfAbsent(rowKey, x -> new Row(k.outcome(), k.name()));
            Side s;
            switch (k.outcome()) {
                case "EXCLUDED" -> {
                    excluded += n;
                    s = new Side(n, null, null, null, null);
                }
                case "MUST_INCLUDE" -> {
                    must += n;
                    drawn += n;
                    s = new Side(n, "100", null, n, null);
                }
                default -> {
                    sampled += n;
                    int perDraw = Draw.required(n, k.basisPoints());
                    int total = k.weekly() ? perDraw * weeks : perDraw;
                    drawn += total;
                    // Once per period: the draw; weekly: the draw of each week, and over the period.
                    s = new Side(n, CandidateList.percent(k.basisPoints()), k.weekly(), perDraw, k.weekly() ? total : null);
                }
            }
            // Two proportions for one stratum: a plan would be refused; shown together, and listed as a conflict.
            Side was = isBefore ? r.before : r.after;
            Side now = was == null ? s : was.plus(n);
            if (isBefore) r.before = now;
            else r.after = now;
        }
        proportions.forEach((row, keys) -> {
            if (keys.size() < 2) return;
            List<String> shown = keys.stream().map(k -> CandidateList.percent(k.basisPoints()) + "%" + (k.weekly() ? "（每周）" : "")).toList();
            conflicts.add(new Conflict(item, isBefore ? "BASELINE" : "CANDIDATE", keys.get(0).name(), shown,
                    "事项 " + item + " 的分层“" + keys.get(0).name() + "”有不同的抽查比例（" + String.join("、", shown) + "）：用这个版本生成计划会被拒绝"));
        });
        return new Totals(excluded, must, sampled, drawn, null);
    }

    /** The changed decisions, most frequent first, with sample merchants evaluated again by both versions. */
    private List<Change> changes(Params p, Counts all) {
        List<Map.Entry<String, Long>> top = all.changes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).limit(MAX_CHANGES).toList();
        Map<Long, ChangeSample> merchants = new HashMap<>();
        Map<String, Map<Long, Decided>> evaluated = new HashMap<>();
        List<Long> ids = top.stream().flatMap(e -> all.samples.get(e.getKey()).stream()).distinct().toList();
        if (!ids.isEmpty()) sampleDetails(p, ids, merchants, evaluated);
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : top) {
            String item = e.getKey().substring(0, e.getKey().indexOf(SEP));
            String[] keys = e.getKey().substring(item.length() + 1).split("\n", -1);
            List<ChangeSample> samples = new ArrayList<>();
            for (Long id : all.samples.get(e.getKey())) {
                ChangeSample s = merchants.getOrDefault(id, new ChangeSample(id, null, null, null, null, null, null, null));
                samples.add(s.decided(evaluated.getOrDefault(item, Map.of()).get(id)));
            }
            out.add(new Change(item, keys[0].isEmpty() ? "（无生效规则）" : Key.parse(keys[0]).text(), Key.parse(keys[1]).text(), e.getValue(), samples));
        }
        return out;
    }

    /** Who the sample merchants are, and what both versions decide for them now, with the candidate's fired rules. */
    private void sampleDetails(Params p, List<Long> ids, Map<Long, ChangeSample> merchants, Map<String, Map<Long, Decided>> evaluated) {
        withRules(p, (candidate, baseline) -> {
            sampleDetails(p, ids, merchants, evaluated, candidate, baseline);
            return null;
        });
    }

    private void sampleDetails(Params p, List<Long> ids, Map<Long, ChangeSample> merchants, Map<String, Map<Long, Decided>> evaluated,
                               SamplingRules candidate, SamplingRules baseline) {
        List<String> usccs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select m.id, m.uscc, m.name, m.street_code, g.grade from merchant m "
                     + "left join merchant_grade g on g.merchant_id = m.id where m.id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    merchants.put(rs.getLong(1), new ChangeSample(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            null, null, null));
                    usccs.add(rs.getString(2));
                }
            }
            PlanSpec s = p.spec();
            PlanSpec only = new PlanSpec(s.name(), s.edition(), s.items(), new PlanSpec.ScopeSpec(s.scope().streets(), s.scope().categories(),
                    s.scope().keyUnitsOnly(), usccs), s.periodStart(), s.periodEnd(), s.seedHex(), s.seedGenerated(), s.crossPoolSquads(), s.perVisit());
            c.setAutoCommit(false);
            try {
                CandidateReader.read(c, only, p.date(), batch -> {
                    for (SamplingCandidate f : batch.facts()) {
                        Decided d;
                        try {
                            SamplingDecision before = null;
                            if (baseline != null) {
                                SamplingCandidate b = f.copy();
                                baseline.evaluateTraced(b);
                                before = SamplingDecision.of(b);
                            }
                            SamplingCandidate a = f.copy();
                            List<String> fired = candidate.evaluateTraced(a);
                            d = new Decided(before, fired, SamplingDecision.of(a));
                        } catch (RuntimeException e) {
                            // A merchant that fails here failed in its chunk too and is listed under faults.
                            continue;
                        }
                        evaluated.computeIfAbsent(f.getItemCode(), k -> new HashMap<>()).put(f.getMerchantId(), d);
                    }
                });
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the simulation samples failed: " + e.getMessage(), e);
        }
    }
}
