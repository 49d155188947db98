package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Errors at the right place: each check points at the file, line and rule that caused it. */
class RuleErrorPlacementTest {

    @BeforeAll
    static void shortTimeLimit() {
        CompiledRules.setTimeLimitMillis(500);
    }

    @AfterAll
    static void restoreTimeLimit() {
        CompiledRules.setTimeLimitMillis(2000);
    }

    static RuleCompiler.Result withFile(String path, String text) {
        RuleSource shipped = RuleSource.fromDirectory(Path.of("rules"), "grading");
        Map<String, String> files = new LinkedHashMap<>(shipped.files());
        files.put(path, text);
        return RuleCompiler.compile(RuleSource.of(files));
    }

    static RuleProblem firstError(RuleCompiler.Result r) {
        assertFalse(r.ok(), () -> "expected an error: " + r.problems());
        return r.errors().get(0);
    }

    static final String HEAD = """
            package grading;

            import cn.urbanmgmt.risk.grading.model.*;

            global Assessment assessment;

            """;

    @Test
    void timeoutNamesTheSlowRuleNotItsNeighbours() {
        RuleProblem p = firstError(withFile("grading/90-slow.drl", HEAD + """
                rule "快的规则一"
                when
                    $c : CaseFact()
                then
                    assessment.addPoints(0, "快");
                end

                rule "慢的规则"
                when
                    $c : CaseFact()
                then
                    long x = 0;
                    for (long i = 0; i < 4000000000L; i++) { x += i ^ (x >>> 3); }
                    assessment.addPoints((int) (x & 1), "慢");
                end

                rule "快的规则二"
                when
                    $c : CaseFact()
                then
                    assessment.addPoints(0, "快");
                end
                """));
        assertEquals(RuleProblem.Kind.TIMEOUT, p.kind(), p::toString);
        assertEquals("慢的规则", p.rule());
        assertEquals("grading/90-slow.drl", p.file());
        assertEquals(14, p.line());
    }

    @Test
    void typeMismatchInAConstraintIsPlacedAtItsLine() {
        RuleProblem p = firstError(withFile("grading/90-mismatch.drl", HEAD + """
                rule "类型不匹配"
                when
                    $c : CaseFact( daysAgo == "一年" )
                then
                    assessment.addPoints(1, "x");
                end
                """));
        assertEquals("grading/90-mismatch.drl", p.file(), p::toString);
        assertEquals(9, p.line(), p::toString);
        assertEquals("类型不匹配", p.rule(), p::toString);
    }

    @Test
    void ruleThatRunsOutOfMemoryIsAFaultOfThatRule() {
        RuleProblem p = firstError(withFile("grading/90-oom.drl", HEAD + """
                rule "占内存的规则"
                when
                    $c : CaseFact()
                then
                    long[] a = new long[Integer.MAX_VALUE - 8];
                    assessment.addPoints(a.length, "x");
                end
                """));
        assertEquals(RuleProblem.Kind.RUNTIME, p.kind(), p::toString);
        assertEquals("grading/90-oom.drl", p.file());
        assertEquals(7, p.line());
        assertEquals("占内存的规则", p.rule());
        assertTrue(p.message().contains("内存"), p.message());
    }

    @Test
    void emptyFileIsAnErrorAtThatFile() {
        RuleProblem p = firstError(withFile("grading/90-empty.drl", "  \n\n"));
        assertEquals(RuleProblem.Kind.EMPTY, p.kind(), p::toString);
        assertEquals("grading/90-empty.drl", p.file());
        assertEquals(1, p.line());
    }

    @Test
    void missingThresholdsFileIsNamed() {
        RuleSource shipped = RuleSource.fromDirectory(Path.of("rules"), "grading");
        Map<String, String> files = new LinkedHashMap<>(shipped.files());
        files.remove("grading/00-thresholds.drl");
        RuleCompiler.Result r = RuleCompiler.compile(RuleSource.of(files));
        RuleProblem p = firstError(r);
        assertEquals(RuleProblem.Kind.NO_THRESHOLDS, p.kind(), p::toString);
        assertEquals("grading/00-thresholds.drl", p.file());
        assertTrue(p.message().contains("00-thresholds.drl"), p.message());
        assertEquals(List.of(), r.warnings().stream().filter(w -> w.kind() == RuleProblem.Kind.SANDBOX).toList());
    }
}
