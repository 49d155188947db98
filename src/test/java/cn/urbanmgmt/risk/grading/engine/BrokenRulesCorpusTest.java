package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The corpus of broken DRL in src/test/resources/drl-corpus: each case is reported with the right
 * kind, file, line, column and rule, and a zh-CN message. Drools alone gives no line for an unknown
 * field and the rule's line for a bad consequence; these are the service's mapping.
 */
class BrokenRulesCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/drl-corpus");

    @BeforeAll
    static void shortTimeLimit() {
        CompiledRules.setTimeLimitMillis(500);
    }

    @AfterAll
    static void restoreTimeLimit() {
        CompiledRules.setTimeLimitMillis(2000);
    }

    static RuleCompiler.Result compile(String name) {
        return RuleCompiler.compile(RuleSource.fromDirectory(CORPUS.resolve(name), "grading"));
    }

    static RuleProblem only(RuleCompiler.Result r, RuleProblem.Level level) {
        List<RuleProblem> ps = r.problems().stream().filter(p -> p.level() == level).toList();
        assertEquals(1, ps.size(), () -> "exactly one " + level + " expected: " + r.problems());
        return ps.get(0);
    }

    static void assertAt(RuleProblem p, Kind kind, String file, int line, Integer column, String rule) {
        assertEquals(kind, p.kind(), p::toString);
        assertEquals(file, p.file(), p::toString);
        assertEquals(line, p.line(), p::toString);
        if (column != null) assertEquals(column, p.column(), p::toString);
        assertEquals(rule, p.rule(), p::toString);
        assertFalse(p.message().isBlank());
    }

    @Test
    void syntaxErrorIsPlacedWhereTheParserStopped() {
        RuleCompiler.Result r = compile("syntax-error");
        assertFalse(r.ok());
        RuleProblem p = only(r, RuleProblem.Level.ERROR);
        // The missing ")" is on line 10; the parser notices at "then" on line 11 and says so.
        assertAt(p, Kind.SYNTAX, "grading/20-cases.drl", 11, 1, "一年内的严重案件");
        assertTrue(p.message().contains("右括号"), p.message());
        assertNotNull(p.detail());
    }

    @Test
    void unknownFieldIsMappedToItsLineAndColumn() {
        RuleCompiler.Result r = compile("unknown-field");
        RuleProblem p = only(r, RuleProblem.Level.ERROR);
        assertAt(p, Kind.UNKNOWN_FIELD, "grading/20-cases.drl", 18, 20, "一年内的严重案件");
        assertTrue(p.message().contains("CaseFact 没有字段“severty”"), p.message());
        assertTrue(p.message().contains("是否想写“severity”"), p.message());
    }

    @Test
    void unknownTypeIsPlacedAtTheTypeName() {
        RuleProblem p = only(compile("unknown-type"), RuleProblem.Level.ERROR);
        assertAt(p, Kind.UNKNOWN_TYPE, "grading/20-cases.drl", 17, 10, "一年内的严重案件");
        assertTrue(p.message().contains("CaseFacts"), p.message());
    }

    @Test
    void badConsequenceIsPlacedAtTheUnknownMethodNotTheRuleLine() {
        RuleProblem p = only(compile("bad-consequence"), RuleProblem.Level.ERROR);
        assertAt(p, Kind.CONSEQUENCE, "grading/20-cases.drl", 19, 8, "一年内的严重案件");
        assertTrue(p.message().contains("addPoint"), p.message());
        assertTrue(p.message().contains("是否想写“addPoints”"), p.message());
    }

    @Test
    void duplicateRuleNameAcrossFilesNamesBothPlaces() {
        RuleCompiler.Result r = compile("duplicate-rule-name");
        assertFalse(r.ok());
        RuleProblem p = only(r, RuleProblem.Level.ERROR);
        assertAt(p, Kind.DUPLICATE_RULE, "grading/30-complaints.drl", 6, 1, "一年内有问题");
        assertTrue(p.message().contains("grading/20-cases.drl 第 6 行"), p.message());
    }

    @Test
    void ruleThatLoopsIsAnErrorAgainstThatRule() {
        RuleCompiler.Result r = compile("infinite-loop");
        assertFalse(r.ok());
        RuleProblem p = only(r, RuleProblem.Level.ERROR);
        assertAt(p, Kind.LOOP, "grading/20-cases.drl", 6, 1, "一年内的案件");
        assertTrue(p.message().contains("死循环"), p.message());
    }

    @Test
    void ruleThatRunsTooLongIsStoppedAndNamed() {
        RuleCompiler.Result r = compile("too-slow");
        assertFalse(r.ok());
        RuleProblem p = only(r, RuleProblem.Level.ERROR);
        // Stopped once its thread used 500 ms of CPU, however busy the machine.
        assertAt(p, Kind.TIMEOUT, "grading/20-cases.drl", 6, 1, "很慢的规则");
        assertTrue(p.message().contains("500 毫秒"), p.message());
    }

    @Test
    void ruleThatWaitsIsRefusedByTheAllowListBeforeItRuns() {
        long t0 = System.nanoTime();
        RuleCompiler.Result r = compile("sleeps-too-long");
        assertFalse(r.ok());
        // Thread is not on the allow-list: refused at the call, before anything is compiled or probed.
        RuleProblem p = only(r, RuleProblem.Level.ERROR);
        assertAt(p, Kind.SANDBOX, "grading/20-cases.drl", 11, 5, "很慢的规则");
        assertTrue(p.message().contains("java.lang.Thread"), p.message());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
    }

    @Test
    void ruleThatWaitsTooLongIsStoppedByTheClockIfItEverRan() {
        // Defence in depth: built here without the allow-list, as if a wait had slipped past it.
        RuleSource source = RuleSource.fromDirectory(CORPUS.resolve("sleeps-too-long"), "grading");
        org.kie.api.KieServices ks = org.kie.api.KieServices.Factory.get();
        org.kie.api.builder.KieFileSystem kfs = ks.newKieFileSystem();
        source.files().forEach((path, text) -> kfs.write("src/main/resources/" + path, text));
        ClassLoader loader = cn.urbanmgmt.risk.grading.model.MerchantFact.class.getClassLoader();
        org.kie.api.builder.KieBuilder kb = ks.newKieBuilder(kfs, loader).buildAll();
        assertFalse(kb.getResults().hasMessages(org.kie.api.builder.Message.Level.ERROR), () -> kb.getResults().toString());
        CompiledRules rules = new CompiledRules(source, ks.newKieContainer(ks.getRepository().getDefaultReleaseId(), loader));
        try {
            cn.urbanmgmt.risk.grading.model.MerchantFacts withEvents = ProbeFacts.all(java.time.LocalDate.now()).stream()
                    .filter(f -> f.events().size() >= 3).findFirst().orElseThrow();
            long t0 = System.nanoTime();
            RuleFaultException e = org.junit.jupiter.api.Assertions.assertThrows(RuleFaultException.class, () -> rules.evaluate(withEvents));
            assertEquals(Kind.TIMEOUT, e.kind(), e::getMessage);
            assertEquals("很慢的规则", e.rule());
            // Stopped after 3 x 500 ms by the clock (twice: the plain run and the diagnostic run), not 300 ms per event.
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 8_000);
        } finally {
            rules.release();
        }
    }

    @Test
    void patternOnATypeThatIsNeverInsertedIsAWarningAndTheRestCompiles() {
        RuleCompiler.Result r = compile("never-fires");
        assertTrue(r.ok(), () -> r.problems().toString());
        RuleProblem p = only(r, RuleProblem.Level.WARNING);
        assertAt(p, Kind.NEVER_FIRES, "grading/20-cases.drl", 18, 10, "单项扣 10 分");
        assertTrue(p.message().contains("from"), p.message());
        r.rules().release();
    }

    @Test
    void defaultRulesHaveNoProblemsAtAll() {
        RuleCompiler.Result r = RuleCompiler.compile(RuleSource.fromDirectory(Path.of("rules"), "grading"));
        assertTrue(r.ok());
        assertEquals(List.of(), r.problems());
        r.rules().release();
        assertTrue(r.rules().isDisposed());
        assertNull(null);
    }
}
