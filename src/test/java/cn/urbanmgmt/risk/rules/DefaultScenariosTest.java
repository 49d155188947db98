package cn.urbanmgmt.risk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
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
 * The rule authors' scenarios in rules/tests/*.yaml against the rules in rules/grading, as part of
 * ./mvnw verify: one JUnit test per scenario, named as the author named it.
 */
class DefaultScenariosTest {

    static RuleSource source;
    static CompiledRules rules;

    @BeforeAll
    static void compile() {
        source = RuleSource.fromDirectory(Path.of("rules"), "grading");
        RuleCompiler.Result result = RuleCompiler.compile(source);
        assertTrue(result.ok(), () -> "rules/grading must compile: " + result.problems());
        rules = result.rules();
    }

    @AfterAll
    static void release() {
        rules.release();
    }

    @Test
    void scenarioFilesAreWellFormedAndCoverEveryRule() {
        var parsed = ScenarioParser.parse(source.tests());
        assertEquals(List.of(), parsed.problems());
        assertTrue(parsed.scenarios().size() >= 20, "a meaningful scenario set");
        // Every rule of the default policy gives a reason in at least one scenario (the thresholds rule gives none).
        List<String> fired = parsed.scenarios().stream().flatMap(s -> ScenarioRunner.run(s, rules).firedRules().stream()).distinct().toList();
        for (String rule : rules.ruleNames()) if (!rule.startsWith("等级分数线")) assertTrue(fired.contains(rule), "no scenario exercises rule " + rule);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        return ScenarioParser.parse(source.tests()).scenarios().stream().map(s -> DynamicTest.dynamicTest(s.file() + ":" + s.line() + " " + s.name(),
                () -> {
                    ScenarioRunner.Result r = ScenarioRunner.run(s, rules);
                    assertTrue(r.passed(), () -> s.file() + " 第 " + s.line() + " 行 “" + s.name() + "”：" + String.join("；", r.failures()));
                }));
    }
}
