package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.urbanmgmt.risk.inspection.sampling.SamplingCompiler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allow-list accepts what the shipped rules use. */
class DrlSandboxTest {

    @Test
    void shippedGradingRulesPassTheAllowListWithNothingLeftUnresolved() {
        DrlSandbox.Report r = DrlSandbox.check(RuleSource.fromDirectory(Path.of("rules"), "grading"), RuleFacts.GRADING);
        assertEquals(List.of(), r.refused());
        assertEquals(List.of(), r.unresolved());
    }

    @Test
    void shippedSamplingRulesPassTheAllowListWithNothingLeftUnresolved() {
        DrlSandbox.Report r = DrlSandbox.check(RuleSource.fromDirectory(Path.of("rules"), "sampling"), SamplingCompiler.FACTS);
        assertEquals(List.of(), r.refused());
        assertEquals(List.of(), r.unresolved());
    }
}
