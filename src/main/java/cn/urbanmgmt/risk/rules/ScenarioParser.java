package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads scenario files. Written for people who are not programmers: codes or their zh-CN labels
 * are both accepted (SERIOUS or 严重, YELLOW or 黄), sensible defaults fill what a scenario does not
 * care about, and every mistake (unknown field, bad value) is reported with file and line.
 */
public final class ScenarioParser extends ScenarioYaml<Scenario> {

    private static final Set<String> MERCHANT_KEYS = merchantKeys("name");
    private static final Set<String> EXPECT_KEYS = Set.of("grade", "score", "reasons", "notReasons");
    private static final Map<EventType, Set<String>> EVENT_KEYS = Map.of(
            EventType.CASE, Set.of("caseNo", "violationType", "severity", "fineYuan", "fromComplaint", "closedOn"),
            EventType.COMPLAINT, Set.of("channel", "category", "complaintCategory", "verified", "linkedCaseNo"),
            EventType.INSPECTION, Set.of("itemCode", "outcome", "score", "deductions"),
            EventType.CREDIT, Set.of("action", "creditAction"),
            EventType.DETECTION, Set.of("source", "detectionSource", "detectionType"));
    private static final Set<String> COMMON_EVENT_KEYS = Set.of("type", "daysAgo", "date", "id");

    private ScenarioParser(String file, LocalDate today) {
        super(file, today, Set.of("events"));
    }

    /** Parses all scenario files (path to YAML text). */
    public static Parsed<Scenario> parse(Map<String, String> files) {
        return parseAll(files, ScenarioParser::new);
    }

    @Override
    protected Scenario scenario(Heading h, Map<String, Node> m, Node node) {
        MerchantFact merchant = merchant(m.get("merchant"), h.date());
        List<EventFact> events = new ArrayList<>();
        Node ev = m.get("events");
        if (ev instanceof SequenceNode seq) {
            long id = 1;
            for (Node e : seq.getValue()) {
                EventFact f = event(e, h.date(), id++);
                if (f != null) events.add(f);
            }
        } else if (ev != null && !isNull(ev)) {
            problem(line(ev), "events 应是一个列表：每个事件以“- type: ...”开头");
        }
        Scenario.Expectation expect = expectation(m.get("expect"), node);
        return expect == null ? null : new Scenario(h.file(), h.line(), h.name(), h.date(), merchant, events, expect);
    }

    private MerchantFact merchant(Node node, LocalDate date) {
        Map<String, Node> m = optional(node, "merchant", MERCHANT_KEYS);
        if (m == null) m = Map.of();
        MerchantFields f = merchantFields(m, date);
        String name = text(m.get("name"));
        return new MerchantFact(1, "000000000000000000", name == null ? "测试商户" : name, f.street(), f.category(),
                f.keyUnit(), f.keyUnitType(), f.status(), f.openedOn(), date);
    }

