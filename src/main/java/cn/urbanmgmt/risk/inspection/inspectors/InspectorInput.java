package cn.urbanmgmt.risk.inspection.inspectors;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An inspector as planners send it (API or one import row). */
@Schema(description = "执法检查人员")
public record InspectorInput(
        @NotBlank(message = "执法证号不能为空") @Pattern(regexp = "[A-Z0-9][A-Z0-9-]{1,31}", message = "执法证号只能由大写字母、数字和短横线组成，2 到 32 位")
        String badgeNo,
        @NotBlank(message = "姓名不能为空") @Size(max = 100, message = "姓名不能超过 100 个字符") String name,
        @NotBlank(message = "所属中队不能为空") @Schema(description = "中队代码（如 sq-jingansi）或名称") String squad,
        @Schema(description = "是否在岗可派，默认是") Boolean active,
        @Schema(description = "具备检查资格的事项代码") List<@NotBlank String> qualifiedItems,
        @Schema(description = "须回避的商户（统一社会信用代码）") List<@NotBlank String> conflictUsccs,
        @Schema(description = "须回避的人员姓名（与商户联系人姓名比对）") List<@NotBlank @Size(max = 100) String> conflictPersons,
        @Schema(description = "修改时带上读取到的版本号") Integer version) {

    public InspectorInput normalise() {
        return new InspectorInput(badgeNo == null ? null : badgeNo.strip().toUpperCase(Locale.ROOT), strip(name), strip(squad), active,
                clean(qualifiedItems, true), clean(conflictUsccs, true), clean(conflictPersons, false), version);
    }

    private static List<String> clean(List<String> values, boolean upper) {
        if (values == null) return List.of();
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip)
                .map(v -> upper ? v.toUpperCase(Locale.ROOT) : v).distinct().toList();
    }

    private static String strip(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
