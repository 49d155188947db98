package cn.urbanmgmt.risk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mistakes in scenario files are reported with file and line, in words a rule author understands. */
class ScenarioParserTest {

    static List<RuleProblem> problems(String yaml) {
        return ScenarioParser.parse(Map.of("tests/x.yaml", yaml)).problems();
    }

    @Test
    void unknownFieldsAndBadValuesAreReportedAtTheirLines() {
        String yaml = """
                scenarios:
                  - name: 拼错的字段
                    merchant:
                      categroy: 零售
                    events:
                      - type: CASE
                        daysAgo: 3
                        severity: 很严重
                      - type: COMPLAINT
                        verifed: true
                        daysAgo: 1
                      - type: DETECTION
                    expect:
                      grade: 紫
                """;
        List<RuleProblem> ps = problems(yaml);
        assertEquals(List.of(4, 8, 10, 12, 14), ps.stream().map(RuleProblem::line).toList(), ps::toString);
        assertTrue(ps.get(0).message().contains("categroy") && ps.get(0).message().contains("category"));
        assertTrue(ps.get(1).message().contains("很严重") && ps.get(1).message().contains("SERIOUS（严重）"));
        assertTrue(ps.get(2).message().contains("verifed"));
        assertTrue(ps.get(3).message().contains("daysAgo"));
        assertTrue(ps.get(4).message().contains("紫"));
        assertTrue(ps.stream().allMatch(p -> "tests/x.yaml".equals(p.file()) && p.kind() == RuleProblem.Kind.SCENARIO));
    }

    @Test
    void yamlSyntaxErrorsHaveALine() {
        List<RuleProblem> ps = problems("scenarios:\n  - name: a\n    expect: {grade: RED\n");
        assertEquals(1, ps.size());
        assertTrue(ps.get(0).message().startsWith("YAML 格式错误"), ps.get(0).message());
        assertTrue(ps.get(0).line() >= 3);
    }

    @Test
    void aFailingScenarioSaysWhatWasExpectedAndWhatCameOut() {
        RuleSource source = RuleSource.fromDirectory(Path.of("rules"), "grading").withTests(Map.of("tests/y.yaml", """
                evaluationDate: 2026-06-30
                scenarios:
                  - name: 严重案件应为红色（错误的期望）
                    events:
                      - {type: CASE, daysAgo: 1, severity: SERIOUS}
                    expect: {grade: RED, reasons: [一年内的轻微案件]}
                """));
        RuleCompiler.Result compiled = RuleCompiler.compile(source);
        CompiledRules rules = compiled.rules();
        try {
            ScenarioReport<ScenarioRunner.Result> report = ScenarioRunner.run(source, rules);
            assertFalse(report.ok());
            ScenarioRunner.Result r = report.results().get(0);
            assertEquals(List.of("期望等级 RED（红），实际 YELLOW（黄）", "期望规则“一年内的轻微案件”触发，但它没有触发",
                    "实际触发的规则：一年内的严重案件、半年内的严重案件至少黄色"), r.failures());
            RuleProblem p = report.asProblems().get(0);
            assertEquals("tests/y.yaml", p.file());
            assertEquals(3, p.line());
        } finally {
            rules.release();
        }
    }
}
