package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * All scenario results of a rule set of any kind, plus problems in the scenario files themselves.
 *
 * @param <T> the kind's outcome of one scenario
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ScenarioReport<T extends ScenarioOutcome>(int total, int passed, int failed, List<T> results, List<RuleProblem> problems) {

    /** Runs every parsed scenario with the kind's {@code runOne} and counts what passed; the parse problems travel with the results. */
    public static <S, T extends ScenarioOutcome> ScenarioReport<T> run(ScenarioYaml.Parsed<S> parsed, Function<S, T> runOne) {
        List<T> results = new ArrayList<>();
        for (S s : parsed.scenarios()) results.add(runOne.apply(s));
        int passed = (int) results.stream().filter(ScenarioOutcome::passed).count();
        return new ScenarioReport<>(results.size(), passed, results.size() - passed, results, parsed.problems());
    }

    public boolean ok() {
        return failed() == 0 && problems().stream().noneMatch(RuleProblem::isError);
    }

    /** Errors for a candidate check: file problems, and each failed scenario at its file and line (and the rule at fault, if any). */
    public List<RuleProblem> asProblems() {
        List<RuleProblem> out = new ArrayList<>(problems());
        for (T r : results()) {
            if (r.passed()) continue;
            out.add(new RuleProblem(RuleProblem.Level.ERROR, RuleProblem.Kind.SCENARIO, r.file(), r.line(), null, r.faultyRule(),
                    "测试场景“" + r.name() + "”未通过：" + String.join("；", r.failures()), null));
        }
        return out;
    }
}
