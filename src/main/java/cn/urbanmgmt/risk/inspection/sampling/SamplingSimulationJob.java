package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.plans.CandidateReader;
import cn.urbanmgmt.risk.inspection.plans.PlanSpec;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobHandler;
import cn.urbanmgmt.risk.jobs.JobService;
import com.fasterxml.jackson.databind.ObjectMapper;
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
public class SamplingSimulationJob implements JobHandler {

    public static final String TYPE = "SAMPLING_SIMULATION";
    /** Merchants shown per changed decision. */
    public static final int SAMPLES = 20;
    /** Changed decisions listed (the most frequent first). */
    static final int MAX_CHANGES = 50;
    private static final int FAULT_SAMPLES = 5;
    private static final String SEP = "\t";

    @Inject
    SamplingEngine engine;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    JobService jobs;

    @Inject
    PlanService plans;

    @Override
    public String type() {
        return TYPE;
    }

    /** Parameters as stored with the job; {@code baseline} null when no version was active. */
    record Params(String candidate, String baseline, LocalDate date, PlanSpec spec) {
    }

    Params params(Job job) {
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
    public void processChunk(Job job, long fromId, long toId, ChunkCompletion complete) {
        Params p = params(job);
        SamplingRules candidate = engine.lease(p.candidate());
        SamplingRules baseline = p.baseline() == null ? null : engine.lease(p.baseline());
        try (Connection c = dataSource.getConnection()) {
            ChunkStats stats = new ChunkStats();
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
            complete.complete(c, inRange, stats.toMap());
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("sampling simulation chunk failed: " + e.getMessage(), e);
        } finally {
            candidate.release();
            if (baseline != null) baseline.release();
        }
    }

    /** Runs the rules over a batch; when a rule fails, again one by one to name it. Returns which facts failed. */
    private static boolean[] evaluate(SamplingRules rules, List<SamplingCandidate> facts, ChunkStats stats, String side) {
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
                    stats.fault(side, e.rule(), e.getMessage(), fresh.getMerchantId());
                } catch (IllegalArgumentException e) {
                    failed[i] = true;
                    stats.fault(side, null, "抽查规则给出的决定无效：" + e.getMessage(), fresh.getMerchantId());
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

    /** One chunk's counts, as JSON-friendly maps: decision keys to counts, per item. */
    static final class ChunkStats {
        long merchants;
        long candidates;
        /** item -> before key ("" when no version was active) -> count */
        final Map<String, Map<String, Long>> before = new TreeMap<>();
        final Map<String, Map<String, Long>> after = new TreeMap<>();
        /** item \t before \n after -> count, for changed decisions */
        final Map<String, Long> changes = new TreeMap<>();
        final Map<String, List<Long>> samples = new TreeMap<>();
        final Map<String, Map<String, Object>> faults = new LinkedHashMap<>();

        void add(String item, Key b, Key a, long merchantId) {
            candidates++;
            String bk = b == null ? "" : b.encode();
            String ak = a.encode();
            before.computeIfAbsent(item, k -> new TreeMap<>()).merge(bk, 1L, Long::sum);
            after.computeIfAbsent(item, k -> new TreeMap<>()).merge(ak, 1L, Long::sum);
            if (!bk.equals(ak)) {
                String change = item + SEP + bk + "\n" + ak;
                changes.merge(change, 1L, Long::sum);
                List<Long> ids = samples.computeIfAbsent(change, k -> new ArrayList<>());
                if (ids.size() < SAMPLES) ids.add(merchantId);
            }
        }

        @SuppressWarnings("unchecked")
        void fault(String side, String rule, String message, long merchantId) {
            Map<String, Object> f = faults.computeIfAbsent(side + "|" + rule, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("side", side);
                m.put("rule", rule);
                m.put("message", message);
                m.put("count", 0L);
                m.put("merchantIds", new ArrayList<Long>());
                return m;
            });
            f.put("count", ((Number) f.get("count")).longValue() + 1);
            List<Long> ids = (List<Long>) f.get("merchantIds");
            if (ids.size() < FAULT_SAMPLES && !ids.contains(merchantId)) ids.add(merchantId);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("merchants", merchants);
            m.put("candidates", candidates);
            m.put("before", before);
            m.put("after", after);
            m.put("changes", changes);
            m.put("samples", samples);
            m.put("faults", new ArrayList<>(faults.values()));
            return m;
        }
    }

    // ---- the result ---------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> finish(Job job) {
        Params p = params(job);
        ChunkStats all = new ChunkStats();
        for (Map<String, Object> r : jobs.chunkResults(job.id)) {
            all.merchants += ((Number) r.get("merchants")).longValue();
            all.candidates += ((Number) r.get("candidates")).longValue();
            mergeCounts(all.before, (Map<String, Map<String, Number>>) r.get("before"));
            mergeCounts(all.after, (Map<String, Map<String, Number>>) r.get("after"));
            ((Map<String, Number>) r.get("changes")).forEach((k, v) -> all.changes.merge(k, v.longValue(), Long::sum));
            ((Map<String, List<Number>>) r.get("samples")).forEach((k, ids) -> {
                List<Long> into = all.samples.computeIfAbsent(k, x -> new ArrayList<>());
                for (Number id : ids) if (into.size() < SAMPLES) into.add(id.longValue());
            });
            for (Map<String, Object> f : (List<Map<String, Object>>) r.get("faults")) {
                Map<String, Object> merged = all.faults.get(f.get("side") + "|" + f.get("rule"));
                if (merged == null) {
                    all.faults.put(f.get("side") + "|" + f.get("rule"), new LinkedHashMap<>(f));
                    continue;
                }
                merged.put("count", ((Number) merged.get("count")).longValue() + ((Number) f.get("count")).longValue());
                List<Object> ids = new ArrayList<>((List<Object>) merged.get("merchantIds"));
                for (Object id : (List<Object>) f.get("merchantIds")) if (ids.size() < FAULT_SAMPLES) ids.add(id);
                merged.put("merchantIds", ids);
            }
        }
        int weeks = p.spec().weeks();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("candidate", p.candidate());
        result.put("baseline", p.baseline());
        result.put("evaluationDate", p.date().toString());
        result.put("periodStart", p.spec().periodStart().toString());
        result.put("periodEnd", p.spec().periodEnd().toString());
        result.put("weeks", weeks);
        result.put("items", p.spec().items().stream().map(i -> Map.of("code", i.code(), "name", i.name(), "samplingPolicy", i.samplingPolicy())).toList());
        result.put("merchants", all.merchants);
        result.put("candidates", all.candidates);
        long changed = all.changes.values().stream().mapToLong(Long::longValue).sum();
        result.put("changed", changed);
        List<Map<String, Object>> conflicts = new ArrayList<>();
        List<Map<String, Object>> byItem = new ArrayList<>();
        long[] drawn = new long[2];
        for (PlanSpec.ItemSnapshot item : p.spec().items()) {
            Map<String, Object> m = item(item.code(), all.before.getOrDefault(item.code(), Map.of()), all.after.getOrDefault(item.code(), Map.of()),
                    p.baseline() != null, weeks, conflicts);
            drawn[0] += ((Number) ((Map<String, Object>) m.get("before")).get("drawn")).longValue();
            drawn[1] += ((Number) ((Map<String, Object>) m.get("after")).get("drawn")).longValue();
            byItem.add(m);
        }
        result.put("byItem", byItem);
        result.put("changes", changes(p, all));
        result.put("conflicts", conflicts);
        result.put("faults", new ArrayList<>(all.faults.values()));
        result.put("capacity", capacity(p));
        long faultCount = all.faults.values().stream().mapToLong(f -> ((Number) f.get("count")).longValue()).sum();
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(SamplingEngine.KIND, job.createdBy, RuleAudit.Action.SIMULATE, p.candidate(),
                p.baseline(), faultCount == 0 && conflicts.isEmpty() ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED, null,
                "模拟完成（任务 #" + job.id + "）：" + all.candidates + " 个候选对象中 " + changed + " 个抽查决定将变化，抽取数 " + drawn[0] + " → " + drawn[1]
                        + (faultCount == 0 ? "" : "，" + faultCount + " 个对象规则执行出错") + (conflicts.isEmpty() ? "" : "，" + conflicts.size() + " 个分层比例冲突"),
                Map.of("jobId", job.id, "changed", changed, "drawnBefore", drawn[0], "drawnAfter", drawn[1], "faults", faultCount)));
        return result;
    }

    /**
     * Inspector capacity per squad and week for the plan each version would give, side by side: both
     * drawn as a plan preview draws ({@link PlanService#capacityPreview}, {@link CapacityService}), with one
     * fresh seed for both so that the difference comes from the rules, not from chance.
     */
    Map<String, Object> capacity(Params p) {
        PlanSpec s = p.spec();
        byte[] seed = new byte[32];
        new java.security.SecureRandom().nextBytes(seed);
        PlanSpec drawn = new PlanSpec(s.name(), s.edition(), s.items(), s.scope(), s.periodStart(), s.periodEnd(),
                java.util.HexFormat.of().formatHex(seed), true, s.crossPoolSquads(), s.perVisit());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inspectorsPerVisit", s.perVisit());
        m.put("periodStart", s.periodStart().toString());
        m.put("periodEnd", s.periodEnd().toString());
        m.put("weeks", s.weeks());
        PlanService.CapacityPreview before = p.baseline() == null ? null : capacityPreview(drawn, p.date(), p.baseline(), "生效版本", m);
        PlanService.CapacityPreview after = capacityPreview(drawn, p.date(), p.candidate(), "候选版本", m);
        CapacityService.Report b = before == null ? null : before.capacity();
        CapacityService.Report a = after == null ? null : after.capacity();
        m.put("before", side(before));
        m.put("after", side(after));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CapacityService.Row r : CapacityService.sideBySide(b, a)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("unit", r.unit());
            row.put("unitName", r.unitName());
            row.put("week", r.week());
            row.put("from", r.from().toString());
            row.put("to", r.to().toString());
            row.put("capacity", r.capacity());
            row.put("before", b == null ? null : cell(r.before()));
            row.put("after", a == null ? null : cell(r.after()));
            rows.add(row);
        }
        m.put("rows", rows);
        m.put("comparison", b == null || a == null ? List.of() : CapacityService.compare("候选版本", b, a));
        return m;
    }

    private PlanService.CapacityPreview capacityPreview(PlanSpec spec, LocalDate date, String version, String side, Map<String, Object> into) {
        SamplingRules rules = engine.lease(version);
        try {
            return plans.capacityPreview(spec, date, rules);
        } catch (RuntimeException e) {
            // No candidates, or the rules fail: there is no plan to staff; the faults and conflicts above say why.
            @SuppressWarnings("unchecked")
            List<String> notes = (List<String>) into.computeIfAbsent("notes", k -> new ArrayList<String>());
            notes.add(side + "无法测算检查力量：" + (e instanceof ProblemException pe ? pe.problem().detail() : SamplingEngine.rootMessage(e)));
            return null;
        } finally {
            rules.release();
        }
    }

    private Map<String, Object> side(PlanService.CapacityPreview preview) {
        if (preview == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("visits", preview.visits());
        m.put("inspectorVisits", preview.capacity().cells().stream().map(CapacityService.Cell::needed).reduce(java.math.BigDecimal.ZERO,
                java.math.BigDecimal::add).stripTrailingZeros().toPlainString());
        m.put("overCapacity", preview.capacity().overCapacity());
        m.put("over", preview.capacity().over());
        return m;
    }

    /** One side of a row: needed (inspector-visits), percent of capacity, over; zero when that side needs nobody there. */
    private static Map<String, Object> cell(CapacityService.Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("needed", c == null ? "0" : c.needed().stripTrailingZeros().toPlainString());
        m.put("percent", c == null ? 0 : c.percent());
        m.put("over", c != null && c.over());
        return m;
    }

    private static void mergeCounts(Map<String, Map<String, Long>> into, Map<String, Map<String, Number>> chunk) {
        chunk.forEach((item, counts) -> {
            Map<String, Long> m = into.computeIfAbsent(item, k -> new TreeMap<>());
            counts.forEach((k, v) -> m.merge(k, v.longValue(), Long::sum));
        });
    }

    /** One item: totals per side, and per stratum (decision and name) the candidates, proportion and draw size on each side. */
    private static Map<String, Object> item(String code, Map<String, Long> before, Map<String, Long> after, boolean hasBaseline, int weeks,
                                            List<Map<String, Object>> conflicts) {
        // Rows by (outcome, name): must-include first, then drawn strata, then exclusions; by name within.
        Map<String, Map<String, Object>> rows = new TreeMap<>(Comparator.comparing((String k) -> order(k.split(SEP)[0])).thenComparing(k -> k));
        Map<String, Object> totalsBefore = side(code, before, "before", rows, weeks, conflicts);
        Map<String, Object> totalsAfter = side(code, after, "after", rows, weeks, conflicts);
        if (!hasBaseline) totalsBefore.put("note", "模拟开始时没有生效的抽查规则");
        for (Map<String, Object> r : rows.values()) {
            r.putIfAbsent("before", Map.of("candidates", 0));
            r.putIfAbsent("after", Map.of("candidates", 0));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("item", code);
        m.put("candidates", after.values().stream().mapToLong(Long::longValue).sum());
        m.put("before", totalsBefore);
        m.put("after", totalsAfter);
        m.put("strata", new ArrayList<>(rows.values()));
        return m;
    }

    private static int order(String outcome) {
        return switch (outcome) {
            case "MUST_INCLUDE" -> 0;
            case "SAMPLED" -> 1;
            default -> 2;
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> side(String item, Map<String, Long> counts, String side, Map<String, Map<String, Object>> rows, int weeks,
                                            List<Map<String, Object>> conflicts) {
        long excluded = 0, must = 0, sampled = 0, drawn = 0;
        Map<String, List<Key>> proportions = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getKey().isEmpty()) continue;
            Key k = Key.parse(e.getKey());
            int n = e.getValue().intValue();
            String row = k.outcome() + SEP + k.name();
            proportions.computeIfAbsent(row, x -> new ArrayList<>()).add(k);
            Map<String, Object> r = rows.computeIfAbsent(row, x -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("decision", k.outcome());
                m.put(k.outcome().equals("EXCLUDED") ? "reason" : "stratum", k.name());
                return m;
            });
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("candidates", n);
            switch (k.outcome()) {
                case "EXCLUDED" -> excluded += n;
                case "MUST_INCLUDE" -> {
                    must += n;
                    drawn += n;
                    s.put("percent", "100");
                    s.put("draw", n);
                }
                default -> {
                    sampled += n;
                    int perDraw = Draw.required(n, k.basisPoints());
                    int total = k.weekly() ? perDraw * weeks : perDraw;
                    drawn += total;
                    s.put("percent", CandidateList.percent(k.basisPoints()));
                    s.put("weekly", k.weekly());
                    // Once per period: the draw; weekly: the draw of each week, and over the period.
                    s.put("draw", perDraw);
                    if (k.weekly()) s.put("drawTotal", total);
                }
            }
            if (r.containsKey(side)) {
                // Two proportions for one stratum: a plan would be refused; shown together, and listed as a conflict.
                Map<String, Object> was = new LinkedHashMap<>((Map<String, Object>) r.get(side));
                was.put("candidates", ((Number) was.get("candidates")).intValue() + n);
                r.put(side, was);
            } else {
                r.put(side, s);
            }
        }
        proportions.forEach((row, keys) -> {
            if (keys.size() < 2) return;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("item", item);
            c.put("side", side.equals("before") ? "BASELINE" : "CANDIDATE");
            c.put("stratum", keys.get(0).name());
            c.put("proportions", keys.stream().map(k -> CandidateList.percent(k.basisPoints()) + "%" + (k.weekly() ? "（每周）" : "")).toList());
            c.put("message", "事项 " + item + " 的分层“" + keys.get(0).name() + "”有不同的抽查比例（" + String.join("、", (List<String>) c.get("proportions"))
                    + "）：用这个版本生成计划会被拒绝");
            conflicts.add(c);
        });
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("excluded", excluded);
        t.put("mustInclude", must);
        t.put("sampled", sampled);
        t.put("drawn", drawn);
        return t;
    }

    /** The changed decisions, most frequent first, with sample merchants evaluated again by both versions. */
    private List<Map<String, Object>> changes(Params p, ChunkStats all) {
        List<Map.Entry<String, Long>> top = all.changes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).limit(MAX_CHANGES).toList();
        Map<Long, Map<String, Object>> merchants = new HashMap<>();
        Map<String, Map<Long, Map<String, Object>>> evaluated = new HashMap<>();
        List<Long> ids = top.stream().flatMap(e -> all.samples.getOrDefault(e.getKey(), List.of()).stream()).distinct().toList();
        if (!ids.isEmpty()) sampleDetails(p, ids, merchants, evaluated);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : top) {
            String item = e.getKey().substring(0, e.getKey().indexOf(SEP));
            String[] keys = e.getKey().substring(item.length() + 1).split("\n", -1);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", item);
            m.put("from", keys[0].isEmpty() ? "（无生效规则）" : Key.parse(keys[0]).text());
            m.put("to", Key.parse(keys[1]).text());
            m.put("count", e.getValue());
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Long id : all.samples.getOrDefault(e.getKey(), List.of())) {
                Map<String, Object> s = new LinkedHashMap<>(merchants.getOrDefault(id, Map.of("merchantId", id)));
                Map<String, Object> decided = evaluated.getOrDefault(item, Map.of()).get(id);
                if (decided != null) s.putAll(decided);
                samples.add(s);
            }
            m.put("samples", samples);
            out.add(m);
        }
        return out;
    }

    /** Who the sample merchants are, and what both versions decide for them now, with the candidate's fired rules. */
    private void sampleDetails(Params p, List<Long> ids, Map<Long, Map<String, Object>> merchants,
                               Map<String, Map<Long, Map<String, Object>>> evaluated) {
        List<String> usccs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select m.id, m.uscc, m.name, m.street_code, g.grade from merchant m "
                     + "left join merchant_grade g on g.merchant_id = m.id where m.id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("merchantId", rs.getLong(1));
                    m.put("uscc", rs.getString(2));
                    m.put("name", rs.getString(3));
                    m.put("street", rs.getString(4));
                    m.put("grade", rs.getString(5));
                    merchants.put(rs.getLong(1), m);
                    usccs.add(rs.getString(2));
                }
            }
            PlanSpec s = p.spec();
            PlanSpec only = new PlanSpec(s.name(), s.edition(), s.items(), new PlanSpec.ScopeSpec(s.scope().streets(), s.scope().categories(),
                    s.scope().keyUnitsOnly(), usccs), s.periodStart(), s.periodEnd(), s.seedHex(), s.seedGenerated(), s.crossPoolSquads(), s.perVisit());
            SamplingRules candidate = engine.lease(p.candidate());
            SamplingRules baseline = p.baseline() == null ? null : engine.lease(p.baseline());
            c.setAutoCommit(false);
            try {
                CandidateReader.read(c, only, p.date(), batch -> {
                    for (SamplingCandidate f : batch.facts()) {
                        Map<String, Object> d = new LinkedHashMap<>();
                        try {
                            if (baseline != null) {
                                SamplingCandidate b = f.copy();
                                baseline.evaluateTraced(b);
                                d.put("before", SamplingDecision.of(b));
                            }
                            SamplingCandidate a = f.copy();
                            d.put("firedRules", candidate.evaluateTraced(a));
                            d.put("after", SamplingDecision.of(a));
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
                candidate.release();
                if (baseline != null) baseline.release();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the simulation samples failed: " + e.getMessage(), e);
        }
    }
}
