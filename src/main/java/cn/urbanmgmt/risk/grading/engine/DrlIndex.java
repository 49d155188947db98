package cn.urbanmgmt.risk.grading.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things are in the DRL text: the package and the rule blocks of every file, with the lines
 * of their "when", "then" and "end". Drools leaves some errors without a line (unknown fields) or
 * points at the rule rather than the offending word; this index lets the service find that word.
 * A plain line scanner, not a parser: comments and string literals are blanked out before searching.
 */
public final class DrlIndex {

    private static final Pattern RULE = Pattern.compile("^\\s*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|([\\p{L}\\w$.]+))");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)");
    private static final Pattern BLOCK_START = Pattern.compile("^\\s*(query|declare)\\b");
    private static final Pattern WHEN = Pattern.compile("^\\s*when\\b");
    private static final Pattern THEN = Pattern.compile("^\\s*then\\b");
    private static final Pattern END = Pattern.compile("^\\s*end\\b\\s*;?\\s*$");

    /** One rule block. Lines are 1-based; whenLine/thenLine are 0 when missing. */
    public record RuleBlock(String file, String pkg, String name, int line, int whenLine, int thenLine, int endLine, String text) {
        public boolean contains(int l) {
            return l >= line && l <= endLine;
        }

        /** First line of the conditions / consequence, or the rule line when the keyword is missing. */
        public int conditionsFrom() {
            return whenLine > 0 ? whenLine : line;
        }

        public int consequenceFrom() {
            return thenLine > 0 ? thenLine : line;
        }
    }

    /** A place in a file; column is 1-based. */
    public record Location(String file, int line, int column) {
    }

    private record FileText(String pkg, String[] raw, String[] masked, List<RuleBlock> rules) {
    }

    private final Map<String, FileText> files = new java.util.TreeMap<>();

    private DrlIndex() {
    }

    public static DrlIndex of(Map<String, String> drlFiles) {
        DrlIndex index = new DrlIndex();
        drlFiles.forEach((path, text) -> index.files.put(path, scan(path, text)));
        return index;
    }

    public List<RuleBlock> rules() {
        List<RuleBlock> all = new ArrayList<>();
        files.values().forEach(f -> all.addAll(f.rules()));
        return all;
    }

    public List<RuleBlock> rules(String file) {
        FileText f = files.get(file);
        return f == null ? List.of() : f.rules();
    }

    public String packageOf(String file) {
        FileText f = files.get(file);
        return f == null ? null : f.pkg();
    }

    /** The rule whose block holds {@code line}, or null. */
    public RuleBlock ruleAt(String file, int line) {
        for (RuleBlock r : rules(file)) {
            if (r.contains(line)) return r;
        }
        return null;
    }

    /** Rules with this name, in file order. */
    public List<RuleBlock> rulesNamed(String name) {
        return rules().stream().filter(r -> r.name().equals(name)).toList();
    }

    /**
     * First match of {@code regex} (in code, not in comments or strings) within lines [from, to] of
     * {@code file}; null when there is none. The location is that of group 1 if the pattern has one.
     */
    public Location find(String file, int from, int to, Pattern regex) {
        FileText f = files.get(file);
        if (f == null) return null;
        for (int l = Math.max(1, from); l <= Math.min(to, f.masked().length); l++) {
            Matcher m = regex.matcher(f.masked()[l - 1]);
            if (m.find()) {
                int start = m.groupCount() >= 1 && m.start(1) >= 0 ? m.start(1) : m.start();
                return new Location(file, l, start + 1);
            }
        }
        return null;
    }

    /** Finds the identifier as a whole word within the lines of a rule (or a part of it). */
    public Location findWord(RuleBlock rule, int from, String word) {
        if (word == null || word.isBlank()) return null;
        Pattern p = Pattern.compile("(?<![\\w$])(" + Pattern.quote(word) + ")(?![\\w$])");
        return find(rule.file(), from, rule.endLine(), p);
    }

    /** The raw text of a line (1-based), or "" when out of range. */
    public String line(String file, int line) {
        FileText f = files.get(file);
        if (f == null || line < 1 || line > f.raw().length) return "";
        return f.raw()[line - 1];
    }

    private static FileText scan(String path, String text) {
        String[] raw = text.replace("\r\n", "\n").split("\n", -1);
        String[] masked = mask(raw);
        String pkg = null;
        List<RuleBlock> rules = new ArrayList<>();
        String name = null;
        int start = 0, when = 0, then = 0;
        boolean otherBlock = false;
        for (int i = 0; i < raw.length; i++) {
            int l = i + 1;
            String code = masked[i];
            Matcher pm = PACKAGE.matcher(code);
            if (pkg == null && pm.find()) pkg = pm.group(1);
            if (name == null && !otherBlock) {
                Matcher rm = RULE.matcher(code);
                // The rule name is a string literal, blanked in the masked line: read it from the raw one.
                if (rm.find()) {
                    Matcher raw1 = RULE.matcher(raw[i]);
                    if (raw1.find()) {
                        name = raw1.group(1) != null ? raw1.group(1) : raw1.group(2) != null ? raw1.group(2) : raw1.group(3);
                        start = l;
                        when = 0;
                        then = 0;
                    }
                    continue;
                }
                if (BLOCK_START.matcher(code).find()) otherBlock = true;
                continue;
            }
            if (otherBlock) {
                if (END.matcher(code).find()) otherBlock = false;
                continue;
            }
            if (when == 0 && WHEN.matcher(code).find()) when = l;
            else if (then == 0 && THEN.matcher(code).find()) then = l;
            else if (END.matcher(code).find()) {
                rules.add(new RuleBlock(path, pkg, name, start, when, then, l, String.join("\n", java.util.Arrays.copyOfRange(raw, start - 1, l))));
                name = null;
            } else if (RULE.matcher(code).find()) {
                // A rule began before the previous one ended (a syntax error): close the old one here.
                rules.add(new RuleBlock(path, pkg, name, start, when, then, l - 1, String.join("\n", java.util.Arrays.copyOfRange(raw, start - 1, l - 1))));
                name = null;
                i--;
            }
        }
        if (name != null) {
            rules.add(new RuleBlock(path, pkg, name, start, when, then, raw.length, String.join("\n", java.util.Arrays.copyOfRange(raw, start - 1, raw.length))));
        }
        return new FileText(pkg, raw, masked, List.copyOf(rules));
    }

    /** Blanks out comments and the contents of string literals, keeping every column in place. */
    static String[] mask(String[] lines) {
        String[] out = new String[lines.length];
        boolean inBlock = false;
        for (int i = 0; i < lines.length; i++) {
            char[] c = lines[i].toCharArray();
            char quote = 0;
            for (int j = 0; j < c.length; j++) {
                if (inBlock) {
                    if (c[j] == '*' && j + 1 < c.length && c[j + 1] == '/') {
                        c[j] = ' ';
                        c[j + 1] = ' ';
                        j++;
                        inBlock = false;
                    } else {
                        c[j] = ' ';
                    }
                } else if (quote != 0) {
                    if (c[j] == '\\' && j + 1 < c.length) {
                        c[j] = ' ';
                        c[j + 1] = ' ';
                        j++;
                    } else if (c[j] == quote) {
                        quote = 0;
                    } else {
                        c[j] = ' ';
                    }
                } else if (c[j] == '"' || c[j] == '\'') {
                    quote = c[j];
                } else if (c[j] == '/' && j + 1 < c.length && c[j + 1] == '/') {
                    for (int k = j; k < c.length; k++) c[k] = ' ';
                    break;
                } else if (c[j] == '/' && j + 1 < c.length && c[j + 1] == '*') {
                    c[j] = ' ';
                    c[j + 1] = ' ';
                    j++;
                    inBlock = true;
                }
            }
            out[i] = new String(c);
        }
        return out;
    }
}
