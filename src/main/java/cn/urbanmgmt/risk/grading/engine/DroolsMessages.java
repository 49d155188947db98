package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import cn.urbanmgmt.risk.grading.engine.RuleProblem.Level;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Drools reports into problems a rule author can act on: a zh-CN message, the rule, and
 * the line and column of the offending word. Drools gives a line for syntax errors, a rule line
 * for consequence errors and no line at all for unknown fields; the missing part is found in the
 * DRL text with {@link DrlIndex}.
 */
final class DroolsMessages {

    private static final Pattern PARSER = Pattern.compile("^\\[ERR (\\d+)\\] Line (\\d+):(\\d+) (.*)$", Pattern.DOTALL);
    private static final Pattern IN_RULE = Pattern.compile("in rule \"?([^\"]+?)\"?\\s*(?:in pattern.*)?$");
    private static final Pattern MISMATCHED = Pattern.compile("mismatched input '(.*?)'(?: expecting (.+?))?(?: in rule| in |$)");
    private static final Pattern NO_VIABLE = Pattern.compile("no viable alternative at input '(.*?)'");
    private static final Pattern MISSING = Pattern.compile("missing (.+?) at '(.*?)'");
    private static final Pattern EXTRANEOUS = Pattern.compile("extraneous input '(.*?)'");
    private static final Pattern UNKNOWN_TYPE = Pattern.compile("Unable to resolve ObjectType '(.+?)'");
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("unable to resolve method using strict-mode: ([\\w.$]+)\\.(\\w+)\\(\\)");
    private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("(?:unable to resolve property|unqualified type in strict mode for|Unknown field|Unable to find class for field)[: ]+'?([\\w.$]+)'?");
    private static final Pattern METHOD_UNDEFINED = Pattern.compile("The method (\\w+)\\((.*?)\\) is undefined for the type (\\w+)");
    private static final Pattern CANNOT_RESOLVE = Pattern.compile("([\\w$.]+) cannot be resolved(?: to a (variable|type))?");
    private static final Pattern TYPE_MISMATCH = Pattern.compile("Type mismatch: cannot convert from (.+?) to (\\S+)");
    private static final Pattern SYNTAX_TOKEN = Pattern.compile("Syntax error on tokens?,? \"(.+?)\"");
    private static final Pattern EXPRESSION = Pattern.compile("Unable to Analyse Expression (.+?):", Pattern.DOTALL);

    private DroolsMessages() {
    }

    /**
     * One problem per underlying message (a consequence error may hold several).
     *
     * @param line Drools's line, 0 or negative when unknown
     * @param ruleName the rule Drools attributed the error to, or null
     */
    static List<RuleProblem> map(DrlIndex index, String file, int line, int column, String ruleName, String text, boolean error,
                                 RuleFacts facts) {
        Level level = error ? Level.ERROR : Level.WARNING;
        String original = text == null ? "" : text.strip();
        List<RuleProblem> out = new ArrayList<>();
        Matcher parser = PARSER.matcher(original);
        if (parser.find()) {
            int l = Integer.parseInt(parser.group(2));
            int c = Integer.parseInt(parser.group(3)) + 1;
            String rest = parser.group(4);
            String rule = ruleName != null ? ruleName : group(IN_RULE, rest, 1);
            if (rule == null && index.ruleAt(file, l) != null) rule = index.ruleAt(file, l).name();
            out.add(new RuleProblem(level, Kind.SYNTAX, file, l, c, rule, syntaxMessage(rest, index.line(file, l)), original));
            return out;
        }
        DrlIndex.RuleBlock block = block(index, file, line, ruleName);
        String rule = block != null ? block.name() : ruleName;
        Integer knownLine = line > 0 ? line : null;
        Integer knownColumn = line > 0 && column >= 0 ? column + 1 : null;

        if (original.startsWith("Parser returned a null Package")) {
            out.add(new RuleProblem(level, Kind.SYNTAX, file, null, null, null, "文件无法解析（见本文件的其他语法错误）", original));
            return out;
        }
        Matcher m = UNKNOWN_TYPE.matcher(original);
        if (m.find()) {
            String type = m.group(1);
            DrlIndex.Location at = block == null ? null : index.findWord(block, block.conditionsFrom(), type);
            out.add(at(level, Kind.UNKNOWN_TYPE, file, at, knownLine, knownColumn, rule,
                    "找不到事实类型“" + type + "”：请检查拼写，或在文件开头 import 它。规则能用的事实类型：" + String.join("、", facts.names()), original));
            return out;
        }
        m = UNKNOWN_FIELD.matcher(original);
        if (m.find() || (m = UNKNOWN_PROPERTY.matcher(original)).find()) {
            String type = m.groupCount() >= 2 ? m.group(1) : null;
            String field = m.groupCount() >= 2 ? m.group(2) : m.group(1);
            DrlIndex.Location at = block == null ? null : index.findWord(block, block.conditionsFrom(), field);
            out.add(at(level, Kind.UNKNOWN_FIELD, file, at, knownLine, knownColumn, rule, unknownField(type, field, facts), original));
            return out;
        }
        if (original.startsWith("Rule Compilation error") || METHOD_UNDEFINED.matcher(original).find()) {
            String body = original.replaceFirst("^Rule Compilation error\\s*", "");
            for (String part : body.split("\\n")) {
                if (part.isBlank()) continue;
                out.add(consequenceProblem(index, level, file, block, knownLine, rule, part.strip(), original, facts));
            }
            if (out.isEmpty()) out.add(consequenceProblem(index, level, file, block, knownLine, rule, body, original, facts));
            return out;
        }
        m = EXPRESSION.matcher(original);
        if (m.find()) {
            String expression = m.group(1).strip();
            DrlIndex.Location at = null;
            if (block != null) {
                for (String word : expression.split("[^\\w$]+")) {
                    if (word.isEmpty() || Character.isUpperCase(word.charAt(0)) || word.chars().allMatch(Character::isDigit)) continue;
                    at = index.findWord(block, block.conditionsFrom(), word);
                    if (at != null) break;
                }
            }
            out.add(at(level, Kind.CONDITION, file, at, knownLine, knownColumn, rule,
                    "条件“" + expression + "”无法解析：请检查字段名、取值和类型是否正确", original));
            return out;
        }
        DrlIndex.Location at = block == null ? null : new DrlIndex.Location(file, block.line(), 1);
        out.add(at(level, Kind.OTHER, file, at, knownLine, knownColumn, rule, "Drools 报告了一个本系统无法自动解释的问题：请对照所在规则检查（英文原文见“Drools 原文”）", original));
        return out;
    }

