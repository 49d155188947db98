package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.rules.ScenarioYaml;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads sampling scenario files. As for the grading scenarios: codes or zh-CN labels (餐饮, 关闭,
 * 红, 必查), defaults for what a scenario does not care about, and every mistake reported with file
 * and line.
 */
public final class SamplingScenarioParser extends ScenarioYaml {

    /** Scenarios read, and the problems found (kind SCENARIO, with file and line). */
    public record Parsed(List<SamplingScenario> scenarios, List<RuleProblem> problems) {
    }

    private static final Set<String> FILE_KEYS = Set.of("evaluationDate", "scenarios");
    private static final Set<String> SCENARIO_KEYS = Set.of("name", "evaluationDate", "merchant", "item", "plan", "expect");
    private static final Set<String> MERCHANT_KEYS = Set.of("uscc", "street", "grade", "score", "category", "keyUnit", "keyUnitType", "status",
            "openedOn", "openedDaysAgo");
    private static final Set<String> ITEM_KEYS = Set.of("code", "samplingPolicy", "mode", "lastInspectedDaysAgo", "lastInspectedOn");
    private static final Set<String> PLAN_KEYS = Set.of("days");
    private static final Set<String> EXPECT_KEYS = Set.of("decision", "stratum", "percent", "weekly", "reason", "rules", "notRules");
    private static final Set<String> UNGRADED = Set.of("未评级", "无", "NONE", "UNGRADED", "none", "ungraded");

    private final LocalDate today;

    private SamplingScenarioParser(String file, LocalDate today) {
        super(file);
        this.today = today;
    }

    /** Parses all scenario files (path to YAML text). */
    public static Parsed parse(Map<String, String> files) {
        List<SamplingScenario> scenarios = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        LocalDate today = LocalDate.now(EventService.ZONE);
        files.forEach((path, text) -> {
            SamplingScenarioParser p = new SamplingScenarioParser(path, today);
            scenarios.addAll(p.parseFile(text));
            problems.addAll(p.problems());
        });
        // In reading order, whichever check found them.
        problems.sort(java.util.Comparator.comparing(RuleProblem::file).thenComparing(RuleProblem::line));
        return new Parsed(scenarios, problems);
    }

    private List<SamplingScenario> parseFile(String text) {
        Node root = compose(text);
        if (root == null) return List.of();
        Map<String, Node> top = mapping(root, "文件", FILE_KEYS);
        if (top == null) return List.of();
        LocalDate fileDate = date(top.get("evaluationDate"), "evaluationDate");
        Node list = top.get("scenarios");
        if (!(list instanceof SequenceNode seq)) {
            problem(line(list == null ? root : list), "缺少 scenarios：请在 scenarios: 下面用“- name: ...”逐个列出场景");
            return List.of();
        }
        List<SamplingScenario> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            SamplingScenario s = scenario(item, fileDate);
            if (s != null) out.add(s);
        }
        return out;
    }

    private SamplingScenario scenario(Node node, LocalDate fileDate) {
        int before = problems.size();
        Map<String, Node> m = mapping(node, "场景", SCENARIO_KEYS);
        if (m == null) return null;
        String name = text(m.get("name"));
        if (name == null || name.isBlank()) {
            problem(line(node), "场景缺少 name（场景名称）");
            name = "第 " + line(node) + " 行的场景";
        }
        LocalDate date = date(m.get("evaluationDate"), "evaluationDate");
        if (date == null) date = fileDate != null ? fileDate : today;
        SamplingCandidate candidate = candidate(m.get("merchant"), m.get("item"), m.get("plan"), date);
        SamplingScenario.Expectation expect = expectation(m.get("expect"), node);
        if (problems.size() > before || expect == null || candidate == null) return null;
        return new SamplingScenario(file, line(node), name, candidate, expect);
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
        MerchantCategory category = labelled(MerchantCategory.class, m.get("category"), "category", MerchantCategory.OTHER);
        KeyUnitType keyType = labelled(KeyUnitType.class, m.get("keyUnitType"), "keyUnitType", null);
        boolean keyUnit = bool(m.get("keyUnit"), "keyUnit", keyType != null);
        MerchantStatus status = labelled(MerchantStatus.class, m.get("status"), "status", MerchantStatus.OPERATING);
        LocalDate opened = date(m.get("openedOn"), "openedOn");
        Integer openedDaysAgo = integer(m.get("openedDaysAgo"), "openedDaysAgo");
        int daysOpen = opened != null ? (int) (date.toEpochDay() - opened.toEpochDay()) : openedDaysAgo != null ? openedDaysAgo : 1000;
        String street = orDefault(text(m.get("street")), "jingansi");
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
        return new SamplingCandidate(1, uscc, street, category, keyUnit, keyType, status, daysOpen, grade, score, code, mode, policy, since,
                planDays, (planDays + 6) / 7);
    }

    private Map<String, Node> optional(Node node, String what, Set<String> keys) {
        return node == null || isNull(node) ? Map.of() : mapping(node, what, keys);
    }

    private SamplingScenario.Expectation expectation(Node node, Node scenario) {
        if (node == null || isNull(node)) {
            problem(line(scenario), "场景缺少 expect（期望的结果，至少写 decision：排除、必查或抽取）");
            return null;
        }
        Map<String, Node> m = mapping(node, "expect", EXPECT_KEYS);
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
