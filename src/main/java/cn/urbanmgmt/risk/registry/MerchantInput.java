package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.ValidUscc;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a client sends to create or update a merchant, and what one import row becomes. */
@Schema(description = "商户登记信息")
public record MerchantInput(
        @ValidUscc @Schema(description = "统一社会信用代码（18 位，含校验位）", examples = "91310106MA1FY0AB1X") String uscc,
        @NotBlank(message = "名称不能为空") @Size(max = 200, message = "名称不能超过 200 个字符") String name,
        @NotBlank(message = "地址不能为空") @Size(max = 300, message = "地址不能超过 300 个字符") String address,
        @NotBlank(message = "街镇不能为空") @Schema(description = "街镇代码（如 jingansi）或名称（如 静安寺街道）") String street,
        @NotNull(message = "行业类别不能为空") MerchantCategory category,
        Boolean keyUnit,
        KeyUnitType keyUnitType,
        MerchantStatus status,
        @NotNull(message = "开业日期不能为空") @PastOrPresent(message = "开业日期不能晚于今天") LocalDate openedOn,
        @Size(max = 100, message = "联系人不能超过 100 个字符") String contactName,
        @Size(max = 40, message = "联系电话不能超过 40 个字符") String contactPhone,
        @DecimalMin(value = "-180", message = "经度应在 -180 到 180 之间") @DecimalMax(value = "180", message = "经度应在 -180 到 180 之间") BigDecimal longitude,
        @DecimalMin(value = "-90", message = "纬度应在 -90 到 90 之间") @DecimalMax(value = "90", message = "纬度应在 -90 到 90 之间") BigDecimal latitude,
        @Schema(description = "更新时可带上读取到的版本号，防止覆盖他人的修改") Integer version) {

    public boolean isKeyUnit() {
        return Boolean.TRUE.equals(keyUnit) || keyUnitType != null;
    }

    public MerchantStatus statusOrDefault() {
        return status == null ? MerchantStatus.OPERATING : status;
    }
}
