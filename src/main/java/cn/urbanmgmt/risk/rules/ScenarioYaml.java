package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.model.Grade;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reading the scenario files of any rule kind, for people who are not programmers: YAML kept as
 * nodes so that every value has its line, codes or zh-CN labels accepted, and every mistake
 * (unknown field, bad value) recorded as a problem of kind SCENARIO with file and line.
 *
 * <p>The file layout is the same for every kind and read here: an optional evaluationDate, then
 * scenarios, each with a name and an optional evaluationDate of its own. A kind's parser names the
 * other fields of a scenario and builds the scenario (its facts and expectation) from them.
 *
 * @param <S> the kind's scenario
 */
public abstract class ScenarioYaml<S> {

    /** Scenarios read, and the problems found (kind SCENARIO, with file and line, in reading order). */
    public record Parsed<S>(List<S> scenarios, List<RuleProblem> problems) {
    }

    /** Where a scenario is, what it is called and the day it is evaluated on (its own, the file's, or today). */
    public record Heading(String file, int line, String name, LocalDate date) {
    }

    /** The merchant fields every kind's scenarios share, with their defaults. */
    public record MerchantFields(String street, MerchantCategory category, boolean keyUnit, KeyUnitType keyUnitType, MerchantStatus status,
                                 LocalDate openedOn) {
    }

    private static final Set<String> FILE_KEYS = Set.of("evaluationDate", "scenarios");
    /** The fields of every kind's scenario; a kind adds its facts. */
    private static final Set<String> SCENARIO_KEYS = Set.of("name", "evaluationDate", "merchant", "expect");
    /** The merchant fields every kind reads ({@link #merchantFields}); a kind may add its own. */
    private static final Set<String> MERCHANT_KEYS = Set.of("street", "category", "keyUnit", "keyUnitType", "status", "openedOn", "openedDaysAgo");

    protected final String file;
    protected final LocalDate today;
    protected final List<RuleProblem> problems = new ArrayList<>();
    private final Set<String> scenarioKeys;

    /** @param factKeys the fields a scenario of this kind has besides name, evaluationDate, merchant and expect */
    protected ScenarioYaml(String file, LocalDate today, Set<String> factKeys) {
        this.file = file;
        this.today = today;
        this.scenarioKeys = union(SCENARIO_KEYS, factKeys);
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    /** Parses every file (path to YAML text), each with the kind's parser made for it. */
    protected static <S> Parsed<S> parseAll(Map<String, String> files, BiFunction<String, LocalDate, ? extends ScenarioYaml<S>> parserFor) {
        List<S> scenarios = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        LocalDate today = LocalDate.now(EventService.ZONE);
        files.forEach((path, text) -> {
            ScenarioYaml<S> p = parserFor.apply(path, today);
            scenarios.addAll(p.parseFile(text));
            problems.addAll(p.problems());
        });
        // In reading order, whichever check found them.
        problems.sort(Comparator.comparing(RuleProblem::file).thenComparing(RuleProblem::line));
        return new Parsed<>(scenarios, problems);
    }

    /** The merchant fields every kind reads, and {@code more}. */
    protected static Set<String> merchantKeys(String... more) {
        return union(MERCHANT_KEYS, Set.of(more));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * The scenario at {@code heading} from its fields, or null when it cannot be built; every mistake
     * is recorded as a problem (a scenario with problems is left out whatever this returns).
     */
    protected abstract S scenario(Heading heading, Map<String, Node> fields, Node node);

    private List<S> parseFile(String text) {
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
        List<S> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            S s = scenario(item, fileDate);
            if (s != null) out.add(s);
        }
        return out;
    }

    private S scenario(Node node, LocalDate fileDate) {
        int before = problems.size();
        Map<String, Node> m = mapping(node, "场景", scenarioKeys);
        if (m == null) return null;
        String name = text(m.get("name"));
        if (name == null || name.isBlank()) {
            problem(line(node), "场景缺少 name（场景名称）");
            name = "第 " + line(node) + " 行的场景";
        }
        LocalDate date = date(m.get("evaluationDate"), "evaluationDate");
        if (date == null) date = fileDate != null ? fileDate : today;
        S s = scenario(new Heading(file, line(node), name, date), m, node);
        return problems.size() > before ? null : s;
    }

    /** A scenario's expect: mapping; when it is missing, a problem saying what to write at least. */
    protected Map<String, Node> expect(Node node, Node scenario, Set<String> keys, String atLeast) {
        if (node == null || isNull(node)) {
            problem(line(scenario), "场景缺少 expect（期望的结果，至少写 " + atLeast + "）");
            return null;
        }
        return mapping(node, "expect", keys);
    }

    /** A mapping that may be left out (then empty); null when it is there but not a mapping (a problem recorded). */
    protected Map<String, Node> optional(Node node, String what, Set<String> keys) {
        return node == null || isNull(node) ? Map.of() : mapping(node, what, keys);
    }

    /** The shared merchant fields: street jingansi, category OTHER, operating, opened 1000 days before {@code date} unless said otherwise. */
    protected MerchantFields merchantFields(Map<String, Node> m, LocalDate date) {
        MerchantCategory category = labelled(MerchantCategory.class, m.get("category"), "category", MerchantCategory.OTHER);
        KeyUnitType keyType = labelled(KeyUnitType.class, m.get("keyUnitType"), "keyUnitType", null);
        boolean keyUnit = bool(m.get("keyUnit"), "keyUnit", keyType != null);
        MerchantStatus status = labelled(MerchantStatus.class, m.get("status"), "status", MerchantStatus.OPERATING);
        LocalDate opened = date(m.get("openedOn"), "openedOn");
        Integer openedDaysAgo = integer(m.get("openedDaysAgo"), "openedDaysAgo");
        if (opened == null) opened = date.minusDays(openedDaysAgo != null ? openedDaysAgo : 1000);
        return new MerchantFields(orDefault(text(m.get("street")), "jingansi"), category, keyUnit, keyType, status, opened);
    }

    /** The document's root node, or null when it is empty or not YAML (then a problem is recorded). */
    protected Node compose(String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
                    new org.yaml.snakeyaml.DumperOptions(), options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            problem(line, "YAML 格式错误：" + e.getProblem() + "（请检查缩进、冒号后的空格和引号）");
            return null;
        } catch (YAMLException e) {
            problem(1, "YAML 格式错误：" + e.getMessage());
            return null;
        }
    }

