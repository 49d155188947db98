package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.engine.DrlIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What differs between two versions: a unified diff per file (rules and scenarios), and which rules
 * were added, removed or changed. A rule counts as changed when its text differs other than in
 * comments and spacing.
 */
public final class RuleDiff {

    private static final int CONTEXT = 3;
    /** Beyond this many line pairs a file is shown as replaced instead of diffed line by line. */
    private static final long MAX_CELLS = 4_000_000;

    public enum Status { ADDED, REMOVED, CHANGED, UNCHANGED }

    public record FileDiff(String file, Status status, int added, int removed, String diff) {
    }

    public record RuleChange(String rule, String file) {
    }

    public record Result(String from, String to, List<FileDiff> files, List<RuleChange> addedRules, List<RuleChange> removedRules,
                         List<RuleChange> changedRules) {
    }

    private RuleDiff() {
    }

    /** Both sides as path to text (DRL and scenario files together). */
    public static Result diff(String fromVersion, Map<String, String> drlFrom, Map<String, String> testsFrom, String toVersion,
                              Map<String, String> drlTo, Map<String, String> testsTo) {
        Map<String, String> a = new LinkedHashMap<>(drlFrom);
        a.putAll(testsFrom);
        Map<String, String> b = new LinkedHashMap<>(drlTo);
        b.putAll(testsTo);
        List<FileDiff> files = new ArrayList<>();
        for (String f : new TreeSet<>(union(a.keySet(), b.keySet()))) {
            String x = a.get(f);
            String y = b.get(f);
            Status status = x == null ? Status.ADDED : y == null ? Status.REMOVED : normalize(x).equals(normalize(y)) ? Status.UNCHANGED : Status.CHANGED;
            if (status == Status.UNCHANGED) {
                files.add(new FileDiff(f, status, 0, 0, ""));
                continue;
            }
            files.add(unified(f, x, y, status));
        }
        Map<String, DrlIndex.RuleBlock> before = rules(drlFrom);
        Map<String, DrlIndex.RuleBlock> after = rules(drlTo);
        List<RuleChange> added = new ArrayList<>();
        List<RuleChange> removed = new ArrayList<>();
        List<RuleChange> changed = new ArrayList<>();
        after.forEach((name, block) -> {
            DrlIndex.RuleBlock old = before.get(name);
            if (old == null) added.add(new RuleChange(name, block.file()));
            else if (!Objects.equals(body(old), body(block)) || !old.file().equals(block.file())) changed.add(new RuleChange(name, block.file()));
        });
        before.forEach((name, block) -> {
            if (!after.containsKey(name)) removed.add(new RuleChange(name, block.file()));
        });
        return new Result(fromVersion, toVersion, files, added, removed, changed);
    }

    private static Map<String, DrlIndex.RuleBlock> rules(Map<String, String> drl) {
        Map<String, DrlIndex.RuleBlock> out = new LinkedHashMap<>();
        for (DrlIndex.RuleBlock r : DrlIndex.of(drl).rules()) out.putIfAbsent(r.name(), r);
        return out;
    }

    /** The rule's code without comments, with spacing collapsed. */
    private static String body(DrlIndex.RuleBlock r) {
        String[] lines = r.text().split("\n", -1);
        String[] masked = maskComments(lines);
        return String.join(" ", masked).replaceAll("\\s+", " ").trim();
    }

    private static String[] maskComments(String[] lines) {
        // Same masking as the index, but string contents (reason texts) must count as changes: keep them.
        String[] out = new String[lines.length];
        boolean inBlock = false;
        for (int i = 0; i < lines.length; i++) {
            StringBuilder b = new StringBuilder();
            String l = lines[i];
            char quote = 0;
            for (int j = 0; j < l.length(); j++) {
                char c = l.charAt(j);
                if (inBlock) {
                    if (c == '*' && j + 1 < l.length() && l.charAt(j + 1) == '/') {
                        inBlock = false;
                        j++;
                    }
                } else if (quote != 0) {
                    b.append(c);
                    if (c == '\\' && j + 1 < l.length()) b.append(l.charAt(++j));
                    else if (c == quote) quote = 0;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    b.append(c);
                } else if (c == '/' && j + 1 < l.length() && l.charAt(j + 1) == '/') {
                    break;
                } else if (c == '/' && j + 1 < l.length() && l.charAt(j + 1) == '*') {
                    inBlock = true;
                    j++;
                } else {
                    b.append(c);
                }
            }
            out[i] = b.toString();
        }
        return out;
    }

