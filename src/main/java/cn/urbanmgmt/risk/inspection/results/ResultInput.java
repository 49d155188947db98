package cn.urbanmgmt.risk.inspection.results;

import cn.urbanmgmt.risk.events.InspectionOutcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The outcome of a visit: one result per item of the visit. */
@Schema(description = "检查结果：检查日期，以及本次检查的每个事项的结果")
public record ResultInput(
        @Schema(description = "检查日期（yyyy-MM-dd），不填为今天") LocalDate inspectedOn,
        @Schema(description = "每个事项一条结果，须覆盖本次检查的全部事项") List<ItemResult> results) {

    @Schema(description = "一个事项的检查结果")
    public record ItemResult(
            @Schema(description = "事项代码") String itemCode,
            @Schema(description = "检查结果") InspectionOutcome outcome,
            @Schema(description = "检查发现的问题（文字），最长 2000 字") String findings,
            @Schema(description = "检查得分 0-100，可不填") BigDecimal score) {
    }
}
