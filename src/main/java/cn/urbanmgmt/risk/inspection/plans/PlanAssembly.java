package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.matching.Matching;
import cn.urbanmgmt.risk.inspection.sampling.SamplingEngine;
import cn.urbanmgmt.risk.inspection.sampling.SamplingRules;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Assembles a plan from its checked spec: the draw phase (candidates evaluated, ranked, grouped and drawn),
 * the capacity of a draw, the matching inputs, and the refusals and warnings that name what cannot be met.
 */
@ApplicationScoped
public class PlanAssembly {

    private static final int MAX_REPORTED = 50;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    cn.urbanmgmt.risk.common.WorkerPools pools;

    @Inject
    ReferenceData refs;

    @Inject
    ObjectMapper json;

    @Inject
    CapacityService capacity;

    @Inject
    CandidateLoader candidates;

    /** The candidates read, the rules applied, the strata ranked and drawn; what the what-if and the plan share. */
    record DrawPhase(byte[] seed, CandidateReader.Candidates cands, CandidateList list, PlanComputation.Drawn drawn,
                     CompletableFuture<byte[]> compact, CompletableFuture<String> candidatesSha) {
    }

    /**
     * @param percents stratum proportions to try instead of the rules' (what-if), in basis points, by
     *                 stratum name or "item:stratum"; empty for a real plan
     */
    DrawPhase drawPhase(PlanSpec spec, LocalDate today, SamplingRules rules, Map<String, Long> timings, Map<String, Integer> percents,
                        boolean background) {
        long t = System.nanoTime();
        // Rules and ranking keys run on the worker threads batch by batch while the rows stream in.
        byte[] seed = HexFormat.of().parseHex(spec.seedHex());
        StrataRegistry registry = new StrataRegistry();
        List<CompletableFuture<CandidateLoader.BatchResult>> batches = new ArrayList<>();
        CandidateReader.Candidates cands = candidates.readCandidates(spec, today, batch -> CompletableFuture.supplyAsync(() -> {
            rules.evaluateBatch(batch.facts());
            int[] strata = new int[batch.facts().size()];
            for (int f = 0; f < strata.length; f++) strata[f] = registry.id(batch.facts().get(f));
            return new CandidateLoader.BatchResult(batch.factRows(), strata, HmacRank.keys(batch.usccs(), seed));
        }, pools.planWorkers()), batches);
        t = lap(timings, "readCandidates", t);
        List<CandidateLoader.BatchResult> results = new ArrayList<>(batches.size());
        long[] keys = new long[cands.usccs().length * 4];
        try {
            int at = 0;
            for (CompletableFuture<CandidateLoader.BatchResult> f : batches) {
                CandidateLoader.BatchResult r = f.join();
                results.add(r);
                System.arraycopy(r.keys(), 0, keys, at, r.keys().length);
                at += r.keys().length;
            }
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ProblemException p) throw p;
            String why = SamplingEngine.rootMessage(e.getCause() == null ? e : e.getCause());
            throw PlanRequests.unmeetable("抽查规则执行出错：" + why + "（规则版本 " + rules.version().substring(0, 12) + "）",
                    List.of(FieldError.of("rules/sampling", why)));
        }
        t = lap(timings, "evaluateRulesAndRank", t);
        if (cands.usccs().length == 0) {
            throw PlanRequests.unmeetable("所选范围内没有商户，无法抽查；请扩大街镇、行业或名单范围",
                    List.of(FieldError.of("scope", "范围内商户数为 0")));
        }
        CandidateList list = CandidateLoader.candidateList(spec, cands, registry, results);
        if (!percents.isEmpty()) list = CandidateLoader.withPercents(list, percents);
        t = lap(timings, "groupStrata", t);
        CandidateList finalList = list;
        CompletableFuture<byte[]> compact = background ? CompletableFuture.supplyAsync(finalList::compact, pools.blocking()) : null;
        CompletableFuture<String> candidatesSha = background ? CompletableFuture.supplyAsync(finalList::sha256, pools.blocking()) : null;