    private EventFact event(Node node, LocalDate date, long id) {
        Map<String, Node> raw = mapping(node, "事件", null);
        if (raw == null) return null;
        EventType type = labelled(EventType.class, raw.get("type"), "type", null);
        if (type == null) {
            if (raw.get("type") == null) problem(line(node), "事件缺少 type：" + Labelled.allowed(EventType.class));
            return null;
        }
        for (Map.Entry<String, Node> e : raw.entrySet()) {
            if (!COMMON_EVENT_KEYS.contains(e.getKey()) && !EVENT_KEYS.get(type).contains(e.getKey())) {
                problem(line(e.getValue()), "未知字段“" + e.getKey() + "”：" + type.label() + "事件可用的字段有 " + String.join("、", fields(type)));
            }
        }
        Integer daysAgo = integer(raw.get("daysAgo"), "daysAgo");
        LocalDate on = date(raw.get("date"), "date");
        if (on == null && daysAgo == null) {
            problem(line(node), "事件缺少发生时间：请写 daysAgo（几天前）或 date（日期，如 2026-05-01）");
            return null;
        }
        if (on == null) on = date.minusDays(daysAgo);
        Integer givenId = integer(raw.get("id"), "id");
        long eventId = givenId != null ? givenId : id;
        return switch (type) {
            case CASE -> {
                Severity severity = labelled(Severity.class, raw.get("severity"), "severity", null);
                if (severity == null && raw.get("severity") == null) problem(line(node), "案件缺少 severity（严重程度）：" + Labelled.allowed(Severity.class));
                yield severity == null ? null : new CaseFact(eventId, on, date, orDefault(text(raw.get("caseNo")), "CASE-" + eventId),
                        labelled(ViolationType.class, raw.get("violationType"), "violationType", ViolationType.OTHER), severity,
                        number(raw.get("fineYuan"), "fineYuan", 0), bool(raw.get("fromComplaint"), "fromComplaint", false),
                        date(raw.get("closedOn"), "closedOn"));
            }
            case COMPLAINT -> new ComplaintFact(eventId, on, date,
                    labelled(ComplaintChannel.class, raw.get("channel"), "channel", ComplaintChannel.HOTLINE_12345),
                    orDefault(text(first(raw, "category", "complaintCategory")), "其他"), verified(raw.get("verified")),
                    text(raw.get("linkedCaseNo")));
            case INSPECTION -> {
                InspectionOutcome outcome = labelled(InspectionOutcome.class, raw.get("outcome"), "outcome", null);
                if (outcome == null && raw.get("outcome") == null) problem(line(node), "检查结果缺少 outcome：" + Labelled.allowed(InspectionOutcome.class));
                Node score = raw.get("score");
                yield outcome == null ? null : new InspectionFact(eventId, on, date, orDefault(text(raw.get("itemCode")), "ITEM"), outcome,
                        score == null || isNull(score) ? null : number(score, "score", 0), deductions(raw.get("deductions")));
            }
            case CREDIT -> {
                CreditAction action = labelled(CreditAction.class, first(raw, "action", "creditAction"), "action", null);
                if (action == null && first(raw, "action", "creditAction") == null) problem(line(node), "信用记录缺少 action：" + Labelled.allowed(CreditAction.class));
                yield action == null ? null : new CreditFact(eventId, on, date, action);
            }
            case DETECTION -> new DetectionFact(eventId, on, date,
                    labelled(DetectionSource.class, first(raw, "source", "detectionSource"), "source", DetectionSource.CAMERA),
                    orDefault(text(raw.get("detectionType")), "其他"));
        };
    }

    private Scenario.Expectation expectation(Node node, Node scenario) {
        Map<String, Node> m = expect(node, scenario, EXPECT_KEYS, "grade");
        if (m == null) return null;
        Grade grade = grade(m.get("grade"));
        if (grade == null && m.get("grade") == null) problem(line(node), "expect 缺少 grade：GREEN（绿）、YELLOW（黄）或 RED（红）");
        return new Scenario.Expectation(grade, integer(m.get("score"), "score"), names(m.get("reasons"), "reasons"), names(m.get("notReasons"), "notReasons"));
    }

    private List<Deduction> deductions(Node node) {
        if (node == null || isNull(node)) return List.of();
        if (!(node instanceof SequenceNode seq)) {
            problem(line(node), "deductions 应是一个列表，每项写 code（扣分项代码）和 points（分值）");
            return List.of();
        }
        List<Deduction> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Map<String, Node> m = mapping(item, "扣分项", Set.of("code", "points"));
            if (m == null) continue;
            String code = text(m.get("code"));
            if (code == null) problem(line(item), "扣分项缺少 code");
            out.add(new Deduction(code, number(m.get("points"), "points", 0)));
        }
        return out;
    }

    /** Complaint verification: true 属实, false 不属实, empty / 未核实 not yet checked. */
    private Boolean verified(Node node) {
        String t = text(node);
        if (t == null) return null;
        return switch (t.trim().toLowerCase()) {
            case "true", "yes", "是", "属实" -> Boolean.TRUE;
            case "false", "no", "否", "不属实" -> Boolean.FALSE;
            case "", "未核实", "null", "~" -> null;
            default -> {
                problem(line(node), "verified 的取值“" + t + "”应为 true（属实）、false（不属实），或不写（尚未核实）");
                yield null;
            }
        };
    }

    private static List<String> fields(EventType type) {
        List<String> all = new ArrayList<>(List.of("type", "daysAgo", "date"));
        all.addAll(new java.util.TreeSet<>(EVENT_KEYS.get(type)));
        return all;
    }

}
