package cn.urbanmgmt.risk.inspection.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule authors' sampling scenarios in rules/tests/sampling/*.yaml against the rules in
 * rules/sampling, as part of ./mvnw verify: one JUnit test per scenario, named as the author named it.
 */
class DefaultSamplingScenariosTest {

    static RuleSource source;
    static SamplingRules rules;

    @BeforeAll
    static void compile() {
        source = RuleSource.fromDirectory(Path.of("rules"), SamplingEngine.FOLDER);
        RuleSetRuntime.Compiled<SamplingRules> result = SamplingCompiler.compile(source);
        assertTrue(result.ok(), () -> "rules/sampling must compile and pass its probe runs: " + result.problems());
        assertEquals(List.of(), result.problems(), "no warnings either");
        rules = result.rules();
    }

    @AfterAll
    static void release() {
        rules.release();
    }

    @Test
    void scenarioFilesAreWellFormedAndCoverEveryRule() {
        assertTrue(source.tests().keySet().stream().allMatch(p -> p.startsWith("tests/sampling/")), source.tests().keySet()::toString);
        var parsed = SamplingScenarioParser.parse(source.tests());
        assertEquals(List.of(), parsed.problems());
        assertTrue(parsed.scenarios().size() >= 15, "a meaningful scenario set");
        List<String> fired = parsed.scenarios().stream().flatMap(s -> SamplingScenarioRunner.run(s, rules).firedRules().stream()).distinct().toList();
        for (String rule : rules.ruleNames()) assertTrue(fired.contains(rule), "no scenario exercises rule " + rule);
        // Every kind of decision is expected somewhere.
        for (SamplingScenario.Outcome o : SamplingScenario.Outcome.values()) {
            assertTrue(parsed.scenarios().stream().anyMatch(s -> s.expect().decision() == o), "no scenario expects " + o);
        }
    }

    @Test
    void theGradingScenariosDoNotIncludeTheSamplingOnes() {
        RuleSource grading = RuleSource.fromDirectory(Path.of("rules"), "grading");
        assertTrue(grading.tests().keySet().stream().noneMatch(p -> p.startsWith("tests/sampling/")), grading.tests().keySet()::toString);
        assertTrue(grading.tests().size() >= 6);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        return SamplingScenarioParser.parse(source.tests()).scenarios().stream().map(s -> DynamicTest.dynamicTest(s.file() + ":" + s.line() + " " + s.name(),
                () -> {
                    SamplingScenarioRunner.SamplingScenarioResult r = SamplingScenarioRunner.run(s, rules);
                    assertTrue(r.passed(), () -> s.file() + " 第 " + s.line() + " 行 “" + s.name() + "”：" + String.join("；", r.failures()));
                }));
    }
}
