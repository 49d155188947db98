package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;

/**
 * How far back a grading rule set's facts reach: declared by the rule set itself, as the metadata
 * {@code @lookBackDays(N)} of one rule (by convention the thresholds rule in 00-thresholds.drl), and
 * {@link #DEFAULT_DAYS} when no rule declares it. An event counts when it happened on the evaluation
 * date or at most N days before it (credit records always: a listing stays until it is lifted).
 *
 * <p>This is the one place that decides which events the rules see: {@link #window} runs inside every
 * evaluation (regrades, scenarios, simulations), and the fact reader only avoids reading what it would drop.
 */
public final class LookBack {

    /** The metadata key rule authors write: {@code @lookBackDays(1098)}. */
    public static final String KEY = "lookBackDays";
    /** Three years (of 366 days): the look-back of a rule set that declares none. */
    public static final int DEFAULT_DAYS = 3 * 366;
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 20 * 366;

    private static final Pattern DECLARATION = Pattern.compile("@\\s*" + KEY + "\\b");

    private LookBack() {
    }

    /** The declared look-back of compiled rules, or the default; assumes {@link #check} found no error. */
    public static int of(KieBase base) {
        for (Rule r : rules(base)) {
            Integer days = parse(r.getMetaData().get(KEY));
            if (days != null && days >= MIN_DAYS && days <= MAX_DAYS) return days;
        }
        return DEFAULT_DAYS;
    }

    /** Errors at file:line:rule for a look-back that is not a whole number of days in range, or declared twice. */
    public static List<RuleProblem> check(KieBase base, DrlIndex index) {
        List<RuleProblem> problems = new ArrayList<>();
        String first = null;
        for (Rule r : rules(base)) {
            if (!r.getMetaData().containsKey(KEY)) continue;
            Object value = r.getMetaData().get(KEY);
            Integer days = parse(value);
            if (days == null || days < MIN_DAYS || days > MAX_DAYS) {
                problems.add(at(index, r.getName(), "回溯天数 @" + KEY + "(" + value + ") 无效：应为 " + MIN_DAYS + " 到 " + MAX_DAYS
                        + " 之间的整数天数，如 @" + KEY + "(1098) 表示评级日前 1098 天（约三年）内的事件计入评级"));
            } else if (first != null) {
                problems.add(at(index, r.getName(), "回溯天数已由规则“" + first + "”声明，一个规则集只能声明一次 @" + KEY + "；请删除其中一处"));
            } else {
                first = r.getName();
            }
        }
        return problems;
    }

    private static RuleProblem at(DrlIndex index, String rule, String message) {
        for (DrlIndex.RuleBlock b : index.rulesNamed(rule)) {
            DrlIndex.Location l = index.find(b.file(), b.line(), b.endLine(), DECLARATION);
            return RuleProblem.error(Kind.OTHER, b.file(), l != null ? l.line() : b.line(), rule, message);
        }
        return RuleProblem.error(Kind.OTHER, null, null, rule, message);
    }

    private static List<Rule> rules(KieBase base) {
        List<Rule> rules = new ArrayList<>();
        base.getKiePackages().forEach(p -> rules.addAll(p.getRules()));
        rules.sort(java.util.Comparator.comparing(Rule::getName));
        return rules;
    }

    private static Integer parse(Object value) {
        if (value == null) return null;
        String s = String.valueOf(value).strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1).strip();
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether an event counts for rules that look back {@code days} days. */
    public static boolean counts(EventFact e, int days) {
        return e.getDaysAgo() >= 0 && (e instanceof CreditFact || e.getDaysAgo() <= days);
    }

    /** The facts the rules see: events outside the look-back (or after the evaluation date) removed. */
    public static MerchantFacts window(MerchantFacts facts, int days) {
        for (EventFact e : facts.events()) {
            if (!counts(e, days)) {
                return new MerchantFacts(facts.merchant(), facts.events().stream().filter(x -> counts(x, days)).toList(),
                        facts.evaluationDate());
            }
        }
        return facts;
    }
}
