package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dates on which a merchant's result can change without a new event, derived from a rule set's
 * text: the ages (in days) at which some comparison of an age with a constant flips. Ages are
 * {@code daysAgo} of events and {@code daysOpen} of the merchant; both grow by one every day, so
 *
 * <ul>
 *   <li>{@code daysAgo <= 365} flips between age 365 and 366 (critical age 366; {@code <} N: N, {@code >=} N: N,
 *       {@code >} N: N + 1, {@code ==}/{@code !=} N: N and N + 1; also {@code 365 >= daysAgo} and chains
 *       like {@code daysAgo > 30 && <= 365});</li>
 *   <li>an age compared with another age ({@code daysAgo <= $listed.daysAgo}) never flips: both grow together;</li>
 *   <li>the look-back ({@link LookBack}) drops non-credit events at age lookBackDays + 1.</li>
 * </ul>
 *
 * A threshold inside a pattern of a known fact type ({@code DetectionFact( daysAgo <= 90 )}) applies to
 * that type only; one on a bound variable ({@code $c.daysAgo}) to every event type. Anything else that can
 * move with the calendar makes the rule set <em>unbounded</em> (the daily job then runs a full pass and says
 * why): an age used in any other way (arithmetic, {@code in}, a binding, a named constant, in a consequence
 * or a function), the {@code Evaluation} fact, clocks ({@code now()}, {@code System.currentTimeMillis}),
 * and the {@code date-effective}, {@code date-expires}, {@code timer} and {@code calendars} attributes.
 *
 * <p>A plain text scan over the DRL with comments and strings blanked ({@link DrlIndex#mask}); it errs
 * on the safe side: whatever it does not recognise counts as unbounded.
 */
public final class AgeWindows {

    /** Event fact types by the simple names rules write. */
    private static final Map<String, Class<? extends EventFact>> EVENT_TYPES = Map.of(
            "CaseFact", CaseFact.class, "ComplaintFact", ComplaintFact.class, "InspectionFact", InspectionFact.class,
            "CreditFact", CreditFact.class, "DetectionFact", DetectionFact.class);
    private static final List<Class<? extends EventFact>> ALL_EVENTS = List.copyOf(EVENT_TYPES.values());

    /** No arithmetic right before or after an operand: {@code 2 * daysAgo <= 365} is not a plain comparison. */
    private static final String NOT_AFTER_ARITHMETIC = "(?<![-+*/%]\\s{0,20})";
    private static final String NOT_BEFORE_ARITHMETIC = "(?!\\s*[-+*/%])";
    private static final String AGE = NOT_AFTER_ARITHMETIC + "(\\$[\\w$]+\\s*\\.\\s*)?(daysAgo|getDaysAgo\\s*\\(\\s*\\)|daysOpen|getDaysOpen\\s*\\(\\s*\\))";
    private static final String OP = "(<=|>=|==|!=|<|>)";
    private static final String NUM = "(\\d+)(?![\\w.$])" + NOT_BEFORE_ARITHMETIC;
    private static final Pattern AGE_WORD = Pattern.compile("(?<![\\w$])(daysAgo|getDaysAgo|daysOpen|getDaysOpen)(?![\\w$])");
    private static final Pattern AGE_OP_NUM = Pattern.compile(AGE + "\\s*" + OP + "\\s*" + NUM);
    private static final Pattern NUM_OP_AGE = Pattern.compile(NOT_AFTER_ARITHMETIC + "(?<![\\w.$])(\\d+)\\s*" + OP + "\\s*" + AGE + "(?![\\w$])" + NOT_BEFORE_ARITHMETIC);
    private static final Pattern AGE_OP_AGE = Pattern.compile(AGE + "\\s*" + OP + "\\s*" + AGE + "(?![\\w$])" + NOT_BEFORE_ARITHMETIC);
    private static final Pattern CHAINED = Pattern.compile("\\G\\s*(&&|\\|\\|)\\s*" + OP + "\\s*" + NUM);
    private static final Pattern CLOCK = Pattern.compile(
            "(?<![\\w$])(Evaluation|evaluationDate|now\\s*\\(|currentTimeMillis|nanoTime|Clock|Instant|date-effective|date-expires|timer|calendars)(?![\\w$])");

    private final boolean bounded;
    private final String why;
    private final int lookBackDays;
    /** Critical ages per event type (threshold flips; not the look-back). */
    private final Map<Class<? extends EventFact>, int[]> eventAges;
    /** The same, for the per-event look-up of every regrade (identity: event classes are few and final). */
    private final Map<Class<?>, int[]> agesByClass;
    /** Critical values of the merchant's daysOpen. */
    private final int[] openAges;

    private AgeWindows(boolean bounded, String why, int lookBackDays, Map<Class<? extends EventFact>, int[]> eventAges, int[] openAges) {
        this.bounded = bounded;
        this.why = why;
        this.lookBackDays = lookBackDays;
        this.eventAges = eventAges;
        this.agesByClass = new java.util.IdentityHashMap<>(eventAges);
        this.openAges = openAges;
    }

    /** For evaluators whose use of ages is not known (a full pass every day). */
    public static AgeWindows unbounded(String why) {
        return new AgeWindows(false, why, LookBack.DEFAULT_DAYS, Map.of(), new int[0]);
    }

    /** Windows given by hand (the benchmark's hand-written policy): thresholds as critical ages per type. */
    public static AgeWindows of(int lookBackDays, Map<Class<? extends EventFact>, Set<Integer>> ages, Set<Integer> openAges) {
        Map<Class<? extends EventFact>, int[]> m = new LinkedHashMap<>();
        ages.forEach((k, v) -> m.put(k, v.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return new AgeWindows(true, null, lookBackDays, m, openAges.stream().mapToInt(Integer::intValue).sorted().toArray());
    }

    /** Analyses a rule set's DRL files (path to text). */
    public static AgeWindows analyse(Map<String, String> drlFiles, int lookBackDays) {
        Map<Class<? extends EventFact>, Set<Integer>> ages = new LinkedHashMap<>();
        Set<Integer> open = new TreeSet<>();
        DrlIndex index = DrlIndex.of(drlFiles);
        for (Map.Entry<String, String> file : drlFiles.entrySet()) {
            String[] raw = file.getValue().replace("\r\n", "\n").split("\n", -1);
            String[] masked = DrlIndex.mask(raw);
            List<DrlIndex.RuleBlock> rules = index.rules(file.getKey());
            // Outside the conditions of rules (functions, queries, declarations, consequences): nothing may depend on the date.
            for (int l = 1; l <= masked.length; l++) {
                DrlIndex.RuleBlock in = null;
                for (DrlIndex.RuleBlock r : rules) if (r.contains(l)) in = r;
                boolean conditions = in != null && in.whenLine() > 0 && l >= in.whenLine() && (in.thenLine() == 0 || l < in.thenLine());
                String code = masked[l - 1];
                Matcher clock = CLOCK.matcher(code);
                if (clock.find()) {
                    return unbounded(at(file.getKey(), l, in) + "使用了“" + clock.group(1).replaceAll("\\s", "") + "”（随日期变化，无法推算等级何时会变）");
                }
                if (!conditions && AGE_WORD.matcher(code).find()) {
                    return unbounded(at(file.getKey(), l, in) + "在条件以外使用了事件天数（" + code.strip() + "）");
                }
            }
            for (DrlIndex.RuleBlock r : rules) {
                if (r.whenLine() == 0) continue;
                int to = r.thenLine() > 0 ? r.thenLine() - 1 : r.endLine();
                StringBuilder text = new StringBuilder();
                for (int l = r.whenLine(); l <= to; l++) text.append(masked[l - 1]).append('\n');
                // The "when" keyword itself is not part of the conditions.
                int start = text.indexOf("when") + 4;
                String conditions = " ".repeat(start) + text.substring(start);
                String problem = scan(conditions, ages, open);
                if (problem != null) return unbounded(at(file.getKey(), r.line(), r) + problem);
            }
        }
        Map<Class<? extends EventFact>, int[]> m = new LinkedHashMap<>();
        ages.forEach((k, v) -> m.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new AgeWindows(true, null, lookBackDays, m, open.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String at(String file, int line, DrlIndex.RuleBlock rule) {
        return file + ":" + line + (rule == null ? "" : "（规则“" + rule.name() + "”）") + " ";
    }

    /** Collects the critical ages of one rule's conditions; returns why they cannot be bounded, or null. */
    private static String scan(String text, Map<Class<? extends EventFact>, Set<Integer>> ages, Set<Integer> open) {
        boolean[] consumed = new boolean[text.length()];
        Matcher m = AGE_OP_AGE.matcher(text);
        while (m.find()) mark(consumed, m.start(), m.end()); // both sides age together: never flips
        m = AGE_OP_NUM.matcher(text);
        while (m.find()) {
            if (overlaps(consumed, m.start(), m.end())) continue;
            int end = m.end();
            add(text, m.start(), m.group(1) != null, m.group(2), m.group(3), Integer.parseInt(m.group(4)), ages, open);
            Matcher chain = CHAINED.matcher(text);
            chain.region(end, text.length());
            while (chain.find()) {
                add(text, m.start(), m.group(1) != null, m.group(2), chain.group(2), Integer.parseInt(chain.group(3)), ages, open);
                end = chain.end();
                chain.region(end, text.length());
            }
            mark(consumed, m.start(), end);
        }
        m = NUM_OP_AGE.matcher(text);
        while (m.find()) {
            if (overlaps(consumed, m.start(), m.end())) continue;
            add(text, m.start(3) >= 0 ? m.start(3) : m.start(4), m.group(3) != null, m.group(4), flip(m.group(2)), Integer.parseInt(m.group(1)), ages, open);
            mark(consumed, m.start(), m.end());
        }
        m = AGE_WORD.matcher(text);
        while (m.find()) {
            if (!consumed[m.start()]) {
                int from = text.lastIndexOf('\n', m.start()) + 1;
                int to = text.indexOf('\n', m.start());
                return "以无法推算的方式使用了事件天数：" + text.substring(from, to < 0 ? text.length() : to).strip();
            }
        }
        return null;
    }

    private static void add(String text, int at, boolean onVariable, String age, String op, int n,
                            Map<Class<? extends EventFact>, Set<Integer>> ages, Set<Integer> open) {
        List<Integer> critical = switch (op) {
            case "<=", ">" -> List.of(n + 1);
            case "<", ">=" -> List.of(n);
            default -> List.of(n, n + 1);
        };
        if (age.startsWith("daysOpen") || age.startsWith("getDaysOpen")) {
            open.addAll(critical);
            return;
        }
        Class<? extends EventFact> type = onVariable ? null : enclosingType(text, at);
        for (Class<? extends EventFact> t : type == null ? ALL_EVENTS : List.<Class<? extends EventFact>>of(type)) {
            ages.computeIfAbsent(t, k -> new TreeSet<>()).addAll(critical);
        }
    }

    /** The fact type of the pattern whose parentheses hold position {@code at}, or null when not a known event type. */
    private static Class<? extends EventFact> enclosingType(String text, int at) {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == ')') depth++;
            else if (c == '(') {
                if (depth == 0) {
                    int j = i - 1;
                    while (j >= 0 && Character.isWhitespace(text.charAt(j))) j--;
                    int end = j + 1;
                    while (j >= 0 && (Character.isJavaIdentifierPart(text.charAt(j)) || text.charAt(j) == '.')) j--;
                    String name = text.substring(j + 1, end);
                    name = name.substring(name.lastIndexOf('.') + 1);
                    return EVENT_TYPES.get(name);
                }
                depth--;
            }
        }
        return null;
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case ">" -> "<";
            case "<=" -> ">=";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static void mark(boolean[] consumed, int from, int to) {
        for (int i = from; i < to; i++) consumed[i] = true;
    }

    private static boolean overlaps(boolean[] consumed, int from, int to) {
        for (int i = from; i < to; i++) if (consumed[i]) return true;
        return false;
    }

    /** Whether every calendar dependence of the rules is a comparison of an age with a constant. */
    public boolean bounded() {
        return bounded;
    }

    /** Why not (zh-CN, with file:line and rule), or null when bounded. */
    public String why() {
        return why;
    }

    /** The critical ages of one event type (the look-back not included), ascending. */
    public List<Integer> ages(Class<? extends EventFact> type) {
        int[] a = eventAges.get(type);
        if (a == null) return List.of();
        List<Integer> out = new ArrayList<>();
        for (int x : a) out.add(x);
        return Collections.unmodifiableList(out);
    }

    /**
     * The first date after {@code facts.evaluationDate()} on which the merchant's result can differ without a
     * new event: an event reaching a critical age or leaving the look-back, the merchant's daysOpen reaching a
     * critical value, or {@code firstLaterEvent} (an event dated after the evaluation date, which starts to count
     * on its date). {@link LocalDate#MAX} when nothing but a new event can change it; null when the rules are
     * unbounded (any day can).
     * {@code facts} as read (before {@link LookBack#window}): events within the look-back, credit records always.
     */
    public LocalDate nextChange(MerchantFacts facts, LocalDate firstLaterEvent) {
        if (!bounded) return null;
        long day = facts.evaluationDate().toEpochDay();
        long next = firstLaterEvent == null ? Long.MAX_VALUE : firstLaterEvent.toEpochDay();
        for (EventFact e : facts.events()) {
            long on = e.getOccurredOn().toEpochDay();
            int[] ages = agesByClass.get(e.getClass());
            if (ages != null) {
                for (int a : ages) {
                    long d = on + a;
                    if (d > day) {
                        if (d < next) next = d;
                        break; // ascending: the first one after the day is this event's earliest
                    }
                }
            }
            if (!(e instanceof CreditFact)) {
                long d = on + lookBackDays + 1;
                if (d > day && d < next) next = d;
            }
        }
        MerchantFact m = facts.merchant();
        if (openAges.length > 0 && m.getOpenedOn() != null) {
            long on = m.getOpenedOn().toEpochDay();
            for (int a : openAges) {
                long d = on + a;
                if (d > day) {
                    if (d < next) next = d;
                    break;
                }
            }
        }
        return next == Long.MAX_VALUE ? LocalDate.MAX : LocalDate.ofEpochDay(next);
    }

    @Override
    public String toString() {
        if (!bounded) return "unbounded: " + why;
        StringBuilder s = new StringBuilder("lookBack=" + lookBackDays);
        eventAges.forEach((k, v) -> s.append(", ").append(k.getSimpleName()).append('=').append(java.util.Arrays.toString(v)));
        if (openAges.length > 0) s.append(", daysOpen=").append(java.util.Arrays.toString(openAges));
        return s.toString();
    }
}