    private static RuleProblem consequenceProblem(DrlIndex index, Level level, String file, DrlIndex.RuleBlock block, Integer knownLine,
                                                  String rule, String part, String original, RuleFacts facts) {
        String word = null;
        String message;
        Matcher m;
        if ((m = METHOD_UNDEFINED.matcher(part)).find()) {
            word = m.group(1);
            message = "结论中调用的方法“" + m.group(1) + "(" + m.group(2) + ")”在 " + m.group(3) + " 中不存在"
                    + suggestion(FactModel.methodsOf(m.group(3), facts), m.group(1));
        } else if ((m = CANNOT_RESOLVE.matcher(part)).find()) {
            word = m.group(1).contains(".") ? m.group(1).substring(m.group(1).lastIndexOf('.') + 1) : m.group(1);
            message = "type".equals(m.group(2)) ? "结论中的类型“" + m.group(1) + "”找不到：请检查拼写或 import"
                    : "结论中的“" + m.group(1) + "”无法识别：是否拼错，或忘了在条件中用 $变量 绑定它？";
        } else if ((m = TYPE_MISMATCH.matcher(part)).find()) {
            message = "结论中类型不匹配：不能把 " + m.group(1) + " 当作 " + m.group(2) + " 使用";
        } else if ((m = SYNTAX_TOKEN.matcher(part)).find()) {
            word = m.group(1);
            message = "结论中的 Java 语句有语法错误，位置在“" + m.group(1) + "”附近";
        } else {
            message = "结论（then 部分）的 Java 代码无法编译：请检查方法名、变量名、类型和分号（英文原文见“Drools 原文”）";
        }
        DrlIndex.Location at = null;
        if (block != null) {
            if (word != null) at = index.findWord(block, block.consequenceFrom(), word);
            if (at == null) at = new DrlIndex.Location(file, Math.min(block.consequenceFrom() + 1, block.endLine()), 1);
        }
        return at(level, Kind.CONSEQUENCE, file, at, knownLine, null, rule, message, original);
    }

    private static RuleProblem at(Level level, Kind kind, String file, DrlIndex.Location at, Integer line, Integer column, String rule,
                                  String message, String original) {
        if (at != null) return new RuleProblem(level, kind, file, at.line(), at.column(), rule, message, original);
        return new RuleProblem(level, kind, file, line, column, rule, message, original);
    }

    private static DrlIndex.RuleBlock block(DrlIndex index, String file, int line, String ruleName) {
        if (ruleName != null) {
            for (DrlIndex.RuleBlock r : index.rules(file)) {
                if (r.name().equals(ruleName)) return r;
            }
        }
        return line > 0 ? index.ruleAt(file, line) : null;
    }

