package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.inspection.inspectors.InspectorService;
import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.inspection.plans.PlanService.Commit;
import cn.urbanmgmt.risk.inspection.plans.PlanService.Resolved;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import cn.urbanmgmt.risk.registry.Street;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks plan requests: names every field at fault (zh-CN), resolves the items, streets, squads and the seed,
 * and for an executable plan finds the active plans it overlaps. Also makes the refusal of a plan that
 * cannot be met.
 */
@ApplicationScoped
public class PlanRequests {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The item list's editions are years (inspection_item.edition has the same check). */
    static final int MIN_EDITION = 2000;
    static final int MAX_EDITION = 2100;

    @Inject
    ReferenceData refs;

    @Inject
    InspectorService inspectors;

    @Inject
    PlanOverlaps overlapsFinder;

    /** Checks a request for a preview or a simulation: any seed, any period that has not ended, no overlap check. */
    public PlanSpec resolve(PlanInput in, LocalDate today) {
        return QuarkusTransaction.requiringNew().call(() -> resolveInTx(in, today, false, false)).spec();
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
            } else if (in.periodEnd().toEpochDay() - in.periodStart().toEpochDay() + 1 > PlanService.MAX_DAYS) {
                errors.add(new FieldError(null, "periodEnd", in.periodEnd().toString(), "检查期最长 " + PlanService.MAX_DAYS + " 天"));
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

    /** A refusal that names what cannot be met; the plan is not stored. */
    static ProblemException unmeetable(String detail, List<FieldError> errors) {
        return new ProblemException(Problem.of(422, "无法生成抽查计划", detail).withErrors(errors));
    }
}
