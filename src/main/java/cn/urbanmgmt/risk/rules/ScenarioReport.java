package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import java.util.ArrayList;
import java.util.List;

/** All scenario results of a rule set, plus problems in the scenario files themselves. */
public interface ScenarioReport<T extends ScenarioOutcome> {

    int total();

    int passed();

    int failed();

    List<T> results();

    List<RuleProblem> problems();

    default boolean ok() {
        return failed() == 0 && problems().stream().noneMatch(RuleProblem::isError);
    }

    /** Errors for a candidate check: file problems, and each failed scenario at its file and line (and the rule at fault, if any). */
    default List<RuleProblem> asProblems() {
        List<RuleProblem> out = new ArrayList<>(problems());
        for (T r : results()) {
            if (r.passed()) continue;
            out.add(new RuleProblem(RuleProblem.Level.ERROR, RuleProblem.Kind.SCENARIO, r.file(), r.line(), null, r.faultyRule(),
                    "测试场景“" + r.name() + "”未通过：" + String.join("；", r.failures()), null));
        }
        return out;
    }
}