        PlanComputation.Drawn drawn = PlanComputation.draw(keys, list, spec.periodStart(), spec.periodEnd());
        lap(timings, "draw", t);
        return new DrawPhase(seed, cands, list, drawn, compact, candidatesSha);
    }

    /** Visits per squad (or the cross-squad pool) and week against the squads' capacity. */
    CapacityService.Report capacityOf(PlanSpec spec, DrawPhase phase) {
        List<CapacityService.Load> loads = new ArrayList<>(phase.drawn().visits().size());
        for (PlannedVisit v : phase.drawn().visits()) {
            String unit = spec.crossPoolSquads() != null ? CapacityService.POOL : refs.street(phase.cands().streets()[v.candidate()]).squadCode;
            loads.add(new CapacityService.Load(unit, v.windowStart(), v.windowEnd()));
        }
        return capacity.report(loads, spec.periodStart(), spec.periodEnd(), spec.perVisit(), spec.crossPoolSquads());
    }

    static ProblemException overCapacity(CapacityService.Report report) {
        List<FieldError> errors = new ArrayList<>();
        for (String o : report.over()) {
            if (errors.size() >= MAX_REPORTED) break;
            errors.add(FieldError.of("capacityReason", o));
        }
        return new ProblemException(Problem.of(422, "超出检查力量", "本计划有 " + report.over().size() + " 个中队周的检查任务超出检查力量（"
                + report.over().get(0) + (report.over().size() > 1 ? " 等" : "") + "），计划未生成。请调整比例、范围或检查期，补充人员，"
                + "或在“超出力量的理由”（capacityReason）中写明理由后生成，理由记录在计划上并公开").withErrors(errors));
    }

    /** The drawn merchants' squads, contact persons and previous inspectors, and the pools' inspectors as they are now. */
    MatchInputs matchInputs(PlanSpec spec, List<PlannedVisit> visits, CandidateReader.Candidates cands) {
        Map<Long, Integer> rowById = new HashMap<>();
        for (PlannedVisit v : visits) rowById.put(cands.ids()[v.candidate()], v.candidate());
        List<Long> ids = new ArrayList<>(rowById.keySet());
        try (Connection c = dataSource.getConnection()) {
            Map<Long, List<String>> previous = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select distinct on (merchant_id) merchant_id, inspectors from merchant_event "
                    + "where type = 'INSPECTION' and superseded_by is null and merchant_id = any(?) order by merchant_id, occurred_at desc, id desc")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String badges = rs.getString(2);
                        previous.put(rs.getLong(1), badges == null ? List.of()
                                : Arrays.stream(badges.split(",")).map(String::strip).filter(s -> !s.isEmpty()).sorted().toList());
                    }
                }
            }
            List<MatchInputs.MerchantInfo> infos = new ArrayList<>(ids.size());
            Set<String> squads = new TreeSet<>();
            for (Map.Entry<Long, Integer> e : rowById.entrySet()) {
                int row = e.getValue();
                String street = cands.streets()[row];
                String squad = refs.street(street).squadCode;
                squads.add(squad);
                String contact = cands.contacts()[row] == null || cands.contacts()[row].isBlank() ? null : cands.contacts()[row].strip();
                infos.add(new MatchInputs.MerchantInfo(cands.usccs()[row], e.getKey(), street, squad, contact, previous.getOrDefault(e.getKey(), List.of())));
            }
            infos.sort((a, b) -> a.uscc().compareTo(b.uscc()));
            List<String> poolSquads = spec.crossPoolSquads() != null ? spec.crossPoolSquads() : List.copyOf(squads);
            List<MatchInspector> staff = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, badge_no, name, squad_code, active, qualified_items::text, "
                    + "conflict_usccs::text, conflict_persons::text from inspector where squad_code = any(?) order by id")) {
                ps.setArray(1, c.createArrayOf("varchar", poolSquads.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        staff.add(new MatchInspector(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                                sorted(json.readValue(rs.getString(6), PlanService.STRINGS)), sorted(json.readValue(rs.getString(7), PlanService.STRINGS)),
                                sorted(json.readValue(rs.getString(8), PlanService.STRINGS))));
                    }
                }
            }
            return new MatchInputs(spec.crossPoolSquads(), spec.perVisit(), staff, infos);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading matching inputs failed: " + e.getMessage(), e);
        }
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    ProblemException shortfall(Matching.Result result, MatchInputs inputs) {
        List<FieldError> errors = new ArrayList<>();
        for (Matching.Shortfall s : result.shortfalls()) {
            if (errors.size() >= MAX_REPORTED) break;
            String pool = s.pool().equals(Matching.CROSS_POOL) ? "跨中队人员池（" + String.join("、", inputs.crossPoolSquads()) + "）"
                    : squadName(s.pool());
            errors.add(new FieldError(null, "inspectors", s.uscc(), "第 " + s.visitNo() + " 户（" + s.uscc() + "，事项 "
                    + String.join("、", s.items()) + "）需要 " + s.needed() + " 名检查人员，" + pool + "只有 " + s.eligible()
                    + " 名符合条件：在岗 " + s.poolActive() + " 名，其中具备全部事项资格 " + s.qualified() + " 名，须回避 " + s.conflicted() + " 名"));
        }
        Map<String, Long> byPool = result.shortfalls().stream().collect(Collectors.groupingBy(Matching.Shortfall::pool, TreeMap::new, Collectors.counting()));
        String detail = "检查人员不足，计划未生成：共 " + result.shortfalls().size() + " 户无法配齐检查人员（"
                + byPool.entrySet().stream().map(e -> (e.getKey().equals(Matching.CROSS_POOL) ? "跨中队人员池" : squadName(e.getKey()))
                + " " + e.getValue() + " 户").collect(Collectors.joining("、")) + "）。请补充具备资格的在岗人员、改用跨中队人员池，或缩小范围"
                + (result.shortfalls().size() > MAX_REPORTED ? "；下面列出前 " + MAX_REPORTED + " 户" : "");
        return PlanRequests.unmeetable(detail, errors);
    }

    private String squadName(String code) {
        Squad s = refs.squad(code);
        return s == null ? code : s.name;
    }

    List<PlanSummary.Warning> warnings(PlanComputation.Drawn drawn, PlanComputation.Staffed staffed, PlanSpec spec) {
        List<PlanSummary.Warning> warnings = new ArrayList<>();
        for (Matching.PoolReport p : staffed.matching().pools()) {
            if (p.overCap().isEmpty()) continue;
            String pool = p.pool().equals(Matching.CROSS_POOL) ? "跨中队人员池" : squadName(p.pool());
            warnings.add(new PlanSummary.Warning("WORKLOAD_OVER_CAP", pool + "：符合资格的人员不足以把每人检查户数控制在公平上限 " + p.cap()
                    + " 户以内（" + p.visits() + " 户 × " + spec.perVisit() + " 人 ÷ " + p.inspectors() + " 人，向上取整），超出的有："
                    + p.overCap().stream().map(o -> o.name() + "（" + o.badgeNo() + "）" + o.load() + " 户").collect(Collectors.joining("、"))));
        }
        for (Draw.Selection s : drawn.selections()) {
            if (s.stratum().weekly() && (long) s.required() * spec.weeks() > s.stratum().members().length && s.required() > 0) {
                warnings.add(new PlanSummary.Warning("WEEKLY_REPEAT", "事项 " + s.stratum().itemCode() + "“" + s.stratum().name() + "”每周抽取 "
                        + s.required() + " 户、共 " + spec.weeks() + " 周，超过该层 " + s.stratum().members().length + " 户，部分单位在计划期内会被再次检查"));
            }
        }
        return warnings;
    }

    static long lap(Map<String, Long> timings, String phase, long since) {
        long now = System.nanoTime();
        timings.put(phase, (now - since) / 1_000_000);
        return now;
    }

    /** Candidates and draws per stratum, as the plan (and each what-if scenario) reports them. */
    static List<PlanSummary.StratumCount> strata(PlanComputation.Drawn drawn) {
        List<PlanSummary.StratumCount> strata = new ArrayList<>();
        for (Draw.Selection s : drawn.selections()) {
            strata.add(new PlanSummary.StratumCount(s.stratum().itemCode(), s.stratum().name(), CandidateList.percent(s.stratum().basisPoints()),
                    s.stratum().basisPoints(), s.stratum().weekly(), s.stratum().members().length, s.required(), s.drawn()));
        }
        return strata;
    }

    /** Candidates excluded per item and reason (the strata named with {@link CandidateList#EXCLUDED_PREFIX}). */
    static List<PlanSummary.ExclusionCount> exclusions(CandidateList list) {
        return list.strata().stream().filter(s -> s.name().startsWith(CandidateList.EXCLUDED_PREFIX))
                .map(s -> new PlanSummary.ExclusionCount(s.itemCode(), s.name().substring(CandidateList.EXCLUDED_PREFIX.length()), s.members().length))
                .toList();
    }

    /** Merchants visited: a merchant drawn for several items or weeks counts once. */
    static int merchants(List<PlannedVisit> visits) {
        return (int) visits.stream().map(PlannedVisit::uscc).distinct().count();
    }
}
