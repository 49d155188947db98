package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleFaultException;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.grading.model.Reason;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Runs scenarios against compiled rules and says, in zh-CN, what did not come out as expected. */
public final class ScenarioRunner {

    private ScenarioRunner() {
    }

    /** The outcome of one scenario. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String file, int line, String name, boolean passed, Grade expectedGrade, Grade actualGrade,
                         Integer expectedScore, Integer actualScore, List<String> firedRules, List<Reason> reasons,
                         List<String> failures, String faultyRule) implements ScenarioOutcome {
    }

    /** Parses {@code source}'s scenario files and runs them against {@code rules}. */
    public static ScenarioReport<Result> run(RuleSource source, CompiledRules rules) {
        return ScenarioReport.run(ScenarioParser.parse(source.tests()), s -> run(s, rules));
    }

    public static Result run(Scenario s, CompiledRules rules) {
        List<String> failures = new ArrayList<>();
        Assessment a;
        try {
            a = rules.evaluate(new MerchantFacts(s.merchant(), s.events(), s.evaluationDate()));
        } catch (RuleFaultException e) {
            failures.add(e.getMessage());
            return new Result(s.file(), s.line(), s.name(), false, s.expect().grade(), null, s.expect().score(), null, List.of(), List.of(),
                    failures, e.rule());
        }
        Grade grade = a.hasThresholds() ? a.getGrade() : null;
        if (grade == null) failures.add("规则集没有设置等级分数线，无法得出等级");
        Set<String> fired = new LinkedHashSet<>();
        a.getReasons().forEach(r -> fired.add(r.rule()));
        Scenario.Expectation x = s.expect();
        if (x.grade() != null && grade != null && x.grade() != grade) {
            failures.add("期望等级 " + name(x.grade()) + "，实际 " + name(grade));
        }
        if (x.score() != null && x.score() != a.getScore()) {
            failures.add("期望分数 " + x.score() + "，实际 " + a.getScore());
        }
        ScenarioOutcome.checkFired(x.reasons(), x.notReasons(), fired, failures);
        if (!failures.isEmpty() && !fired.isEmpty()) failures.add("实际触发的规则：" + String.join("、", fired));
        return new Result(s.file(), s.line(), s.name(), failures.isEmpty(), x.grade(), grade, x.score(), a.getScore(), List.copyOf(fired),
                a.getReasons(), failures, null);
    }

    private static String name(Grade g) {
        return g.name() + "（" + g.colour() + "）";
    }

}