    // ---- helpers: each reports a bad value with its line and returns null or the default ----

    protected Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            problem(line(node), what + "应写成“字段: 值”的形式");
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = text(t.getKeyNode());
            if (allowed != null && !allowed.contains(key)) {
                problem(line(t.getKeyNode()), "未知字段“" + key + "”：" + what + "可用的字段有 " + String.join("、", new java.util.TreeSet<>(allowed)));
                continue;
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    protected <E extends Enum<E> & Labelled> E labelled(Class<E> type, Node node, String field, E fallback) {
        String t = text(node);
        if (t == null) return fallback;
        E e = Labelled.parse(type, t);
        if (e == null) problem(line(node), field + " 的取值“" + t + "”不在允许范围内，可选值：" + Labelled.allowed(type));
        return e == null ? fallback : e;
    }

    protected LocalDate date(Node node, String field) {
        String t = text(node);
        if (t == null) return null;
        try {
            return LocalDate.parse(t.trim());
        } catch (DateTimeParseException e) {
            problem(line(node), field + " 的取值“" + t + "”不是日期，应写成 2026-05-01 的形式");
            return null;
        }
    }

    protected Integer integer(Node node, String field) {
        String t = text(node);
        if (t == null) return null;
        try {
            return Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            problem(line(node), field + " 的取值“" + t + "”应为整数");
            return null;
        }
    }

    protected double number(Node node, String field, double fallback) {
        String t = text(node);
        if (t == null) return fallback;
        try {
            return Double.parseDouble(t.trim());
        } catch (NumberFormatException e) {
            problem(line(node), field + " 的取值“" + t + "”应为数字");
            return fallback;
        }
    }

    protected boolean bool(Node node, String field, boolean fallback) {
        String t = text(node);
        if (t == null) return fallback;
        Boolean b = switch (t.trim().toLowerCase()) {
            case "true", "yes", "y", "是" -> Boolean.TRUE;
            case "false", "no", "n", "否" -> Boolean.FALSE;
            default -> null;
        };
        if (b == null) problem(line(node), field + " 的取值“" + t + "”应为 true（是）或 false（否）");
        return b == null ? fallback : b;
    }

    /** A grade written as GREEN/YELLOW/RED, 绿/黄/红 (with or without 色) or 低风险/中风险/高风险. */
    protected Grade grade(Node node) {
        String t = text(node);
        if (t == null) return null;
        String s = t.trim().replace("色", "");
        for (Grade g : Grade.values()) {
            if (g.name().equalsIgnoreCase(s) || g.colour().equals(s) || g.label().equals(s)) return g;
        }
        problem(line(node), "等级“" + t + "”无法识别：请写 GREEN（绿）、YELLOW（黄）或 RED（红）");
        return null;
    }

    /** A list of rule names (or one name). */
    protected List<String> names(Node node, String field) {
        if (node == null || isNull(node)) return List.of();
        if (node instanceof ScalarNode) return List.of(text(node));
        if (!(node instanceof SequenceNode seq)) {
            problem(line(node), field + " 应是规则名的列表，如 [规则一, 规则二]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
            String t = text(n);
            if (t != null) out.add(t);
        }
        return out;
    }

    protected static String text(Node node) {
        if (node == null || isNull(node)) return null;
        if (node instanceof ScalarNode s) return s.getValue();
        return null;
    }

    protected static boolean isNull(Node node) {
        return node instanceof ScalarNode s && (Tag.NULL.equals(s.getTag()));
    }

    protected static Node first(Map<String, Node> m, String a, String b) {
        return m.get(a) != null ? m.get(a) : m.get(b);
    }

    protected static String orDefault(String s, String d) {
        return s == null || s.isBlank() ? d : s;
    }

    protected static int line(Node node) {
        return node == null || node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    protected void problem(int line, String message) {
        problems.add(new RuleProblem(RuleProblem.Level.ERROR, RuleProblem.Kind.SCENARIO, file, line, null, null, message, null));
    }
}
