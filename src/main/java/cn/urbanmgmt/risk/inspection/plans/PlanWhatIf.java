package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.plans.PlanAssembly.DrawPhase;
import cn.urbanmgmt.risk.inspection.plans.PlanService.CapacityPreview;
import cn.urbanmgmt.risk.inspection.plans.PlanService.Scenario;
import cn.urbanmgmt.risk.inspection.plans.PlanService.Variant;
import cn.urbanmgmt.risk.inspection.plans.PlanService.WhatIf;
import cn.urbanmgmt.risk.inspection.plans.PlanService.WhatIfRequest;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.sampling.SamplingEngine;
import cn.urbanmgmt.risk.inspection.sampling.SamplingRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The what-if: the plan as asked and its variants (other proportions, another period) drawn as a preview
 * draws, with their strata and capacity; and the capacity preview of the sampling-rule simulation. Nothing
 * is stored.
 */
@ApplicationScoped
public class PlanWhatIf {

    @Inject
    SamplingEngine sampling;

    @Inject
    PlanRequests requests;

    @Inject
    PlanAssembly assembly;

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
            base = requests.resolvePlan(req.plan(), today, true).spec();
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
                    spec = requests.resolvePlan(changed, today, true).spec();
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
        DrawPhase phase = assembly.drawPhase(spec, today, rules, new LinkedHashMap<>(), percents, false);
        List<PlanSummary.StratumCount> strata = PlanAssembly.strata(phase.drawn());
        CapacityService.Report report = assembly.capacityOf(spec, phase);
        List<String> compared = base == null ? new ArrayList<>() : CapacityService.compare(label, base.capacity(), report);
        int merchants = PlanAssembly.merchants(phase.drawn().visits());
        return new Scenario(label, spec.periodStart(), spec.periodEnd(), phase.drawn().visits().size(), merchants, strata, report, compared);
    }

    /**
     * Capacity per squad and week of the plan {@code spec} would give with {@code rules}, drawn as a
     * preview draws (the spec's seed, the candidates as of {@code date}); nothing is stored. Used by the
     * sampling-rule simulation to compare the active and the candidate version.
     */
    public CapacityPreview capacityPreview(PlanSpec spec, LocalDate date, SamplingRules rules) {
        DrawPhase phase = assembly.drawPhase(spec, date, rules, new LinkedHashMap<>(), Map.of(), false);
        return new CapacityPreview(phase.drawn().visits().size(), assembly.capacityOf(spec, phase));
    }
}
