package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import java.util.List;

/**
 * One test scenario of the sampling rules (rules/tests/sampling/*.yaml): a merchant considered for
 * one item of a plan, and the decision the rules must make about it. See rules/README.md.
 */
public record SamplingScenario(String file, int line, String name, SamplingCandidate candidate, Expectation expect) {

    /** The three decisions the rules can make about a candidate. */
    public enum Outcome implements Labelled {
        EXCLUDED("排除"), MUST_INCLUDE("必查"), SAMPLED("抽取");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }

        static Outcome of(SamplingCandidate evaluated) {
            SamplingCandidate.Decision d = evaluated.resolve();
            return d.excluded() ? EXCLUDED : evaluated.decidedMustInclude() ? MUST_INCLUDE : SAMPLED;
        }
    }

    /** The decision, and optionally its stratum, proportion, weekly flag, exclusion reason and the rules that must (not) fire. */
    public record Expectation(Outcome decision, String stratum, Double percent, Boolean weekly, String reason, List<String> rules,
                              List<String> notRules) {
    }
}