    private static String normalize(String s) {
        return s.replace("\r\n", "\n");
    }

    private static FileDiff unified(String file, String x, String y, Status status) {
        String[] a = x == null ? new String[0] : normalize(x).split("\n", -1);
        String[] b = y == null ? new String[0] : normalize(y).split("\n", -1);
        // Edit script: ' ' keep, '-' remove, '+' add, with the line numbers on each side.
        List<char[]> ops = new ArrayList<>();
        List<int[]> pos = new ArrayList<>();
        if ((long) a.length * b.length > MAX_CELLS) {
            for (int i = 0; i < a.length; i++) {
                ops.add(new char[]{'-'});
                pos.add(new int[]{i, -1});
            }
            for (int j = 0; j < b.length; j++) {
                ops.add(new char[]{'+'});
                pos.add(new int[]{-1, j});
            }
        } else {
            int[][] lcs = new int[a.length + 1][b.length + 1];
            for (int i = a.length - 1; i >= 0; i--) {
                for (int j = b.length - 1; j >= 0; j--) {
                    lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
                }
            }
            int i = 0, j = 0;
            while (i < a.length || j < b.length) {
                if (i < a.length && j < b.length && a[i].equals(b[j])) {
                    ops.add(new char[]{' '});
                    pos.add(new int[]{i++, j++});
                } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                    // Removals before additions, as in diff -u.
                    ops.add(new char[]{'-'});
                    pos.add(new int[]{i++, -1});
                } else {
                    ops.add(new char[]{'+'});
                    pos.add(new int[]{-1, j++});
                }
            }
        }
        int added = 0, removed = 0;
        for (char[] op : ops) {
            if (op[0] == '+') added++;
            else if (op[0] == '-') removed++;
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(x == null ? "/dev/null" : "a/" + file).append('\n');
        out.append("+++ ").append(y == null ? "/dev/null" : "b/" + file).append('\n');
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k)[0] == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // Extend the hunk while changes are within 2 * CONTEXT of each other.
            while (end < ops.size()) {
                if (ops.get(end)[0] != ' ') {
                    end++;
                    continue;
                }
                int next = end;
                while (next < ops.size() && ops.get(next)[0] == ' ') next++;
                if (next < ops.size() && next - end <= 2 * CONTEXT) end = next;
                else break;
            }
            end = Math.min(ops.size(), end + CONTEXT);
            int aStart = -1, bStart = -1, aCount = 0, bCount = 0;
            StringBuilder body = new StringBuilder();
            for (int h = start; h < end; h++) {
                char op = ops.get(h)[0];
                int[] p = pos.get(h);
                if (op != '+') {
                    if (aStart < 0) aStart = p[0];
                    aCount++;
                }
                if (op != '-') {
                    if (bStart < 0) bStart = p[1];
                    bCount++;
                }
                body.append(op).append(op == '+' ? b[p[1]] : a[p[0]]).append('\n');
            }
            out.append("@@ -").append(aCount == 0 ? 0 : aStart + 1).append(',').append(aCount)
                    .append(" +").append(bCount == 0 ? 0 : bStart + 1).append(',').append(bCount).append(" @@\n").append(body);
            k = end;
        }
        return new FileDiff(file, status, added, removed, out.toString());
    }

    private static <T> List<T> union(java.util.Collection<T> a, java.util.Collection<T> b) {
        List<T> out = new ArrayList<>(a);
        for (T t : b) if (!out.contains(t)) out.add(t);
        return out;
    }
}
