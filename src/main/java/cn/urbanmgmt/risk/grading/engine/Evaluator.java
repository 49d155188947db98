package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;

/** Grades one merchant's facts. The rule engine is one; a hand-written baseline is another (benchmarks). */
public interface Evaluator {

    /** Identifies what produced a grade: the rule-set content hash. */
    String version();

    Assessment evaluate(MerchantFacts facts);

    /** How many days back before the evaluation date events count (see {@link LookBack}). */
    default int lookBackDays() {
        return LookBack.DEFAULT_DAYS;
    }

    /** On which days a merchant's result can change without a new event (see {@link AgeWindows}); unknown by default. */
    default AgeWindows ageWindows() {
        return AgeWindows.unbounded("评级程序未声明其使用事件天数的方式");
    }
}
