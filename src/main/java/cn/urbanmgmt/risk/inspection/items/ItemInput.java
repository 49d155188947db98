package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An inspection item as planners send it (API or one import row). */
@Schema(description = "随机抽查事项")
public record ItemInput(
        @NotNull(message = "年度版本不能为空") @Min(value = 2000, message = "年度版本应在 2000 到 2100 之间")
        @Max(value = 2100, message = "年度版本应在 2000 到 2100 之间") @Schema(description = "年度版本，如 2021") Integer edition,
        @NotBlank(message = "事项代码不能为空") @Pattern(regexp = "[A-Z0-9][A-Z0-9-]{0,31}", message = "事项代码只能由大写字母、数字和短横线组成，最长 32 位")
        @Schema(description = "事项代码，如 GS-01") String code,
        @NotBlank(message = "事项名称不能为空") @Size(max = 200, message = "事项名称不能超过 200 个字符") String name,
        @NotBlank(message = "法律依据不能为空") @Size(max = 2000, message = "法律依据不能超过 2000 个字符") String legalBasis,
        @Schema(description = "适用的行业类别；与适用重点单位类型都为空时适用于全部商户") List<MerchantCategory> categories,
        @Schema(description = "适用的垃圾分类重点单位类型") List<KeyUnitType> keyUnitTypes,
        @NotNull(message = "检查方式不能为空") InspectionMode mode,
        @NotBlank(message = "抽查政策不能为空") @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}", message = "抽查政策应为大写字母、数字和下划线组成的名称，如 RISK_BASED")
        @Schema(description = "抽查规则（rules/sampling）中的政策名：RISK_BASED 按风险等级抽查，KEY_UNIT_WEEKLY 重点单位每周抽查") String samplingPolicy,
        @Size(max = 1000, message = "说明不能超过 1000 个字符") String description,
        @Schema(description = "是否启用，默认启用") Boolean active,
        @Schema(description = "修改时带上读取到的版本号，防止覆盖他人的修改") Integer version,
        @Schema(description = "检查要点（检查表）：登记结果时扣分项须从中选择；不填表示不改（新增时为空），空列表表示清空") List<CheckPoint> checklist) {

    public ItemInput(Integer edition, String code, String name, String legalBasis, List<MerchantCategory> categories,
                     List<KeyUnitType> keyUnitTypes, InspectionMode mode, String samplingPolicy, String description, Boolean active,
                     Integer version) {
        this(edition, code, name, legalBasis, categories, keyUnitTypes, mode, samplingPolicy, description, active, version, null);
    }

    public ItemInput normalise() {
        return new ItemInput(edition, code == null ? null : code.strip().toUpperCase(java.util.Locale.ROOT), strip(name), strip(legalBasis),
                categories == null ? List.of() : categories.stream().distinct().toList(),
                keyUnitTypes == null ? List.of() : keyUnitTypes.stream().distinct().toList(), mode,
                samplingPolicy == null ? null : samplingPolicy.strip().toUpperCase(java.util.Locale.ROOT), strip(description), active, version,
                checklist == null ? null : checklist.stream().map(p -> p == null ? null : p.normalise()).toList());
    }

    private static String strip(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
