package cn.urbanmgmt.risk.inspection.items;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One check point of an item's checklist (检查要点): its code (the item's code, a dash and a number,
 * e.g. GS-01-03), what is checked (zh-CN) and the most points a finding against it may deduct. The
 * result form offers them as the deduction codes; a result's deduction must name one of them when the
 * item has a checklist.
 *
 * <p>In files and on the console the checklist is text, one check point a line:
 * {@code 代码：内容：最高扣分} (full-width or ASCII colons; the content may itself hold colons).
 */
@Schema(description = "检查要点：代码（事项代码-两位序号，如 GS-01-03）、检查内容、最高扣分（0–100）")
public record CheckPoint(
        @Schema(description = "代码，如 GS-01-03") String code,
        @Schema(description = "检查内容（中文），最长 200 字") String text,
        @Schema(description = "最高扣分 0–100") BigDecimal maxPoints) {

    public static final int MAX_POINTS_PER_ITEM = 50;
    public static final String FIELD = "checklist";

    CheckPoint normalise() {
        return new CheckPoint(code == null ? null : code.strip().toUpperCase(Locale.ROOT), text == null ? null : text.strip(), maxPoints);
    }

    /** The line of the text form: 代码：内容：最高扣分. */
    public String line() {
        return code + "：" + text + "：" + (maxPoints == null ? "" : maxPoints.stripTrailingZeros().toPlainString());
    }

    /** How the select of the result form shows it. */
    public String label() {
        return code + " " + text + "（最多扣 " + maxPoints.stripTrailingZeros().toPlainString() + " 分）";
    }

    /** The checklist as text, one check point a line. */
    public static String format(List<CheckPoint> points) {
        return points == null ? "" : String.join("\n", points.stream().map(CheckPoint::line).toList());
    }

    /**
     * Reads the text form (blank lines ignored); a line it cannot read adds an error on {@code checklist}.
     * Null text: null (unchanged).
     */
    public static List<CheckPoint> parse(String textForm, Integer line, List<FieldError> errors) {
        if (textForm == null) return null;
        List<CheckPoint> out = new ArrayList<>();
        String[] lines = textForm.split("\\r?\\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) continue;
            String s = l.replace('：', ':');
            int first = s.indexOf(':');
            int last = s.lastIndexOf(':');
            if (first < 0 || first == last) {
                errors.add(new FieldError(line, FIELD, l, "检查要点第 " + (out.size() + 1) + " 条“" + l + "”应写成“代码：内容：最高扣分”，如“GS-01-01：未按规定设置分类收集容器：5”"));
                continue;
            }
            BigDecimal max;
            try {
                max = new BigDecimal(s.substring(last + 1).strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(line, FIELD, l, "检查要点第 " + (out.size() + 1) + " 条的最高扣分“" + s.substring(last + 1).strip() + "”应为 0 到 100 之间的数字"));
                continue;
            }
            out.add(new CheckPoint(s.substring(0, first).strip(), l.substring(first + 1, last).strip(), max));
        }
        return out;
    }

    /** Checks a normalised checklist of item {@code itemCode}: codes {@code <item>-NN}, unique; text; points 0–100. */
    public static void check(String itemCode, List<CheckPoint> points, Integer line, List<FieldError> errors) {
        if (points == null) return;
        if (points.size() > MAX_POINTS_PER_ITEM) {
            errors.add(new FieldError(line, FIELD, null, "一个事项最多 " + MAX_POINTS_PER_ITEM + " 条检查要点"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < points.size(); i++) {
            CheckPoint p = points.get(i);
            String which = "检查要点第 " + (i + 1) + " 条";
            if (p == null) {
                errors.add(new FieldError(line, FIELD, null, which + "不能为空"));
                continue;
            }
            if (p.code() == null || p.code().isEmpty()) {
                errors.add(new FieldError(line, FIELD, null, which + "缺少代码"));
            } else if (itemCode != null && !p.code().matches(java.util.regex.Pattern.quote(itemCode) + "-[0-9]{2,3}")) {
                errors.add(new FieldError(line, FIELD, p.code(), which + "的代码 " + p.code() + " 应为事项代码加两位序号，如 " + itemCode + "-0" + Math.min(i + 1, 9)));
            } else if (!seen.add(p.code())) {
                errors.add(new FieldError(line, FIELD, p.code(), which + "的代码 " + p.code() + " 重复"));
            }
            if (p.text() == null || p.text().isEmpty()) errors.add(new FieldError(line, FIELD, p.code(), which + "缺少检查内容"));
            else if (p.text().length() > 200) errors.add(new FieldError(line, FIELD, p.code(), which + "的检查内容不能超过 200 字"));
            if (p.maxPoints() == null || p.maxPoints().signum() < 0 || p.maxPoints().compareTo(BigDecimal.valueOf(100)) > 0) {
                errors.add(new FieldError(line, FIELD, p.code(), which + "的最高扣分应在 0 到 100 之间"));
            }
        }
    }
}
