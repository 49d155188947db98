package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the rules decided about one candidate, as rule authors and planners read it: EXCLUDED with a
 * reason, MUST_INCLUDE in a stratum, or SAMPLED in a stratum at a proportion (once, or each week);
 * {@code text} says it in one zh-CN phrase, e.g. "抽取 3%：绿色（低风险）".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SamplingDecision(SamplingScenario.Outcome decision, String stratum, String percent, Boolean weekly, String reason, String text) {

    public static SamplingDecision of(SamplingCandidate evaluated) {
        SamplingCandidate.Decision d = evaluated.resolve();
        SamplingScenario.Outcome o = SamplingScenario.Outcome.of(evaluated);
        return switch (o) {
            case EXCLUDED -> new SamplingDecision(o, null, null, null, d.excludedBecause(), "排除（" + d.excludedBecause() + "）");
            case MUST_INCLUDE -> new SamplingDecision(o, d.stratum(), "100", false, null, "必查：" + d.stratum());
            case SAMPLED -> new SamplingDecision(o, d.stratum(), CandidateList.percent(d.basisPoints()), d.weekly(), null,
                    (d.weekly() ? "每周抽取 " : "抽取 ") + CandidateList.percent(d.basisPoints()) + "%：" + d.stratum());
        };
    }
}
