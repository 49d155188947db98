package cn.urbanmgmt.risk.inspection.results;

import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The outcome of a visit: one result per item of the visit, and who was actually there. */
@Schema(description = "检查结果：检查日期、实际到场的检查人员，以及本次检查的每个事项的结果")
public record ResultInput(
        @Schema(description = "检查日期（yyyy-MM-dd），不填为今天") LocalDate inspectedOn,
        @Schema(description = "每个事项一条结果，须覆盖本次检查的全部事项") List<ItemResult> results,
        @Schema(description = "实际到场的检查人员的执法证号（须为本任务指派的人员，至少 2 名）；不填表示指派的人员均到场")
        List<String> presentInspectors) {

    public ResultInput(LocalDate inspectedOn, List<ItemResult> results) {
        this(inspectedOn, results, null);
    }

    @Schema(description = "一个事项的检查结果")
    public record ItemResult(
            @Schema(description = "事项代码") String itemCode,
            @Schema(description = "检查结果") InspectionOutcome outcome,
            @Schema(description = "检查发现的问题（文字），最长 2000 字") String findings,
            @Schema(description = "检查得分 0-100，可不填") BigDecimal score,
            @Schema(description = "扣分项（检查表中不符合的条目）：代码（如 GS-01-03）和扣分 0-100，评级规则据此判断；可不填")
            List<EventInput.DeductionInput> deductions) {

        public ItemResult(String itemCode, InspectionOutcome outcome, String findings, BigDecimal score) {
            this(itemCode, outcome, findings, score, null);
        }
    }
}
