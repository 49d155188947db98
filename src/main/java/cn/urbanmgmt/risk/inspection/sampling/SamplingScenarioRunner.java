package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.rules.ScenarioOutcome;
import cn.urbanmgmt.risk.rules.ScenarioReport;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Runs sampling scenarios against compiled sampling rules and says, in zh-CN, what did not come out as expected. */
public final class SamplingScenarioRunner {

    private SamplingScenarioRunner() {
    }

    /** The outcome of one scenario: what was expected and what the rules decided. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SamplingScenarioResult(String file, int line, String name, boolean passed, String expected, SamplingDecision actual,
                                         List<String> firedRules, List<String> failures, String faultyRule) implements ScenarioOutcome {
    }

    /** Parses {@code source}'s scenario files and runs them against {@code rules}. */
    public static ScenarioReport<SamplingScenarioResult> run(RuleSource source, SamplingRules rules) {
        return ScenarioReport.run(SamplingScenarioParser.parse(source.tests()), s -> run(s, rules));
    }

    public static SamplingScenarioResult run(SamplingScenario s, SamplingRules rules) {
        SamplingScenario.Expectation x = s.expect();
        String expected = describe(x);
        SamplingCandidate c = s.candidate().copy();
        List<String> failures = new ArrayList<>();
        List<String> fired;
        SamplingDecision actual;
        try {
            fired = rules.evaluateTraced(c);
            actual = SamplingDecision.of(c);
        } catch (RuleFaultException e) {
            failures.add(e.getMessage());
            return new SamplingScenarioResult(s.file(), s.line(), s.name(), false, expected, null, List.of(), failures, e.rule());
        } catch (IllegalArgumentException e) {
            failures.add("抽查规则给出的决定无效：" + e.getMessage());
            return new SamplingScenarioResult(s.file(), s.line(), s.name(), false, expected, null, List.of(), failures, null);
        }
        if (x.decision() != actual.decision()) {
            failures.add("期望“" + expected + "”，实际“" + actual.text() + "”");
        } else {
            if (x.reason() != null && !x.reason().equals(actual.reason())) {
                failures.add("期望排除原因“" + x.reason() + "”，实际“" + actual.reason() + "”");
            }
            if (x.stratum() != null && !x.stratum().equals(actual.stratum())) {
                failures.add("期望分层“" + x.stratum() + "”，实际“" + actual.stratum() + "”");
            }
            if (x.percent() != null && actual.percent() != null && new BigDecimal(actual.percent()).compareTo(BigDecimal.valueOf(x.percent())) != 0) {
                failures.add("期望抽查比例 " + percent(x.percent()) + "%，实际 " + actual.percent() + "%");
            }
            if (x.weekly() != null && actual.weekly() != null && !x.weekly().equals(actual.weekly())) {
                failures.add(x.weekly() ? "期望每周抽取，实际在检查期内只抽取一次" : "期望在检查期内抽取一次，实际每周抽取");
            }
        }
        ScenarioOutcome.checkFired(x.rules(), x.notRules(), fired, failures);
        if (!failures.isEmpty()) failures.add(fired.isEmpty() ? "没有规则触发" : "实际触发的规则：" + String.join("、", fired));
        return new SamplingScenarioResult(s.file(), s.line(), s.name(), failures.isEmpty(), expected, actual, List.copyOf(fired), failures, null);
    }

    /** The expectation in the words of {@link SamplingDecision#text()}. */
    static String describe(SamplingScenario.Expectation x) {
        if (x.decision() == null) return "?";
        return switch (x.decision()) {
            case EXCLUDED -> "排除" + (x.reason() == null ? "" : "（" + x.reason() + "）");
            case MUST_INCLUDE -> "必查" + (x.stratum() == null ? "" : "：" + x.stratum());
            case SAMPLED -> (Boolean.TRUE.equals(x.weekly()) ? "每周抽取" : "抽取") + (x.percent() == null ? "" : " " + percent(x.percent()) + "%")
                    + (x.stratum() == null ? "" : "：" + x.stratum());
        };
    }

    private static String percent(double p) {
        return CandidateList.percent((int) Math.round(p * 100));
    }
}
