package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.RuleSetRuntime.Compiled;
import cn.urbanmgmt.risk.grading.engine.DrlIndex;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleFacts;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles sampling DRL with the shared compiler (problems at file, line, column and rule, in
 * zh-CN) and checks it the way grading rules are checked: rules that can never fire, and probe runs
 * over synthetic candidates of every policy, grade, status and age, so that a rule that throws, hangs,
 * gives one stratum two proportions or names a stratum like an exclusion is an error before any plan
 * is drawn with it.
 */
public final class SamplingCompiler {

    /** What sampling rules see: one candidate (a merchant for one item) at a time. */
    public static final RuleFacts FACTS = new RuleFacts(List.of(SamplingCandidate.class), List.of("SamplingCandidate"),
            // The sampling rules' fact model: the candidate (which records the decision) and its code tables.
            List.of(SamplingCandidate.class, Grade.class, InspectionMode.class, MerchantCategory.class, KeyUnitType.class,
                    MerchantStatus.class));
    static final List<String> DEFAULT_POLICIES = List.of("RISK_BASED", "KEY_UNIT_WEEKLY");
    private static final Pattern POLICY = Pattern.compile("samplingPolicy\\s*==\\s*\"([^\"]+)\"");
    private static final long PROBE_SECONDS = 10;
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sampling-probe");
        t.setDaemon(true);
        return t;
    });

    private SamplingCompiler() {
    }

    /** Compiles with every check. */
    public static Compiled<SamplingRules> compile(RuleSource source) {
        return compile(source, true);
    }

    /** Compiles a version that passed its checks before: compile errors still count, probes are not run. */
    public static Compiled<SamplingRules> load(RuleSource source) {
        return compile(source, false);
    }

    private static Compiled<SamplingRules> compile(RuleSource source, boolean probe) {
        long t0 = System.nanoTime();
        try {
            RuleCompiler.Built built = RuleCompiler.build(source, FACTS);
            if (!built.ok()) return new Compiled<>(built.problems(), null, millis(t0));
            SamplingRules rules = new SamplingRules(source, built.container());
            List<RuleProblem> problems = new ArrayList<>(built.problems());
            if (probe) problems.addAll(recheck(rules));
            problems = RuleCompiler.sorted(problems);
            if (problems.stream().anyMatch(RuleProblem::isError)) {
                rules.release();
                return new Compiled<>(problems, null, millis(t0));
            }
            return new Compiled<>(problems, rules, millis(t0));
        } catch (RuntimeException e) {
            // Drools can still throw on input it does not expect: a refused rule set, never a failed request.
            return new Compiled<>(List.of(RuleProblem.error(Kind.OTHER, null, null, null, "Drools 无法处理这个规则集：" + e)), null, millis(t0));
        }
    }

    /** The checks after building: rules that never fire, and the probe runs. */
    static List<RuleProblem> recheck(SamplingRules rules) {
        List<RuleProblem> problems = new ArrayList<>(RuleCompiler.neverFiring(rules.kieBase(), rules.source(), FACTS));
        problems.addAll(probe(rules));
        return RuleCompiler.sorted(problems);
    }

    /** Synthetic candidates: every policy the rules mention, every grade (and none), status, key-unit status and age. */
    static List<SamplingCandidate> probes(RuleSource source) {
        Set<String> policies = new LinkedHashSet<>(DEFAULT_POLICIES);
        for (String text : source.files().values()) {
            Matcher m = POLICY.matcher(text);
            while (m.find()) policies.add(m.group(1));
        }
        List<SamplingCandidate> out = new ArrayList<>();
        long id = 0;
        Grade[] grades = {null, Grade.GREEN, Grade.YELLOW, Grade.RED};
        for (String policy : policies) {
            for (Grade grade : grades) {
                for (MerchantStatus status : MerchantStatus.values()) {
                    for (boolean keyUnit : new boolean[]{false, true}) {
                        for (int daysOpen : new int[]{-1, 30, 400}) {
                            for (Integer since : new Integer[]{null, 10, 400}) {
                                out.add(new SamplingCandidate(-1 - id, String.format("%018d", id++), "jingansi",
                                        keyUnit ? MerchantCategory.CATERING : MerchantCategory.RETAIL, keyUnit, keyUnit ? KeyUnitType.RESTAURANT : null,
                                        status, daysOpen, grade, grade == null ? null : grade.ordinal() * 40, "PROBE", InspectionMode.ON_SITE, policy,
                                        since, 28, 4));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<RuleProblem> probe(SamplingRules rules) {
        DrlIndex index = DrlIndex.of(rules.source().files());
        List<SamplingCandidate> probes = probes(rules.source());
        Future<List<RuleProblem>> run = PROBES.submit(() -> {
            List<RuleProblem> out = new ArrayList<>();
            Set<String> reported = new LinkedHashSet<>();
            try {
                rules.evaluateBatch(probes);
            } catch (RuntimeException batchFailed) {
                // Find the rules at fault one candidate at a time.
                for (SamplingCandidate p : probes) {
                    try {
                        rules.evaluateTraced(p.copy());
                    } catch (RuleFaultException e) {
                        if (reported.add(e.rule() + "|" + e.getMessage())) out.add(RuleCompiler.atRule(index, Kind.RUNTIME, e.rule(), e.getMessage()));
                    }
                }
                if (out.isEmpty()) out.add(RuleProblem.error(Kind.RUNTIME, null, null, null, "抽查规则试运行失败：" + SamplingEngine.rootMessage(batchFailed)));
                return out;
            }
            Map<String, SamplingCandidate.Decision> strata = new LinkedHashMap<>();
            for (SamplingCandidate p : probes) {
                SamplingCandidate.Decision d = p.resolve();
                if (d.excluded()) continue;
                if (d.stratum().startsWith(CandidateList.EXCLUDED_PREFIX) && reported.add("prefix|" + d.stratum())) {
                    out.add(atStratum(index, d.stratum(), "分层名称“" + d.stratum() + "”不能以“" + CandidateList.EXCLUDED_PREFIX
                            + "”开头：这个前缀表示被排除的商户。请换一个分层名称"));
                }
                String key = p.getSamplingPolicy() + "|" + d.stratum();
                SamplingCandidate.Decision first = strata.putIfAbsent(key, d);
                if (first != null && (first.basisPoints() != d.basisPoints() || first.weekly() != d.weekly()) && reported.add("conflict|" + key)) {
                    out.add(atStratum(index, d.stratum(), "分层“" + d.stratum() + "”（抽查政策 " + p.getSamplingPolicy() + "）在不同商户上得到了不同的抽查比例（"
                            + proportion(first) + " 与 " + proportion(d) + "）：同一事项的同一分层只能有一个比例，否则无法生成计划。请给不同比例的商户用不同的分层名称"));
                }
            }
            return out;
        });
        try {
            return run.get(PROBE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            return List.of(RuleProblem.error(Kind.TIMEOUT, null, null, null,
                    "抽查规则试运行 " + probes.size() + " 个模拟商户超过 " + PROBE_SECONDS + " 秒仍未结束：某条规则的结论可能陷入了死循环（如 while 循环）"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing sampling rules", e);
        } catch (ExecutionException e) {
            return List.of(RuleProblem.error(Kind.RUNTIME, null, null, null, "抽查规则试运行失败：" + e.getCause()));
        }
    }

    static String proportion(SamplingCandidate.Decision d) {
        return CandidateList.percent(d.basisPoints()) + "%" + (d.weekly() ? "（每周）" : "");
    }

    /** A problem at the first rule that names the stratum (its text holds the name as a literal). */
    private static RuleProblem atStratum(DrlIndex index, String stratum, String message) {
        String rule = index.rules().stream().filter(r -> r.text().contains("\"" + stratum + "\"")).map(DrlIndex.RuleBlock::name).findFirst().orElse(null);
        return RuleCompiler.atRule(index, Kind.STRATUM_CONFLICT, rule, message);
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