    private static String syntaxMessage(String rest, String sourceLine) {
        Matcher m;
        String where;
        if ((m = MISMATCHED.matcher(rest)).find()) {
            where = "此处不应出现“" + m.group(1) + "”";
            if ("then".equals(m.group(1)) || "end".equals(m.group(1)) || "when".equals(m.group(1))) {
                where += "：上面的条件可能少了右括号“)”或逗号";
            } else if (m.group(2) != null) {
                where += "：此处应为别的写法（Drools 的英文原文见“Drools 原文”）";
            }
        } else if ((m = NO_VIABLE.matcher(rest)).find()) {
            where = "无法理解“" + m.group(1) + "”：请检查括号、引号和逗号是否成对、是否拼错关键字";
        } else if ((m = MISSING.matcher(rest)).find()) {
            where = "“" + m.group(2) + "”前缺少 " + m.group(1);
        } else if ((m = EXTRANEOUS.matcher(rest)).find()) {
            where = "多余的“" + m.group(1) + "”";
        } else {
            where = "语法错误：Drools 无法解析这一行，请检查关键字拼写以及括号、引号和逗号是否成对（英文原文见“Drools 原文”）";
        }
        return where;
    }

    private static String unknownField(String type, String field, RuleFacts facts) {
        String simple = type == null ? null : type.substring(type.lastIndexOf('.') + 1);
        if (simple == null) return "字段“" + field + "”不存在：请检查拼写";
        Class<?> c = FactModel.classOf(simple, facts);
        if (c != null && c.isEnum()) {
            // A misspelt code value (Grade.YELOW) reads to Drools as an unknown field of the enum.
            List<String> values = java.util.Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList();
            return simple + " 没有取值“" + field + "”。可选值：" + String.join("、", values) + suggestion(values, field);
        }
        List<String> fields = FactModel.fieldsOf(simple, facts);
        String msg = simple + " 没有字段“" + field + "”";
        if (!fields.isEmpty()) msg += "。可用字段：" + String.join("、", fields);
        return msg + suggestion(fields, field);
    }

    /** "，是否想写 severity？" for the closest known name, when one is close enough. */
    static String suggestion(List<String> known, String wrong) {
        String best = known.stream().min(Comparator.comparingInt(k -> distance(k.toLowerCase(), wrong.toLowerCase()))).orElse(null);
        if (best == null || distance(best.toLowerCase(), wrong.toLowerCase()) > Math.max(2, wrong.length() / 3)) return "";
        return "。是否想写“" + best + "”？";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String group(Pattern p, String text, int g) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(g) : null;
    }

    /** The classes rule authors match on, and their fields and methods, for suggestions. */
    static final class FactModel {
        private static final String MODEL = "cn.urbanmgmt.risk.grading.model.";

        private FactModel() {
        }

        /**
         * The packages searched for a type named in a rule: the grading model's, those of the grading fact
         * model's code tables, then those of the kind's own fact model (the sampling kind's is declared above
         * grading, see {@link RuleFacts#model()}).
         */
        static List<String> packages(RuleFacts facts) {
            java.util.LinkedHashSet<String> packages = new java.util.LinkedHashSet<>();
            packages.add(MODEL);
            for (Class<?> c : RuleAllowList.GRADING_MODEL) packages.add(c.getPackageName() + ".");
            for (Class<?> c : RuleAllowList.of(facts).model()) packages.add(c.getPackageName() + ".");
            return List.copyOf(packages);
        }

        static Class<?> classOf(String simple, RuleFacts facts) {
            for (String pkg : packages(facts)) {
                try {
                    return Class.forName(pkg + simple, false, FactModel.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    // try the next package
                }
            }
            return null;
        }

        static List<String> fieldsOf(String simple, RuleFacts facts) {
            Class<?> c = classOf(simple, facts);
            if (c == null) return List.of();
            Set<String> names = new TreeSet<>();
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() == Object.class || m.getParameterCount() > 0 || Modifier.isStatic(m.getModifiers())) continue;
                String n = m.getName();
                if (n.startsWith("get") && n.length() > 3) names.add(Introspector.decapitalize(n.substring(3)));
                else if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class)) names.add(Introspector.decapitalize(n.substring(2)));
                else if (c.isRecord()) names.add(n);
            }
            return List.copyOf(names);
        }

        static List<String> methodsOf(String simple, RuleFacts facts) {
            Class<?> c = classOf(simple, facts);
            if (c == null) return List.of();
            Set<String> names = new TreeSet<>();
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() != Object.class && Modifier.isPublic(m.getModifiers())) names.add(m.getName());
            }
            return List.copyOf(names);
        }
    }
}
