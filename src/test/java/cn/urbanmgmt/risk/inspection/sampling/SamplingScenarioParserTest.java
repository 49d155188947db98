package cn.urbanmgmt.risk.inspection.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mistakes in sampling scenario files are reported with file and line; failing scenarios say what was expected and what came out. */
class SamplingScenarioParserTest {

    static final String FILE = "tests/sampling/x.yaml";

    static List<RuleProblem> problems(String yaml) {
        return SamplingScenarioParser.parse(Map.of(FILE, yaml)).problems();
    }

    @Test
    void unknownFieldsAndBadValuesAreReportedAtTheirLines() {
        String yaml = """
                scenarios:
                  - name: 拼错的字段和取值
                    merchant:
                      grade: 紫
                      satus: 关闭
                    item:
                      lastInspectedDaysAgo: 十天
                    expect:
                      decision: 抽签
                  - name: 排除却写了分层
                    expect:
                      decision: 排除
                      stratum: 绿色（低风险）
                  - name: 没有期望
                """;
        List<RuleProblem> ps = problems(yaml);
        assertEquals(List.of(4, 5, 7, 9, 13, 14), ps.stream().map(RuleProblem::line).toList(), ps::toString);
        assertTrue(ps.get(0).message().contains("紫"));
        assertTrue(ps.get(1).message().contains("satus") && ps.get(1).message().contains("status"), ps.get(1).message());
        assertTrue(ps.get(2).message().contains("应为整数"));
        assertTrue(ps.get(3).message().contains("抽签") && ps.get(3).message().contains("MUST_INCLUDE（必查）"), ps.get(3).message());
        assertTrue(ps.get(4).message().contains("只能写 reason"));
        assertTrue(ps.get(5).message().contains("缺少 expect"));
        assertTrue(ps.stream().allMatch(p -> FILE.equals(p.file()) && p.kind() == RuleProblem.Kind.SCENARIO));
    }

    @Test
    void yamlSyntaxErrorsHaveALine() {
        List<RuleProblem> ps = problems("scenarios:\n  - name: a\n    expect: {decision: 必查\n");
        assertEquals(1, ps.size());
        assertTrue(ps.get(0).message().startsWith("YAML 格式错误"), ps.get(0).message());
        assertTrue(ps.get(0).line() >= 3);
    }

    @Test
    void aFailingScenarioSaysWhatWasExpectedAndWhatCameOut() {
        RuleSource source = RuleSource.fromDirectory(Path.of("rules"), "sampling").withTests(Map.of(FILE, """
                scenarios:
                  - name: 以为红色商户按 60% 抽取
                    merchant: {grade: 红}
                    expect: {decision: 抽取, stratum: 红色（高风险）, percent: 60, rules: [红色（高风险）抽取 60%]}
                  - name: 以为绿色商户每周抽取
                    merchant: {grade: 绿}
                    expect: {decision: 抽取, percent: 5, weekly: true}
                  - name: 以为停业的商户被排除
                    merchant: {grade: 绿, status: 停业}
                    expect: {decision: 排除, reason: 商户停业}
                """));
        RuleSetRuntime.Compiled<SamplingRules> compiled = SamplingCompiler.compile(source);
        try {
            cn.urbanmgmt.risk.rules.ScenarioReport<SamplingScenarioRunner.SamplingScenarioResult> report = SamplingScenarioRunner.run(source, compiled.rules());
            assertEquals(3, report.failed());
            assertFalse(report.ok());
            List<String> red = report.results().get(0).failures();
            assertEquals("期望“抽取 60%：红色（高风险）”，实际“必查：红色（高风险）”", red.get(0));
            assertEquals("期望规则“红色（高风险）抽取 60%”触发，但它没有触发", red.get(1));
            assertEquals("实际触发的规则：红色（高风险）商户全部检查", red.get(2));
            List<String> green = report.results().get(1).failures();
            assertEquals(List.of("期望抽查比例 5%，实际 3%", "期望每周抽取，实际在检查期内只抽取一次", "实际触发的规则：绿色（低风险）抽取 3%"), green);
            assertEquals("期望“排除（商户停业）”，实际“抽取 3%：绿色（低风险）”", report.results().get(2).failures().get(0));
            // As a check before activation: one error per failed scenario, at its file and line.
            List<RuleProblem> problems = report.asProblems();
            assertEquals(List.of(2, 5, 8), problems.stream().map(RuleProblem::line).toList());
            assertTrue(problems.get(0).message().startsWith("测试场景“以为红色商户按 60% 抽取”未通过：期望“抽取 60%"), problems.get(0).message());
        } finally {
            compiled.rules().release();
        }
    }
}
