package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.registry.MerchantCategory;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a planner asks for; checked by {@link PlanService}, which names every field at fault. */
@Schema(description = "抽查计划")
public record PlanInput(
        @Schema(description = "计划名称，如“2026年12月双随机抽查”") String name,
        @Schema(description = "事项清单年度版本；不填用包含所选事项的最新版本") Integer edition,
        @Schema(description = "抽查事项代码（至少一项）") List<String> items,
        @Schema(description = "抽查范围；不填为全区") Scope scope,
        @Schema(description = "检查期开始日期") LocalDate periodStart,
        @Schema(description = "检查期结束日期（含），最长 366 天") LocalDate periodEnd,
        @Schema(description = "随机种子：64 位十六进制（256 位），只用于预演（dryRun=true）和复算；正式计划的种子一律由系统用安全随机数生成，"
                + "生成时即在公示登记册上公布其承诺值（SHA-256）") String seed,
        @Schema(description = "跨中队人员池：这些中队的人员一起承担全部检查；不填则每户由其所在街镇的中队承担") List<String> inspectorSquads,
        @Schema(description = "每户检查人数，2 到 5，默认 2") Integer inspectorsPerVisit,
        @Schema(description = "与已有计划（相同事项、范围有交集、检查期重叠）重叠时的理由；不填则重叠的计划被拒绝。理由与重叠的计划在公示登记册上公开")
        String overlapReason,
        @Schema(description = "所需检查力量超出某中队某周的能力时，接受超出的理由；不填则超出的计划被拒绝。理由记录在计划上并公开")
        String capacityReason) {

    /** A request without the two reasons (previews and simulations). */
    public PlanInput(String name, Integer edition, List<String> items, Scope scope, LocalDate periodStart, LocalDate periodEnd, String seed,
                     List<String> inspectorSquads, Integer inspectorsPerVisit) {
        this(name, edition, items, scope, periodStart, periodEnd, seed, inspectorSquads, inspectorsPerVisit, null, null);
    }

    @Schema(description = "抽查范围：各条件同时满足")
    public record Scope(
            @Schema(description = "街镇代码或名称；不填为全部街镇") List<String> streets,
            @Schema(description = "行业类别；不填为全部行业") List<MerchantCategory> categories,
            @Schema(description = "只抽查垃圾分类重点单位") Boolean keyUnitsOnly,
            @Schema(description = "定向名单：只在这些统一社会信用代码的商户中抽查") List<String> usccs) {
    }
}
