package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.model.Grade;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Reading one scenario file of any rule kind, for people who are not programmers: YAML kept as
 * nodes so that every value has its line, codes or zh-CN labels accepted, and every mistake
 * (unknown field, bad value) recorded as a problem of kind SCENARIO with file and line. The
 * scenario parsers of each kind build on these helpers.
 */
public abstract class ScenarioYaml {

    protected final String file;
    protected final List<RuleProblem> problems = new ArrayList<>();

    protected ScenarioYaml(String file) {
        this.file = file;
    }

    public List<RuleProblem> problems() {
        return problems;
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
