package cn.urbanmgmt.risk.inspection.results;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A proposed correction of a visit's recorded result: why, and the corrected result of the items it changes. */
@Schema(description = "检查结果更正：更正原因（必填），以及要更正的事项的结果（未列出的事项不变）；经另一名人员审批后才生效")
public record ResultCorrectionInput(
        @Schema(description = "更正原因，最长 1000 字；审批人据此判断，并记入审计日志") String reason,
        @Schema(description = "更正后的事项结果：事项代码、检查结果、检查发现、得分、扣分项") List<ResultInput.ItemResult> results) {
}
