package cn.urbanmgmt.risk.bench;

import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.grading.engine.Evaluator;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped default policy (rules/grading) written by hand in Java: the benchmark's baseline for
 * "the engine must not be the bottleneck". Same points, floors, reasons and matched events as the
 * DRL (checked by {@link HandWrittenPolicyParityTest}), so both pipelines do the same work.
 */
public final class HandWrittenPolicy implements Evaluator {

    @Override
    public String version() {
        return "hand-written-baseline";
    }

    /** The windows of the policy below, written by hand like the rest of it (the DRL's are derived from its text). */
    private static final cn.urbanmgmt.risk.grading.engine.AgeWindows WINDOWS = cn.urbanmgmt.risk.grading.engine.AgeWindows.of(
            cn.urbanmgmt.risk.grading.engine.LookBack.DEFAULT_DAYS,
            Map.of(CaseFact.class, java.util.Set.of(181, 366), ComplaintFact.class, java.util.Set.of(366), InspectionFact.class, java.util.Set.of(366),
                    DetectionFact.class, java.util.Set.of(91)), java.util.Set.of());

    @Override
    public cn.urbanmgmt.risk.grading.engine.AgeWindows ageWindows() {
        return WINDOWS;
    }

    @Override
    public Assessment evaluate(MerchantFacts facts) {
        Assessment a = new Assessment();
        MerchantFact m = facts.merchant();
        a.beginRule("等级分数线：40 分黄色、70 分红色", List.of());
        a.setThresholds(40, 70);
        if (m.getCategory() == MerchantCategory.ENTERTAINMENT || m.getCategory() == MerchantCategory.MARKET) {
            rule(a, "高风险行业：娱乐场所、集贸市场").addPoints(10, "行业为娱乐场所或集贸市场（高风险行业）");
        }
        switch (m.getCategory()) {
            case CATERING, HOTEL, MEDICAL, TRANSPORT_HUB -> rule(a, "较高风险行业：餐饮、住宿、医疗、交通枢纽")
                    .addPoints(5, "行业为餐饮、住宿、医疗或交通枢纽（较高风险行业）");
            default -> { }
        }
        if (m.isKeyUnit()) rule(a, "垃圾分类重点单位").addPoints(5, "垃圾分类重点单位");

        Map<String, List<Long>> complaintsByCategory = new LinkedHashMap<>();
        List<Long> recentDetections = new ArrayList<>();
        for (EventFact e : facts.events()) {
            if (e instanceof CaseFact c && c.getDaysAgo() <= 365) {
                if (c.getSeverity() == Severity.SERIOUS) {
                    rule(a, "一年内的严重案件", e).addPoints(40, "一年内有严重违法案件（案号 " + c.getCaseNo() + "）");
                    if (c.getDaysAgo() <= 180) {
                        rule(a, "半年内的严重案件至少黄色", e).floor(Grade.YELLOW, "半年内有严重违法案件（案号 " + c.getCaseNo() + "），至少定为黄色");
                    }
                } else if (c.getSeverity() == Severity.ORDINARY) {
                    rule(a, "一年内的一般案件", e).addPoints(20, "一年内有一般违法案件（案号 " + c.getCaseNo() + "）");
                } else {
                    rule(a, "一年内的轻微案件", e).addPoints(8, "一年内有轻微违法案件（案号 " + c.getCaseNo() + "）");
                }
            } else if (e instanceof ComplaintFact c && c.getDaysAgo() <= 365 && !c.isUnfounded()) {
                if (c.isFoundTrue()) rule(a, "一年内属实的投诉", e).addPoints(6, "一年内有经核实属实的投诉（" + c.getCategory() + "）");
                complaintsByCategory.computeIfAbsent(c.getCategory(), k -> new ArrayList<>()).add(c.getEventId());
            } else if (e instanceof InspectionFact i && i.getDaysAgo() <= 365) {
                InspectionOutcome o = i.getOutcome();
                if (o == InspectionOutcome.CASE_OPENED) rule(a, "一年内检查后立案查处", e).addPoints(25, "一年内检查发现问题并立案查处（检查事项 " + i.getItemCode() + "）");
                if (o == InspectionOutcome.ORDERED_TO_RECTIFY) rule(a, "一年内检查后责令限期整改", e).addPoints(15, "一年内检查发现问题被责令限期整改（检查事项 " + i.getItemCode() + "）");
                if (o == InspectionOutcome.RECTIFIED_ON_SPOT) rule(a, "一年内检查发现问题当场整改", e).addPoints(5, "一年内检查发现问题并当场整改（检查事项 " + i.getItemCode() + "）");
                if (o == InspectionOutcome.NOT_FOUND) rule(a, "一年内检查时未找到商户", e).addPoints(10, "一年内检查时未找到商户（可能已停业或搬迁未登记）");
                if (i.isScored() && i.getScore() < 60) rule(a, "一年内检查得分低于 60 分", e).addPoints(15, "一年内检查得分 " + i.getScore() + " 分，低于 60 分");
                for (Deduction d : i.getDeductions()) {
                    if (d.points() >= 10) rule(a, "一年内检查有单项扣 10 分及以上", e).addPoints(5, "一年内检查扣分项 " + d.code() + " 扣 " + d.points() + " 分");
                }
            } else if (e instanceof DetectionFact d && d.getDaysAgo() <= 90) {
                rule(a, "近 90 天非现场执法发现问题", e).addPoints(4, "近 90 天被" + d.getSource().label() + "发现问题（" + d.getType() + "）");
                recentDetections.add(d.getEventId());
            } else if (e instanceof CreditFact listed && listed.getAction() == CreditAction.LISTED) {
                boolean lifted = facts.events().stream().anyMatch(x -> x instanceof CreditFact l && l.getEventId() != listed.getEventId()
                        && (l.getAction() == CreditAction.DELISTED || l.getAction() == CreditAction.REPAIRED) && l.getDaysAgo() <= listed.getDaysAgo());
                if (!lifted) rule(a, "严重失信直接定为红色", e).floor(Grade.RED, "列入严重失信名单（" + listed.getOccurredOn() + "），信用修复或移出名单前直接定为红色");
            }
        }
        complaintsByCategory.forEach((category, ids) -> {
            if (ids.size() >= 5) {
                a.beginRule("同一问题一年内重复投诉 5 次及以上", ids.stream().sorted().toList());
                a.addPoints(20, "同一问题（" + category + "）一年内被重复投诉 " + ids.size() + " 次");
            }
        });
        if (recentDetections.size() >= 3) {
            a.beginRule("近 90 天非现场执法发现 3 次及以上", recentDetections.stream().sorted().toList());
            a.addPoints(10, "近 90 天被非现场执法发现问题 " + recentDetections.size() + " 次");
        }
        return a;
    }

    private static Assessment rule(Assessment a, String name, EventFact... events) {
        a.beginRule(name, events.length == 0 ? List.of() : List.of(events[0].getEventId()));
        return a;
    }
}
