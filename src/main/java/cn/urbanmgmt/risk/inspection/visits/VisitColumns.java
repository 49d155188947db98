package cn.urbanmgmt.risk.inspection.visits;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The zh-CN columns of a visit list exported for the field. */
public final class VisitColumns {

    private VisitColumns() {
    }

    public static List<String> headers() {
        return List.of("计划编号", "计划名称", "序号", "统一社会信用代码", "商户名称", "地址", "街镇", "负责中队", "检查期开始", "检查期结束",
                "周次", "检查事项", "抽取分层", "检查人员", "状态", "是否逾期", "完成时间");
    }

    public static List<Object> values(VisitView v) {
        return Arrays.asList(v.planId(), v.planName(), v.visitNo(), v.uscc(), v.merchantName(), v.address(), v.streetName(), v.squadName(),
                v.windowStart(), v.windowEnd(), v.week() == null ? "" : "第 " + v.week() + " 周",
                v.items().stream().map(i -> i.code() + " " + i.name()).collect(Collectors.joining("、")),
                String.join("、", v.strata()),
                v.inspectors().stream().map(i -> i.name() + "（" + i.badgeNo() + "）").collect(Collectors.joining("、")),
                "DONE".equals(v.status()) ? "已完成" : "待检查", v.overdue() ? "是" : "否",
                v.doneAt() == null ? "" : v.doneAt().toLocalDateTime().withNano(0).toString().replace('T', ' '));
    }
}
