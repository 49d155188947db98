package cn.urbanmgmt.risk.rules;

import java.util.Collection;
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

    /** Adds a failure (zh-CN) for each rule the scenario expects to fire that did not, and each it expects not to fire that did. */
    static void checkFired(List<String> mustFire, List<String> mustNotFire, Collection<String> fired, List<String> failures) {
        for (String r : mustFire) {
            if (!fired.contains(r)) failures.add("期望规则“" + r + "”触发，但它没有触发");
        }
        for (String r : mustNotFire) {
            if (fired.contains(r)) failures.add("期望规则“" + r + "”不触发，但它触发了");
        }
    }
}
