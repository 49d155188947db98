package cn.urbanmgmt.risk.events;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event as a source system sends it. Common fields first; the rest apply to one type each and
 * are checked by {@link EventService#check}. The merchant is named by {@code merchantId} or {@code uscc}.
 */
@Schema(description = "商户事件（案件、投诉、检查结果、信用记录、非现场执法发现）")
public record EventInput(
        @NotNull(message = "事件类型不能为空") EventType type,
        @NotBlank(message = "来源系统不能为空") @Size(max = 32, message = "来源系统不能超过 32 个字符")
        @Schema(description = "来源系统，如 case-system、12345、inspection") String source,
        @NotBlank(message = "来源编号不能为空") @Size(max = 64, message = "来源编号不能超过 64 个字符")
        @Schema(description = "事件在来源系统中的编号；同一来源同一编号只记录一次") String sourceId,
        @NotBlank(message = "发生时间不能为空") @Schema(description = "发生时间：yyyy-MM-dd 或 ISO 时间（如 2026-03-01T10:00:00+08:00）") String occurredAt,
        Long merchantId,
        String uscc,
        @Schema(description = "本事件更正的事件编号（本系统 id）") Long supersedesId,
        @Size(max = 64) @Schema(description = "本事件更正的事件在同一来源中的编号") String supersedesSourceId,
        // case
        @Size(max = 64, message = "案件编号不能超过 64 个字符") String caseNo,
        ViolationType violationType,
        Severity severity,
        @DecimalMin(value = "0", message = "罚款金额不能为负数") @DecimalMax(value = "9999999999", message = "罚款金额过大") BigDecimal fineYuan,
        Boolean fromComplaint,
        LocalDate closedOn,
        // complaint
        ComplaintChannel channel,
        @Size(max = 64, message = "投诉类别不能超过 64 个字符") String complaintCategory,
        @Schema(description = "是否属实：true 属实，false 不属实，不填表示尚未核实") Boolean verified,
        @Size(max = 64) String linkedCaseNo,
        // inspection
        @Size(max = 32, message = "检查事项代码不能超过 32 个字符") String itemCode,
        InspectionOutcome outcome,
        @DecimalMin(value = "0", message = "检查得分应在 0 到 100 之间") @DecimalMax(value = "100", message = "检查得分应在 0 到 100 之间") BigDecimal score,
        @Valid List<@NotNull DeductionInput> deductions,
        List<@NotBlank @Size(max = 64) String> inspectors,
        // credit
        CreditAction creditAction,
        // non-site detection
        DetectionSource detectionSource,
        @Size(max = 64, message = "发现类型不能超过 64 个字符") String detectionType,
        @Size(max = 200, message = "证据编号不能超过 200 个字符") String evidenceRef,
        @Size(max = 1000, message = "备注不能超过 1000 个字符") String note) {

    public record DeductionInput(
            @NotBlank(message = "扣分项代码不能为空") @Size(max = 32) String code,
            @NotNull(message = "扣分分值不能为空") @DecimalMin(value = "0", message = "扣分分值不能为负数") @DecimalMax(value = "100", message = "扣分分值不能超过 100") BigDecimal points) {
    }
}
