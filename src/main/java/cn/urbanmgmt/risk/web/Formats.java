package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.GradeQueryService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.jobs.Job;
import io.quarkus.qute.TemplateExtension;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** Template helpers: times in Shanghai local time, counts and shares, zh-CN names of codes. */
@TemplateExtension
public class Formats {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    static String fmt(OffsetDateTime t) {
        return t == null ? "" : t.atZoneSameInstant(EventService.ZONE).format(MINUTES);
    }

    static String thousands(Number n) {
        return n == null ? "" : String.format("%,d", n.longValue());
    }

    static String percent(Number share) {
        return share == null ? "" : String.format("%.2f%%", share.doubleValue());
    }

    /** "RED" -> 红色（高风险）. */
    static String gradeName(String grade) {
        if (grade == null) return "未评级";
        try {
            return GradeQueryService.gradeName(Grade.valueOf(grade));
        } catch (IllegalArgumentException e) {
            return grade;
        }
    }

    static String gradeName(Grade grade) {
        return grade == null ? "未评级" : GradeQueryService.gradeName(grade);
    }

    static String statusName(Job.Status status) {
        return switch (status) {
            case RUNNING -> "进行中";
            case DONE -> "已完成";
            case FAILED -> "失败";
            case CANCELLED -> "已取消";
        };
    }

    static String jobTypeName(String type) {
        return switch (type) {
            case "REGRADE" -> "全量重新评级";
            case "SIMULATION" -> "规则模拟";
            case "SAMPLING_SIMULATION" -> "抽查规则模拟";
            case "BACKTEST" -> "规则回测";
            default -> type;
        };
    }

    /** A fraction as a percentage with one decimal: 0.256 -> 25.6%. */
    static String pct(Double fraction) {
        return fraction == null ? "—" : String.format("%.1f%%", fraction * 100);
    }

    /** A ratio with two decimals (lift, observed / expected). */
    static String ratio(Double r) {
        return r == null ? "—" : String.format("%.2f", r);
    }

    /** An event's source system by its zh-CN name: "case-system" -> 执法办案系统. */
    static String sourceName(String source) {
        return cn.urbanmgmt.risk.events.EventSources.name(source);
    }

    /** A role code by its zh-CN name: "PLANNER" -> 抽查计划员. */
    static String roleName(String role) {
        cn.urbanmgmt.risk.security.Role r = cn.urbanmgmt.risk.common.Labelled.parse(cn.urbanmgmt.risk.security.Role.class, role);
        return r == null ? role : r.label();
    }

    /** First 12 characters of a rule-set hash, as the service logs it. */
    static String shortHash(String hash) {
        return hash == null ? "" : hash.substring(0, Math.min(12, hash.length()));
    }
}
