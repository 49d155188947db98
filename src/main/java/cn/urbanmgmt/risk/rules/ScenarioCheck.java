package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.CandidateCheck;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** No rule set becomes active (at start-up, by activation or rollback) unless the scenarios that travel with it pass. */
@ApplicationScoped
public class ScenarioCheck implements CandidateCheck {

    @Override
    public List<RuleProblem> check(RuleSource source, CompiledRules rules) {
        return ScenarioRunner.run(source, rules).asProblems();
    }
}
