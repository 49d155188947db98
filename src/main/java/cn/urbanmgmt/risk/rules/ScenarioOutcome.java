package cn.urbanmgmt.risk.rules;

import java.util.List;

/** The outcome of one test scenario of any rule kind: where it is, whether it passed, and why not (zh-CN). */
public interface ScenarioOutcome {

    String file();

    int line();

    String name();

    boolean passed();

    List<String> failures();

    /** The rule at fault when one failed while running the scenario, else null. */
    String faultyRule();
}
