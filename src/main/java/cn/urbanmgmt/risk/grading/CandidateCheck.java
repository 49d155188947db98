package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import java.util.List;

/**
 * A check a compiled rule set must pass before it may become active, beyond compiling (the rule
 * authoring module runs the test scenarios). CDI beans; RuleSetService applies them all.
 */
public interface CandidateCheck {

    /** Problems found; any error keeps the candidate from becoming active. */
    List<RuleProblem> check(RuleSource source, CompiledRules rules);
}
