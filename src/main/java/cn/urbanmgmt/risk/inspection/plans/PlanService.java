package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.JdbcTransaction;
import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import cn.urbanmgmt.risk.inspection.inspectors.InspectorService;
import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.matching.Matching;
import cn.urbanmgmt.risk.inspection.register.CanonicalJson;
import cn.urbanmgmt.risk.inspection.register.PlanRecord;
import cn.urbanmgmt.risk.inspection.register.PlanRegister;
import cn.urbanmgmt.risk.inspection.sampling.SamplingEngine;
import cn.urbanmgmt.risk.inspection.sampling.SamplingRules;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import cn.urbanmgmt.risk.registry.Street;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Creates plans: checks the request, evaluates the sampling rules over every candidate, draws per
 * stratum, merges items into visits, staffs them, and stores the plan with everything needed to
 * re-run it. A plan that cannot be staffed or has nothing to draw is refused, never shortened.
 */
@ApplicationScoped
public class PlanService {

    private static final Logger LOG = Logger.getLogger(PlanService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int MAX_DAYS = 366;
    /** The item list's editions are years (inspection_item.edition has the same check). */
    static final int MIN_EDITION = 2000;
    static final int MAX_EDITION = 2100;
    private static final int MAX_REPORTED = 50;
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    cn.urbanmgmt.risk.common.WorkerPools pools;

    @Inject
    ReferenceData refs;

    @Inject
    SamplingEngine sampling;

    @Inject
    InspectorService inspectors;

    @Inject
    ObjectMapper json;

    @Inject
    PlanQueries queries;

    @Inject
    PlanOverlaps overlapsFinder;

    // ---- checking the request -------------------------------------------------------------------

    /** Checks a request for a preview or a simulation: any seed, any period that has not ended, no overlap check. */
    public PlanSpec resolve(PlanInput in, LocalDate today) {
        return QuarkusTransaction.requiringNew().call(() -> resolveInTx(in, today, false, false)).spec();
    }

    /**
     * What a plan request adds to its spec: the reasons given for an accepted overlap or capacity excess,
     * and the active plans it overlaps.
     */
    public record Commit(String overlapReason, List<Long> overlaps, String capacityReason) {
    }

    public record Resolved(PlanSpec spec, Commit commit) {
    }

    /** Checks a plan request: executable plans get the seed from the service and are checked for overlaps. */
    public Resolved resolvePlan(PlanInput in, LocalDate today, boolean dryRun) {
        return QuarkusTransaction.requiringNew().call(() -> resolveInTx(in, today, true, !dryRun));
    }

    private Resolved resolveInTx(PlanInput in, LocalDate today, boolean planRequest, boolean executable) {
        List<FieldError> errors = new ArrayList<>();
        String name = in.name() == null ? null : in.name().strip();
        if (name == null || name.isEmpty()) errors.add(FieldError.of("name", "计划名称不能为空"));
        else if (name.length() > 200) errors.add(FieldError.of("name", "计划名称不能超过 200 个字符"));

        List<String> codes = in.items() == null ? List.of() : in.items().stream().filter(c -> c != null && !c.isBlank())
                .map(c -> c.strip().toUpperCase(Locale.ROOT)).distinct().toList();
        Integer edition = in.edition();
        List<PlanSpec.ItemSnapshot> items = new ArrayList<>();
        if (edition != null && (edition < MIN_EDITION || edition > MAX_EDITION)) {
            errors.add(new FieldError(null, "edition", String.valueOf(edition), "事项清单年度版本应在 " + MIN_EDITION + " 到 " + MAX_EDITION
                    + " 之间（如 2026），或不填用包含所选事项的最新版本"));
        } else if (codes.isEmpty()) {
            errors.add(FieldError.of("items", "请至少选择一个抽查事项（事项代码）"));
        } else {
            if (edition == null) {
                Number latest = (Number) InspectionItem.getEntityManager()
                        .createNativeQuery("select max(edition) from inspection_item where code = ?1").setParameter(1, codes.get(0)).getSingleResult();
                edition = latest == null ? null : latest.intValue();
            }
            for (int i = 0; i < codes.size(); i++) {
                InspectionItem item = edition == null ? null : InspectionItem.find(edition, codes.get(i));
                if (item == null) {
                    errors.add(new FieldError(null, "items[" + i + "]", codes.get(i), "事项“" + codes.get(i) + "”不在"
                            + (edition == null ? "" : edition + " 年版") + "抽查事项清单中"));
                } else if (!item.active) {
                    errors.add(new FieldError(null, "items[" + i + "]", codes.get(i), "事项“" + codes.get(i) + "”已停用"));
                } else {
                    items.add(new PlanSpec.ItemSnapshot(item.id, item.code, item.name, item.legalBasis, item.mode, item.samplingPolicy,
                            List.copyOf(item.categories), List.copyOf(item.keyUnitTypes)));
                }
            }
        }

        PlanInput.Scope scope = in.scope() == null ? new PlanInput.Scope(null, null, null, null) : in.scope();
        List<String> streets = new ArrayList<>();
        if (scope.streets() != null) {
            for (int i = 0; i < scope.streets().size(); i++) {
                Street s = refs.resolveStreet(scope.streets().get(i));
                if (s == null) {
                    errors.add(new FieldError(null, "scope.streets[" + i + "]", scope.streets().get(i),
                            "街镇“" + scope.streets().get(i) + "”不存在，可选：" + refs.allowedStreets()));
                } else if (!streets.contains(s.code)) {
                    streets.add(s.code);
                }
            }
        }
        List<String> usccs = new ArrayList<>();
        if (scope.usccs() != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < scope.usccs().size(); i++) {
                String u = Uscc.normalise(scope.usccs().get(i));
                String p = Uscc.problem(u);
                if (p != null) errors.add(new FieldError(null, "scope.usccs[" + i + "]", scope.usccs().get(i), p));
                else seen.add(u);
            }
            usccs.addAll(seen);
        }
        List<cn.urbanmgmt.risk.registry.MerchantCategory> categories = scope.categories() == null ? List.of()
                : scope.categories().stream().filter(java.util.Objects::nonNull).distinct().toList();

        if (in.periodStart() == null) errors.add(FieldError.of("periodStart", "检查期开始日期不能为空（yyyy-MM-dd）"));
        if (in.periodEnd() == null) errors.add(FieldError.of("periodEnd", "检查期结束日期不能为空（yyyy-MM-dd）"));
        if (in.periodStart() != null && in.periodEnd() != null) {
            if (in.periodEnd().isBefore(in.periodStart())) {
                errors.add(new FieldError(null, "periodEnd", in.periodEnd().toString(), "结束日期不能早于开始日期"));
            } else if (in.periodEnd().toEpochDay() - in.periodStart().toEpochDay() + 1 > MAX_DAYS) {
                errors.add(new FieldError(null, "periodEnd", in.periodEnd().toString(), "检查期最长 " + MAX_DAYS + " 天"));
            } else if (in.periodEnd().isBefore(today)) {
                errors.add(new FieldError(null, "periodEnd", in.periodEnd().toString(), "检查期已结束：结束日期不能早于今天（" + today + "）"));
            }
        }
        if (planRequest && in.periodStart() != null && in.periodStart().isBefore(today)) {
            errors.add(new FieldError(null, "periodStart", in.periodStart().toString(),
                    "检查期不能从过去开始：开始日期应不早于今天（" + today + "），否则抽取前已过去的日子里无法检查"));
        }

        String seed = null;
        boolean generated = false;
        if (in.seed() != null && !in.seed().isBlank()) {
            seed = in.seed().strip().toLowerCase(Locale.ROOT);
            if (executable) {
                errors.add(new FieldError(null, "seed", in.seed(), "正式计划的随机种子由系统生成，并在生成时公示其承诺值；"
                        + "自选种子只能用于预演（dryRun=true）或复算，请删除种子后再生成"));
            } else if (!seed.matches("[0-9a-f]{64}")) {
                errors.add(new FieldError(null, "seed", in.seed(), "随机种子应为 64 位十六进制数字（256 位），或不填由系统生成"));
            }
        } else {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            seed = HexFormat.of().formatHex(b);
            generated = true;
        }

        List<String> pool = null;
        if (in.inspectorSquads() != null && !in.inspectorSquads().isEmpty()) {
            pool = new ArrayList<>();
            for (int i = 0; i < in.inspectorSquads().size(); i++) {
                Squad s = inspectors.resolveSquad(in.inspectorSquads().get(i));
                if (s == null) {
                    errors.add(new FieldError(null, "inspectorSquads[" + i + "]", in.inspectorSquads().get(i),
                            "中队“" + in.inspectorSquads().get(i) + "”不存在，可选：" + inspectors.allowedSquads()));
                } else if (!pool.contains(s.code)) {
                    pool.add(s.code);
                }
            }
            pool.sort(null);
        }
        int perVisit = in.inspectorsPerVisit() == null ? 2 : in.inspectorsPerVisit();
        if (perVisit < 2 || perVisit > 5) {
            errors.add(new FieldError(null, "inspectorsPerVisit", String.valueOf(perVisit),
                    "每户检查人数应在 2 到 5 之间（行政处罚法第四十二条：执法人员不得少于两人）"));
        }
        String overlapReason = reason(in.overlapReason(), "overlapReason", errors);
        String capacityReason = reason(in.capacityReason(), "capacityReason", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation("抽查计划有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
        PlanSpec spec = new PlanSpec(name, edition, items, new PlanSpec.ScopeSpec(streets, categories,
                Boolean.TRUE.equals(scope.keyUnitsOnly()), usccs), in.periodStart(), in.periodEnd(), seed, generated, pool, perVisit);
        List<Long> overlaps = List.of();
        if (executable) {
            List<PlanOverlaps.Overlap> found = overlapsFinder.find(spec);
            if (!found.isEmpty() && overlapReason == null) throw PlanOverlaps.refusal(found);
            overlaps = found.stream().map(PlanOverlaps.Overlap::planId).toList();
        }
        return new Resolved(spec, new Commit(overlaps.isEmpty() ? null : overlapReason, overlaps, capacityReason));
    }

    static final int MAX_REASON = 500;

    private static String reason(String text, String field, List<FieldError> errors) {
        if (text == null || text.isBlank()) return null;
        String t = text.strip();
        if (t.length() > MAX_REASON) {
            errors.add(new FieldError(null, field, t.substring(0, 20) + "…", "理由不能超过 " + MAX_REASON + " 个字符（现有 " + t.length() + " 个）"));
            return null;
        }
        if (t.length() < 4) {
            errors.add(new FieldError(null, field, t, "理由太短：请写明原因（至少 4 个字），它将在公示登记册上公开"));
            return null;
        }
        return t;
    }

    // ---- creating a plan ------------------------------------------------------------------------

    /** A refusal that names what cannot be met; the plan is not stored. */
    static ProblemException unmeetable(String detail, List<FieldError> errors) {
        return new ProblemException(Problem.of(422, "无法生成抽查计划", detail).withErrors(errors));
    }

    public PlanView create(PlanInput input, boolean dryRun, Actor actor) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        Resolved resolved = resolvePlan(input, today, dryRun);
        // Drawn with the sampling rules active when the plan starts, even if another version is activated meanwhile.
        try (SamplingEngine.Lease lease = sampling.lease()) {
            return create(resolved.spec(), resolved.commit(), today, dryRun, actor, lease.rules());
        }
    }

    private PlanView create(PlanSpec spec, Commit commit, LocalDate today, boolean dryRun, Actor actor, SamplingRules rules) {
        Map<String, Long> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        long t = t0;

        DrawPhase phase = drawPhase(spec, today, rules, timings, Map.of(), true);
        t = System.nanoTime();
        byte[] seed = phase.seed();
        CandidateReader.Candidates cands = phase.cands();
        CandidateList list = phase.list();
        CompletableFuture<byte[]> compact = phase.compact();
        CompletableFuture<String> candidatesSha = phase.candidatesSha();
        PlanComputation.Drawn drawn = phase.drawn();
        if (drawn.visits().isEmpty()) {
            throw unmeetable("按抽查规则，本计划没有需要检查的商户（各分层抽取数均为 0）", List.of(FieldError.of("items", "抽取数为 0")));
        }
        CapacityService.Report capacityReport = capacityOf(spec, phase);
        if (!dryRun && capacityReport.overCapacity() && commit.capacityReason() == null) throw overCapacity(capacityReport);
        Commit accepted = new Commit(commit.overlapReason(), commit.overlaps(), capacityReport.overCapacity() ? commit.capacityReason() : null);
        t = lap(timings, "capacity", t);
        CompletableFuture<MatchInputs> inputsFuture = CompletableFuture.supplyAsync(() -> matchInputs(spec, drawn.visits(), cands), pools.blocking());
        String drawSha256 = CandidateList.sha256(drawn.drawCsv());
        MatchInputs inputs = join(inputsFuture);
        t = lap(timings, "readMatchInputs", t);
        PlanComputation.Staffed staffed = PlanComputation.staff(seed, drawn.visits(), inputs);
        if (!staffed.matching().feasible()) throw shortfall(staffed.matching(), inputs);
        t = lap(timings, "matchInspectors", t);

        List<PlanSummary.StratumCount> strata = new ArrayList<>();
        for (Draw.Selection s : drawn.selections()) {
            strata.add(new PlanSummary.StratumCount(s.stratum().itemCode(), s.stratum().name(), CandidateList.percent(s.stratum().basisPoints()),
                    s.stratum().basisPoints(), s.stratum().weekly(), s.stratum().members().length, s.required(), s.drawn()));
        }
        List<PlanSummary.ExclusionCount> exclusions = list.strata().stream().filter(s -> s.name().startsWith(CandidateList.EXCLUDED_PREFIX))
                .map(s -> new PlanSummary.ExclusionCount(s.itemCode(), s.name().substring(CandidateList.EXCLUDED_PREFIX.length()), s.members().length))
                .toList();
        List<PlanSummary.Warning> warnings = warnings(drawn, staffed, spec);
        byte[] inputsJson = toJson(inputs);
        String candidatesSha256 = candidatesSha.join();
        String inputsSha256 = PlanComputation.inputsSha256(candidatesSha256, inputsJson, spec.periodStart(), spec.periodEnd());
        int merchants = (int) drawn.visits().stream().map(PlannedVisit::uscc).distinct().count();
        PlanView.Digests digests = new PlanView.Digests(candidatesSha256, drawSha256, inputsSha256, staffed.resultSha256());
        Long id = null;
        Instant createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        PlanView.Lifecycle lifecycle = null;
        if (!dryRun) {
            byte[] compactBytes = compact.join();
            t = lap(timings, "digests", t);
            Stored stored = store(spec, accepted, capacityReport, today, rules.version(), strata, exclusions, staffed, warnings, compactBytes, inputsJson, digests,
                    drawn.visits(), inputs, merchants, createdAt, actor);
            id = stored.id();
            lifecycle = new PlanView.Lifecycle("ACTIVE", null, null, null, accepted.overlapReason(),
                    accepted.overlaps().isEmpty() ? null : accepted.overlaps(), accepted.capacityReason(), stored.recordSha256(), null);
            t = lap(timings, "store", t);
        }
        timings.put("total", (System.nanoTime() - t0) / 1_000_000);
        timings.put("jvmCpuTotal", (processCpuNanos() - cpu0) / 1_000_000);
        LOG.infof("Plan %s by %s: %d candidates, %d visits, %d ms %s", id == null ? "(dry run)" : id, actor.username(),
                cands.usccs().length, drawn.visits().size(), timings.get("total"), timings);
        if (id != null) {
            final long planId = id;
            QuarkusTransaction.requiringNew().run(() -> queries.saveTimings(planId, timings));
        }
        return new PlanView(id, spec.name(), spec.edition(), spec.items(), scopeView(spec.scope()), spec.periodStart(), spec.periodEnd(),
                spec.weeks(), today, spec.seedHex(), spec.seedGenerated(), PlanComputation.seedCommitment(spec.seedHex()), rules.version(),
                spec.crossPoolSquads(), spec.perVisit(), drawn.visits().size(), merchants, strata, exclusions, staffed.matching().pools(),
                warnings, digests, actor.username(), createdAt.atZone(EventService.ZONE).toOffsetDateTime(), null, timings, dryRun ? true : null,
                lifecycle, capacityReport);
    }

    @Inject
    CapacityService capacity;

    /** Visits per squad (or the cross-squad pool) and week against the squads' capacity. */
    private CapacityService.Report capacityOf(PlanSpec spec, DrawPhase phase) {
        List<CapacityService.Load> loads = new ArrayList<>(phase.drawn().visits().size());
        for (PlannedVisit v : phase.drawn().visits()) {
            String unit = spec.crossPoolSquads() != null ? CapacityService.POOL : refs.street(phase.cands().streets()[v.candidate()]).squadCode;
            loads.add(new CapacityService.Load(unit, v.windowStart(), v.windowEnd()));
        }
        return capacity.report(loads, spec.periodStart(), spec.periodEnd(), spec.perVisit(), spec.crossPoolSquads());
    }

    private static ProblemException overCapacity(CapacityService.Report report) {
        List<FieldError> errors = new ArrayList<>();
        for (String o : report.over()) {
            if (errors.size() >= MAX_REPORTED) break;
            errors.add(FieldError.of("capacityReason", o));
        }
        return new ProblemException(Problem.of(422, "超出检查力量", "本计划有 " + report.over().size() + " 个中队周的检查任务超出检查力量（"
                + report.over().get(0) + (report.over().size() > 1 ? " 等" : "") + "），计划未生成。请调整比例、范围或检查期，补充人员，"
                + "或在“超出力量的理由”（capacityReason）中写明理由后生成，理由记录在计划上并公开").withErrors(errors));
    }

    // ---- what-if ------------------------------------------------------------------------------------

    /** One variant to compare with the plan as asked: other proportions and/or another period. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "假设方案：改变某些分层的比例或检查期")
    public record Variant(
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "方案名称，如“绿色 3 % → 5 %”") String label,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "分层名称（或“事项代码:分层名称”）→ 比例（%，0 到 100，最多两位小数）")
            Map<String, java.math.BigDecimal> percents,
            LocalDate periodStart, LocalDate periodEnd) {
    }

    public record WhatIfRequest(PlanInput plan, List<Variant> variants) {
    }

    public record Scenario(String label, LocalDate periodStart, LocalDate periodEnd, int visits, int merchants,
                           List<PlanSummary.StratumCount> strata, CapacityService.Report capacity, List<String> comparedWithPlan) {
    }

    public record WhatIf(Scenario plan, List<Scenario> variants) {
    }

    /** The plan as asked and each variant: strata, visits, and capacity per squad and week; nothing is stored. */
    public WhatIf whatIf(WhatIfRequest req) {
        if (req == null || req.plan() == null) throw ProblemException.badRequest("请求体不能为空：请提交 plan（与生成计划相同）和 variants（假设方案）");
        List<Variant> variants = req.variants() == null ? List.of() : req.variants();
        List<FieldError> errors = new ArrayList<>();
        if (variants.size() > 10) errors.add(new FieldError(null, "variants", String.valueOf(variants.size()), "最多比较 10 个方案"));
        List<Map<String, Integer>> bps = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Map<String, Integer> bp = new LinkedHashMap<>();
            Variant v = variants.get(i);
            if (v == null) {
                errors.add(FieldError.of("variants[" + i + "]", "方案不能为空"));
                bps.add(bp);
                continue;
            }
            if (v.percents() != null) {
                for (Map.Entry<String, java.math.BigDecimal> e : v.percents().entrySet()) {
                    java.math.BigDecimal p = e.getValue();
                    if (p == null || p.signum() < 0 || p.compareTo(java.math.BigDecimal.valueOf(100)) > 0 || p.stripTrailingZeros().scale() > 2) {
                        errors.add(new FieldError(null, "variants[" + i + "].percents." + e.getKey(), p == null ? null : p.toPlainString(),
                                "比例应在 0 到 100 之间，最多两位小数"));
                    } else {
                        bp.put(e.getKey(), p.movePointRight(2).intValueExact());
                    }
                }
            }
            if (v.periodStart() != null && v.periodEnd() != null && v.periodEnd().isBefore(v.periodStart())) {
                errors.add(new FieldError(null, "variants[" + i + "].periodEnd", v.periodEnd().toString(), "结束日期不能早于开始日期"));
            }
            bps.add(bp);
        }
        if (!errors.isEmpty()) throw ProblemException.validation("假设方案有误：" + errors.get(0).message(), errors);
        LocalDate today = LocalDate.now(EventService.ZONE);
        PlanSpec base;
        try {
            base = resolvePlan(req.plan(), today, true).spec();
        } catch (ProblemException e) {
            // Named as in this request's body: plan.periodEnd, plan.items[0], …
            throw prefixed(e, "plan.", "计划有误：");
        }
        try (SamplingEngine.Lease lease = sampling.lease()) {
            Scenario plan = scenario("计划", base, today, lease.rules(), Map.of(), null);
            List<Scenario> out = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                PlanInput in = req.plan();
                PlanInput changed = new PlanInput(in.name(), in.edition(), in.items(), in.scope(),
                        v.periodStart() != null ? v.periodStart() : in.periodStart(), v.periodEnd() != null ? v.periodEnd() : in.periodEnd(),
                        in.seed(), in.inspectorSquads(), in.inspectorsPerVisit());
                PlanSpec spec;
                try {
                    spec = resolvePlan(changed, today, true).spec();
                } catch (ProblemException e) {
                    throw prefixed(e, "variants[" + i + "].", "假设方案 " + (i + 1) + " 有误：");
                }
                // The same seed for every scenario: differences come from the change, not from chance.
                spec = new PlanSpec(spec.name(), spec.edition(), spec.items(), spec.scope(), spec.periodStart(), spec.periodEnd(), base.seedHex(),
                        base.seedGenerated(), spec.crossPoolSquads(), spec.perVisit());
                String label = v.label() == null || v.label().isBlank() ? "方案 " + (i + 1) : v.label().strip();
                out.add(scenario(label, spec, today, lease.rules(), bps.get(i), plan));
            }
            return new WhatIf(plan, out);
        }
    }

    /** The same refusal with every field named from the root of a request that nests the plan request ({@code plan.}, {@code variants[0].}). */
    private static ProblemException prefixed(ProblemException e, String prefix, String detail) {
        List<FieldError> errors = e.problem().errors() == null ? List.of() : e.problem().errors();
        if (errors.isEmpty()) return e;
        List<FieldError> named = errors.stream().map(f -> new FieldError(f.line(), f.field() == null ? null : prefix + f.field(), f.value(),
                f.message())).toList();
        return new ProblemException(Problem.of(e.problem().status(), e.problem().title(), detail + named.get(0).message()
                + (named.size() > 1 ? "（共 " + named.size() + " 处）" : "")).withErrors(named));
    }

    private Scenario scenario(String label, PlanSpec spec, LocalDate today, SamplingRules rules, Map<String, Integer> percents, Scenario base) {
        DrawPhase phase = drawPhase(spec, today, rules, new LinkedHashMap<>(), percents, false);
        List<PlanSummary.StratumCount> strata = new ArrayList<>();
        for (Draw.Selection s : phase.drawn().selections()) {
            strata.add(new PlanSummary.StratumCount(s.stratum().itemCode(), s.stratum().name(), CandidateList.percent(s.stratum().basisPoints()),
                    s.stratum().basisPoints(), s.stratum().weekly(), s.stratum().members().length, s.required(), s.drawn()));
        }
        CapacityService.Report report = capacityOf(spec, phase);
        List<String> compared = base == null ? new ArrayList<>() : CapacityService.compare(label, base.capacity(), report);
        int merchants = (int) phase.drawn().visits().stream().map(PlannedVisit::uscc).distinct().count();
        return new Scenario(label, spec.periodStart(), spec.periodEnd(), phase.drawn().visits().size(), merchants, strata, report, compared);
    }

    /** The visits a plan would have and their load per squad and week. */
    public record CapacityPreview(int visits, CapacityService.Report capacity) {
    }

    /**
     * Capacity per squad and week of the plan {@code spec} would give with {@code rules}, drawn as a
     * preview draws (the spec's seed, the candidates as of {@code date}); nothing is stored. Used by the
     * sampling-rule simulation to compare the active and the candidate version.
     */
    public CapacityPreview capacityPreview(PlanSpec spec, LocalDate date, SamplingRules rules) {
        DrawPhase phase = drawPhase(spec, date, rules, new LinkedHashMap<>(), Map.of(), false);
        return new CapacityPreview(phase.drawn().visits().size(), capacityOf(spec, phase));
    }

    record Stored(long id, String recordSha256) {
    }


    /** The candidates read, the rules applied, the strata ranked and drawn; what the what-if and the plan share. */
    record DrawPhase(byte[] seed, CandidateReader.Candidates cands, CandidateList list, PlanComputation.Drawn drawn,
                     CompletableFuture<byte[]> compact, CompletableFuture<String> candidatesSha) {
    }

    /**
     * @param percents stratum proportions to try instead of the rules' (what-if), in basis points, by
     *                 stratum name or "item:stratum"; empty for a real plan
     */
    private DrawPhase drawPhase(PlanSpec spec, LocalDate today, SamplingRules rules, Map<String, Long> timings, Map<String, Integer> percents,
                                boolean background) {
        long t = System.nanoTime();
        // Rules and ranking keys run on the worker threads batch by batch while the rows stream in.
        byte[] seed = HexFormat.of().parseHex(spec.seedHex());
        StrataRegistry registry = new StrataRegistry();
        List<CompletableFuture<BatchResult>> batches = new ArrayList<>();
        CandidateReader.Candidates cands = readCandidates(spec, today, batch -> CompletableFuture.supplyAsync(() -> {
            rules.evaluateBatch(batch.facts());
            int[] strata = new int[batch.facts().size()];
            for (int f = 0; f < strata.length; f++) strata[f] = registry.id(batch.facts().get(f));
            return new BatchResult(batch.factRows(), strata, HmacRank.keys(batch.usccs(), seed));
        }, pools.planWorkers()), batches);
        t = lap(timings, "readCandidates", t);
        List<BatchResult> results = new ArrayList<>(batches.size());
        long[] keys = new long[cands.usccs().length * 4];
        try {
            int at = 0;
            for (CompletableFuture<BatchResult> f : batches) {
                BatchResult r = f.join();
                results.add(r);
                System.arraycopy(r.keys(), 0, keys, at, r.keys().length);
                at += r.keys().length;
            }
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ProblemException p) throw p;
            String why = SamplingEngine.rootMessage(e.getCause() == null ? e : e.getCause());
            throw unmeetable("抽查规则执行出错：" + why + "（规则版本 " + rules.version().substring(0, 12) + "）",
                    List.of(FieldError.of("rules/sampling", why)));
        }
        t = lap(timings, "evaluateRulesAndRank", t);
        if (cands.usccs().length == 0) {
            throw unmeetable("所选范围内没有商户，无法抽查；请扩大街镇、行业或名单范围",
                    List.of(FieldError.of("scope", "范围内商户数为 0")));
        }
        CandidateList list = candidateList(spec, cands, registry, results);
        if (!percents.isEmpty()) list = withPercents(list, percents);
        t = lap(timings, "groupStrata", t);
        CandidateList finalList = list;
        CompletableFuture<byte[]> compact = background ? CompletableFuture.supplyAsync(finalList::compact, pools.blocking()) : null;
        CompletableFuture<String> candidatesSha = background ? CompletableFuture.supplyAsync(finalList::sha256, pools.blocking()) : null;

        PlanComputation.Drawn drawn = PlanComputation.draw(keys, list, spec.periodStart(), spec.periodEnd());
        lap(timings, "draw", t);
        return new DrawPhase(seed, cands, list, drawn, compact, candidatesSha);
    }

    /** The same candidates with other proportions for the strata named (by "item:stratum" or by stratum for every item). */
    static CandidateList withPercents(CandidateList list, Map<String, Integer> percents) {
        List<Draw.Stratum> strata = new ArrayList<>();
        for (Draw.Stratum s : list.strata()) {
            Integer bp = percents.getOrDefault(s.itemCode() + ":" + s.name(), percents.get(s.name()));
            strata.add(bp == null || s.name().startsWith(CandidateList.EXCLUDED_PREFIX) ? s
                    : new Draw.Stratum(s.itemCode(), s.name(), bp, s.weekly(), s.members()));
        }
        return new CandidateList(list.ids(), strata);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** CPU time of the whole JVM: with other work on the machine, wall time alone says little. */
    public static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long lap(Map<String, Long> timings, String phase, long since) {
        long now = System.nanoTime();
        timings.put(phase, (now - since) / 1_000_000);
        return now;
    }

    /** Merchant id ranges read at the same time, each on its own connection. */
    private static final int READ_PARTS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * Reads the candidates in {@link #READ_PARTS} merchant-id ranges at once: with one cursor PostgreSQL
     * waits while the service decodes each fetched block and the other way round; with two they overlap.
     * Returns the candidates in id order and adds each batch's work, started by {@code process}, to
     * {@code batches} in the same order (rows numbered across all parts).
     */
    private CandidateReader.Candidates readCandidates(PlanSpec spec, LocalDate today,
                                                      java.util.function.Function<CandidateReader.Batch, CompletableFuture<BatchResult>> process,
                                                      List<CompletableFuture<BatchResult>> batches) {
        long[] range = idRange();
        int parts = range == null || range[1] - range[0] < READ_PARTS ? 1 : READ_PARTS;
        List<CompletableFuture<CandidateReader.Candidates>> reads = new ArrayList<>(parts);
        List<List<CompletableFuture<BatchResult>>> partBatches = new ArrayList<>(parts);
        for (int k = 0; k < parts; k++) {
            long from = range == null ? 0 : range[0] + (range[1] - range[0] + 1) * k / parts;
            long to = range == null ? Long.MAX_VALUE : range[0] + (range[1] - range[0] + 1) * (k + 1) / parts - 1;
            List<CompletableFuture<BatchResult>> own = new ArrayList<>();
            partBatches.add(own);
            reads.add(CompletableFuture.supplyAsync(() -> {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false); // a cursor, so a million rows stream instead of landing in memory at once
                    try {
                        return CandidateReader.read(c, spec, today, from, to, batch -> own.add(process.apply(batch)));
                    } finally {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("reading plan candidates failed: " + e.getMessage(), e);
                }
            }, pools.blocking()));
        }
        List<CandidateReader.Candidates> read = new ArrayList<>(parts);
        try {
            for (CompletableFuture<CandidateReader.Candidates> f : reads) read.add(join(f));
        } catch (RuntimeException e) {
            partBatches.forEach(list -> list.forEach(f -> f.cancel(true)));
            throw e;
        }
        int offset = 0;
        for (int k = 0; k < parts; k++) {
            int rowOffset = offset;
            for (CompletableFuture<BatchResult> f : partBatches.get(k)) {
                batches.add(rowOffset == 0 ? f : f.thenApply(r -> {
                    for (int i = 0; i < r.factRows().length; i++) r.factRows()[i] += rowOffset;
                    return r;
                }));
            }
            offset += read.get(k).ids().length;
        }
        return concat(read);
    }

    /** Lowest and highest merchant id, or null when there are no merchants. */
    private long[] idRange() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select min(id), max(id) from merchant");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? null : new long[]{min, rs.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("reading plan candidates failed: " + e.getMessage(), e);
        }
    }

    private static CandidateReader.Candidates concat(List<CandidateReader.Candidates> parts) {
        if (parts.size() == 1) return parts.get(0);
        int n = parts.stream().mapToInt(p -> p.ids().length).sum();
        String[] usccs = new String[n];
        long[] ids = new long[n];
        String[] streets = new String[n];
        String[] contacts = new String[n];
        int at = 0;
        for (CandidateReader.Candidates p : parts) {
            int len = p.ids().length;
            System.arraycopy(p.usccs(), 0, usccs, at, len);
            System.arraycopy(p.ids(), 0, ids, at, len);
            System.arraycopy(p.streets(), 0, streets, at, len);
            System.arraycopy(p.contacts(), 0, contacts, at, len);
            at += len;
        }
        return new CandidateReader.Candidates(usccs, ids, streets, contacts);
    }

    /** What a worker made of one batch: each fact's row and stratum number, and the batch's ranking keys. */
    record BatchResult(int[] factRows, int[] strata, long[] keys) {
    }

    /** Members per stratum, in row (merchant id) order; refuses a plan with an item that has nothing to draw. */
    private static CandidateList candidateList(PlanSpec spec, CandidateReader.Candidates cands, StrataRegistry registry,
                                               List<BatchResult> results) {
        int n = registry.size();
        int[] sizes = new int[n];
        for (BatchResult r : results) for (int s : r.strata()) sizes[s]++;
        int[][] members = new int[n][];
        for (int s = 0; s < n; s++) members[s] = new int[sizes[s]];
        int[] fill = new int[n];
        for (BatchResult r : results) {
            for (int f = 0; f < r.strata().length; f++) members[r.strata()[f]][fill[r.strata()[f]]++] = r.factRows()[f];
        }
        List<Draw.Stratum> strata = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            StrataRegistry.Meta m = registry.meta(s);
            strata.add(new Draw.Stratum(m.item(), m.name(), m.basisPoints(), m.weekly(), members[s]));
        }
        List<FieldError> errors = new ArrayList<>();
        for (PlanSpec.ItemSnapshot item : spec.items()) {
            int drawable = 0;
            int total = 0;
            Map<String, Integer> reasons = new TreeMap<>();
            for (Draw.Stratum s : strata) {
                if (!s.itemCode().equals(item.code())) continue;
                total += s.members().length;
                if (s.name().startsWith(CandidateList.EXCLUDED_PREFIX)) {
                    reasons.put(s.name().substring(CandidateList.EXCLUDED_PREFIX.length()), s.members().length);
                } else {
                    drawable += s.members().length;
                }
            }
            if (drawable == 0) {
                String why = total == 0 ? "范围内没有适用该事项的商户（该事项适用于：" + applicability(item) + "）"
                        : "范围内适用该事项的 " + total + " 户均被排除（" + reasons.entrySet().stream()
                        .map(r -> r.getKey() + " " + r.getValue() + " 户").collect(Collectors.joining("、")) + "）";
                errors.add(new FieldError(null, "items", item.code(), "事项 " + item.code() + "（" + item.name() + "）没有可抽查的对象：" + why));
            }
        }
        if (!errors.isEmpty()) {
            throw unmeetable("有抽查事项在所选范围内没有可抽查的对象，计划未生成；请调整事项或范围", errors);
        }
        return new CandidateList(cands.usccs(), strata);
    }

    private static String applicability(PlanSpec.ItemSnapshot item) {
        if (item.categories().isEmpty() && item.keyUnitTypes().isEmpty()) return "全部商户";
        List<String> parts = new ArrayList<>();
        item.categories().forEach(c -> parts.add(c.label()));
        item.keyUnitTypes().forEach(k -> parts.add(k.label()));
        return String.join("、", parts);
    }

    /** The drawn merchants' squads, contact persons and previous inspectors, and the pools' inspectors as they are now. */
    private MatchInputs matchInputs(PlanSpec spec, List<PlannedVisit> visits, CandidateReader.Candidates cands) {
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
                                sorted(json.readValue(rs.getString(6), STRINGS)), sorted(json.readValue(rs.getString(7), STRINGS)),
                                sorted(json.readValue(rs.getString(8), STRINGS))));
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

    private ProblemException shortfall(Matching.Result result, MatchInputs inputs) {
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
        return unmeetable(detail, errors);
    }

    private String squadName(String code) {
        Squad s = refs.squad(code);
        return s == null ? code : s.name;
    }

    private List<PlanSummary.Warning> warnings(PlanComputation.Drawn drawn, PlanComputation.Staffed staffed, PlanSpec spec) {
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

    private byte[] toJson(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(Object o) {
        return new String(toJson(o), java.nio.charset.StandardCharsets.UTF_8);
    }

    private Stored store(PlanSpec spec, Commit commit, CapacityService.Report capacityReport, LocalDate today, String rulesVersion, List<PlanSummary.StratumCount> strata,
                         List<PlanSummary.ExclusionCount> exclusions, PlanComputation.Staffed staffed, List<PlanSummary.Warning> warnings,
                         byte[] candidates, byte[] inputsJson, PlanView.Digests digests, List<PlannedVisit> visits, MatchInputs inputs,
                         int merchants, Instant createdAt, Actor actor) {
        Map<String, Long> merchantIds = new HashMap<>();
        for (MatchInputs.MerchantInfo m : inputs.merchants()) merchantIds.put(m.uscc(), m.merchantId());
        List<PlanStore.VisitRow> rows = new ArrayList<>(visits.size());
        for (PlannedVisit v : visits) {
            Matching.Assignment a = staffed.matching().assignments().get(v.visitNo());
            rows.add(new PlanStore.VisitRow(v.visitNo(), merchantIds.get(v.uscc()), v.uscc(), a.squad(), v.windowStart(), v.windowEnd(),
                    v.week() == null ? null : v.week() + 1, v.items(), v.strata(), a.inspectorIds()));
        }
        Committed record = committed(spec, commit, capacityReport, today, rulesVersion, strata, exclusions, staffed, warnings, inputsJson, digests,
                visits.size(), merchants, createdAt, actor);
        return JdbcTransaction.run(dataSource, "storing the plan", c -> {
            requireNoNewOverlap(c, spec, commit);
            long id = PlanStore.nextPlanId(c);
            try (PreparedStatement ps = c.prepareStatement("insert into inspection_plan (id, name, edition, items, scope, period_start, "
                    + "period_end, weeks, evaluation_date, seed, seed_generated, seed_commitment, inspector_squads, inspectors_per_visit, "
                    + "sampling_rules_version, strata, exclusions, candidates, candidates_sha256, match_inputs, draw_sha256, inputs_sha256, "
                    + "result_sha256, visit_count, merchant_count, pools, warnings, created_by, created_at, status, overlap_reason, overlapping_plans, "
                    + "capacity, capacity_reason, record_sha256) values (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, "
                    + "?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, 'ACTIVE', ?, ?::jsonb, "
                    + "?::jsonb, ?, ?)")) {
                int p = 1;
                ps.setLong(p++, id);
                ps.setString(p++, spec.name());
                ps.setInt(p++, spec.edition());
                ps.setString(p++, text(spec.items()));
                ps.setString(p++, text(spec.scope()));
                ps.setObject(p++, spec.periodStart());
                ps.setObject(p++, spec.periodEnd());
                ps.setInt(p++, spec.weeks());
                ps.setObject(p++, today);
                ps.setString(p++, spec.seedHex());
                ps.setBoolean(p++, spec.seedGenerated());
                ps.setString(p++, PlanComputation.seedCommitment(spec.seedHex()));
                ps.setString(p++, spec.crossPoolSquads() == null ? null : text(spec.crossPoolSquads()));
                ps.setInt(p++, spec.perVisit());
                ps.setString(p++, rulesVersion);
                ps.setString(p++, text(strata));
                ps.setString(p++, text(exclusions));
                ps.setBytes(p++, candidates);
                ps.setString(p++, digests.candidates());
                ps.setBytes(p++, gzip(inputsJson));
                ps.setString(p++, digests.draw());
                ps.setString(p++, digests.inputs());
                ps.setString(p++, digests.result());
                ps.setInt(p++, visits.size());
                ps.setInt(p++, merchants);
                ps.setString(p++, text(staffed.matching().pools()));
                ps.setString(p++, text(warnings));
                ps.setString(p++, actor.username());
                ps.setTimestamp(p++, java.sql.Timestamp.from(createdAt));
                ps.setString(p++, commit.overlapReason());
                ps.setString(p++, text(commit.overlaps()));
                ps.setString(p++, text(capacityReport));
                ps.setString(p++, commit.capacityReason());
                ps.setString(p++, record.recordSha256);
                ps.executeUpdate();
            }
            PlanStore.copyVisits(c, id, rows);
            PlanRegister.append(c, id, PlanRegister.Kind.CREATED, actor.username(), createdAt,
                    registerBody(spec, commit, today, rulesVersion, strata, record, createdAt));
            return new Stored(id, record.recordSha256);
        });
    }

    /**
     * Plans are stored one at a time (a transaction-scoped lock), and the overlap check is repeated under
     * that lock: a plan created meanwhile, which the first check could not see, is found now. A new overlap
     * refuses the plan (409 naming it), with or without a reason given for the overlaps known before,
     * so that two plans drawn at the same moment can never both pass unseen.
     */
    private void requireNoNewOverlap(Connection c, PlanSpec spec, Commit commit) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('inspection-plan-store'))")) {
            lock.execute();
        }
        List<PlanOverlaps.Overlap> now = overlapsFinder.find(spec);
        if (now.stream().anyMatch(o -> !commit.overlaps().contains(o.planId()))) throw PlanOverlaps.refusal(now);
    }

    /** The digests of every recorded field (as verify will recompute them from the stored row) and the record hash. */
    record Committed(Map<String, String> fields, String recordSha256) {
    }

    private Committed committed(PlanSpec spec, Commit commit, CapacityService.Report capacityReport, LocalDate today, String rulesVersion, List<PlanSummary.StratumCount> strata,
                                List<PlanSummary.ExclusionCount> exclusions, PlanComputation.Staffed staffed, List<PlanSummary.Warning> warnings,
                                byte[] inputsJson, PlanView.Digests digests, int visits, int merchants, Instant createdAt, Actor actor) {
        PlanRecord r = new PlanRecord(spec.name(), spec.edition(), text(spec.items()), text(spec.scope()), spec.periodStart(), spec.periodEnd(),
                spec.weeks(), today, spec.seedHex(), PlanComputation.seedCommitment(spec.seedHex()), spec.seedGenerated(),
                spec.crossPoolSquads() == null ? null : text(spec.crossPoolSquads()), spec.perVisit(), rulesVersion, text(strata),
                text(exclusions), digests.candidates(), digests.candidates(), CandidateList.sha256(inputsJson), digests.inputs(), digests.draw(),
                digests.result(), visits, merchants, text(staffed.matching().pools()), text(warnings), commit.overlapReason(),
                text(commit.overlaps()), text(capacityReport), commit.capacityReason(), actor.username(), createdAt);
        Map<String, String> fields = r.digests();
        return new Committed(fields, PlanRecord.recordSha256(fields));
    }

    /** The register entry of a new plan: what the public sees at once, with the commitments. */
    static com.fasterxml.jackson.databind.node.ObjectNode registerBody(PlanSpec spec, Commit commit, LocalDate today, String rulesVersion,
                                                                      List<PlanSummary.StratumCount> strata, Committed record, Instant createdAt) {
        com.fasterxml.jackson.databind.node.ObjectNode b = CanonicalJson.object();
        b.put("name", spec.name());
        b.put("edition", spec.edition());
        com.fasterxml.jackson.databind.node.ArrayNode items = b.putArray("items");
        for (PlanSpec.ItemSnapshot i : spec.items()) items.addObject().put("code", i.code()).put("name", i.name());
        com.fasterxml.jackson.databind.node.ObjectNode scope = b.putObject("scope");
        spec.scope().streets().forEach(scope.putArray("streets")::add);
        com.fasterxml.jackson.databind.node.ArrayNode cats = scope.putArray("categories");
        spec.scope().categories().forEach(c -> cats.add(c.name()));
        scope.put("keyUnitsOnly", spec.scope().keyUnitsOnly());
        scope.put("targetedListSize", spec.scope().usccs().size());
        b.put("periodStart", spec.periodStart().toString());
        b.put("periodEnd", spec.periodEnd().toString());
        b.put("weeks", spec.weeks());
        b.put("evaluationDate", today.toString());
        b.put("samplingRulesVersion", rulesVersion);
        b.put("inspectorsPerVisit", spec.perVisit());
        if (spec.crossPoolSquads() != null) spec.crossPoolSquads().forEach(b.putArray("inspectorSquads")::add);
        com.fasterxml.jackson.databind.node.ArrayNode st = b.putArray("strata");
        for (PlanSummary.StratumCount s : strata) {
            st.addObject().put("item", s.item()).put("stratum", s.stratum()).put("percent", s.percent()).put("weekly", s.weekly())
                    .put("candidates", s.candidates()).put("drawn", s.drawn());
        }
        b.put("seedCommitment", PlanComputation.seedCommitment(spec.seedHex()));
        b.put("recordSha256", record.recordSha256());
        com.fasterxml.jackson.databind.node.ObjectNode fields = b.putObject("fields");
        record.fields().forEach(fields::put);
        if (commit.overlapReason() != null) b.put("overlapReason", commit.overlapReason());
        if (!commit.overlaps().isEmpty()) commit.overlaps().forEach(b.putArray("overlaps")::add);
        if (commit.capacityReason() != null) b.put("capacityReason", commit.capacityReason());
        b.put("createdAt", createdAt.toString());
        return b;
    }

    public static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 4 + 64);
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gunzip(byte[] bytes) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    PlanView.ScopeView scopeView(PlanSpec.ScopeSpec scope) {
        return new PlanView.ScopeView(scope.streets().stream().map(s -> new PlanView.Code(s, refs.streetName(s))).toList(),
                scope.categories(), scope.keyUnitsOnly(), scope.usccs().size());
    }
}
