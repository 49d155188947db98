package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.inspection.plans.PlanQueries;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import io.quarkus.qute.TemplateExtension;
import java.util.List;
import java.util.stream.Collectors;

/** Template helpers of the inspection pages: zh-CN names of plan phases, sampling policies and visit states. */
@TemplateExtension
public class PlanFormats {

    static String phaseName(PlanQueries.Phase phase) {
        return switch (phase) {
            case NOT_STARTED -> "未开始";
            case IN_PROGRESS -> "检查期内";
            case ENDED -> "检查期已结束";
        };
    }

    /** The public notice carries the phase as text. */
    static String phaseName(String phase) {
        try {
            return phaseName(PlanQueries.Phase.valueOf(phase));
        } catch (IllegalArgumentException | NullPointerException e) {
            return phase;
        }
    }

    static String policyName(String policy) {
        if (policy == null) return "";
        return switch (policy) {
            case "RISK_BASED" -> "按风险分层抽取";
            case "KEY_UNIT_WEEKLY" -> "重点单位每周抽取";
            default -> policy;
        };
    }

    static String visitStatusName(String status) {
        return "DONE".equals(status) ? "已完成" : "PENDING".equals(status) ? "待检查" : status;
    }

    /** "张三（JA1001）、李四（JA1002）": what the merchant may be told about its inspectors. */
    static String officers(List<VisitView.InspectorRef> inspectors) {
        return inspectors.stream().map(i -> i.name() + "（" + i.badgeNo() + "）").collect(Collectors.joining("、"));
    }

    static String itemNames(List<VisitView.ItemRef> items) {
        return items.stream().map(i -> i.code() + " " + (i.name() == null ? "" : i.name())).collect(Collectors.joining("、"));
    }

    static String joined(List<?> values) {
        return values == null ? "" : values.stream().map(String::valueOf).collect(Collectors.joining("、"));
    }
}
