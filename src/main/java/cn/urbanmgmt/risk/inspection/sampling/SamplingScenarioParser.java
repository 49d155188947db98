package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.rules.ScenarioYaml;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads sampling scenario files. As for the grading scenarios: codes or zh-CN labels (餐饮, 关闭,
 * 红, 必查), defaults for what a scenario does not care about, and every mistake reported with file
 * and line.
 */
public final class SamplingScenarioParser extends ScenarioYaml<SamplingScenario> {

    private static final Set<String> MERCHANT_KEYS = merchantKeys("uscc", "grade", "score");
    private static final Set<String> ITEM_KEYS = Set.of("code", "samplingPolicy", "mode", "lastInspectedDaysAgo", "lastInspectedOn");
    private static final Set<String> PLAN_KEYS = Set.of("days");
    private static final Set<String> EXPECT_KEYS = Set.of("decision", "stratum", "percent", "weekly", "reason", "rules", "notRules");
    private static final Set<String> UNGRADED = Set.of("未评级", "无", "NONE", "UNGRADED", "none", "ungraded");

    private SamplingScenarioParser(String file, LocalDate today) {
        super(file, today, Set.of("item", "plan"));
    }

    /** Parses all scenario files (path to YAML text). */
    public static Parsed<SamplingScenario> parse(Map<String, String> files) {
        return parseAll(files, SamplingScenarioParser::new);
    }

    @Override
    protected SamplingScenario scenario(Heading h, Map<String, Node> m, Node node) {
        SamplingCandidate candidate = candidate(m.get("merchant"), m.get("item"), m.get("plan"), h.date());
        SamplingScenario.Expectation expect = expectation(m.get("expect"), node);
        return expect == null || candidate == null ? null : new SamplingScenario(h.file(), h.line(), h.name(), candidate, expect);
    }

    private SamplingCandidate candidate(Node merchantNode, Node itemNode, Node planNode, LocalDate date) {
        Map<String, Node> m = optional(merchantNode, "merchant", MERCHANT_KEYS);
        Map<String, Node> i = optional(itemNode, "item", ITEM_KEYS);
        Map<String, Node> p = optional(planNode, "plan", PLAN_KEYS);
        if (m == null || i == null || p == null) return null;
        Grade grade = Grade.GREEN;
        Node g = m.get("grade");
        if (g != null && text(g) != null) grade = UNGRADED.contains(text(g).trim()) ? null : grade(g);
        Integer score = integer(m.get("score"), "score");
        MerchantFields f = merchantFields(m, date);
        int daysOpen = (int) (date.toEpochDay() - f.openedOn().toEpochDay());
        String uscc = orDefault(text(m.get("uscc")), "000000000000000000");

        String code = orDefault(text(i.get("code")), "TEST");
        String policy = orDefault(text(i.get("samplingPolicy")), "RISK_BASED").strip();
        InspectionMode mode = labelled(InspectionMode.class, i.get("mode"), "mode", InspectionMode.ON_SITE);
        Integer since = integer(i.get("lastInspectedDaysAgo"), "lastInspectedDaysAgo");
        LocalDate lastOn = date(i.get("lastInspectedOn"), "lastInspectedOn");
        if (lastOn != null) since = (int) Math.max(0, date.toEpochDay() - lastOn.toEpochDay());
        if (since != null && since < 0) {
            problem(line(i.get("lastInspectedDaysAgo")), "lastInspectedDaysAgo 不能为负数");
            since = null;
        }

        Integer days = integer(p.get("days"), "days");
        if (days != null && (days < 1 || days > 366)) {
            problem(line(p.get("days")), "plan.days（检查期天数）应在 1 到 366 之间");
            days = null;
        }
        int planDays = days == null ? 28 : days;
        return new SamplingCandidate(1, uscc, f.street(), f.category(), f.keyUnit(), f.keyUnitType(), f.status(), daysOpen, grade, score, code,
                mode, policy, since, planDays, (planDays + 6) / 7);
    }

    private SamplingScenario.Expectation expectation(Node node, Node scenario) {
        Map<String, Node> m = expect(node, scenario, EXPECT_KEYS, "decision：排除、必查或抽取");
        if (m == null) return null;
        SamplingScenario.Outcome decision = labelled(SamplingScenario.Outcome.class, m.get("decision"), "decision", null);
        if (decision == null && m.get("decision") == null) problem(line(node), "expect 缺少 decision：EXCLUDED（排除）、MUST_INCLUDE（必查）或 SAMPLED（抽取）");
        Double percent = null;
        if (m.get("percent") != null && text(m.get("percent")) != null) {
            double v = number(m.get("percent"), "percent", -1);
            if (v < 0 || v > 100) problem(line(m.get("percent")), "percent（抽查比例，%）应在 0 到 100 之间");
            else percent = v;
        }
        Boolean weekly = m.get("weekly") == null || text(m.get("weekly")) == null ? null : bool(m.get("weekly"), "weekly", false);
        String stratum = text(m.get("stratum"));
        String reason = text(m.get("reason"));
        if (decision == SamplingScenario.Outcome.EXCLUDED && (stratum != null || percent != null || weekly != null)) {
            Node at = m.get(stratum != null ? "stratum" : percent != null ? "percent" : "weekly");
            problem(line(at), "期望“排除”时只能写 reason（排除原因），不能写 stratum、percent 或 weekly");
        }
        if (decision != null && decision != SamplingScenario.Outcome.EXCLUDED && reason != null) {
            problem(line(m.get("reason")), "reason（排除原因）只用于 decision: 排除");
        }
        return new SamplingScenario.Expectation(decision, stratum == null ? null : stratum.strip(), percent, weekly,
                reason == null ? null : reason.strip(), names(m.get("rules"), "rules"), names(m.get("notRules"), "notRules"));
    }
}
