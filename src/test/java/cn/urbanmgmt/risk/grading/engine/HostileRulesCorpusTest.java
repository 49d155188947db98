package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.inspection.sampling.SamplingCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile corpus in src/test/resources/drl-hostile: rule files that try to exit the JVM, start
 * processes, touch files, open sockets, reflect, load classes, script, deserialise, reach the engine
 * or forge reasons, directly and disguised (fully qualified names, imports, static imports, MVEL
 * constraints, eval, from, accumulate, functions, declared types, string concatenation, behind a
 * condition the probe merchants never meet). Each is added to the shipped rules and must be refused
 * by the allow-list at the line marked "&lt;- refused", naming its rule, before Drools is asked to
 * build anything; and nothing it tried may have happened.
 */
class HostileRulesCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/drl-hostile");
    static final Path MARKER = Path.of("target/hostile-marker");
    static final Pattern RULE = Pattern.compile("^rule \"([^\"]+)\"", Pattern.MULTILINE);

    @BeforeAll
    static void noMarkerYet() throws IOException {
        Files.deleteIfExists(MARKER);
    }

    @AfterAll
    static void nothingHappened() {
        assertFalse(Files.exists(MARKER), "a hostile rule wrote " + MARKER);
        assertTrue(ProcessHandle.current().isAlive());
    }

    static Stream<Path> cases(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".drl")).sorted().toList().stream();
        }
    }

    @Test
    void theCorpusCoversAtLeastTwentyFiveCases() throws IOException {
        long n = cases(CORPUS).count() + cases(CORPUS.resolve("sampling")).count();
        assertTrue(n >= 25, "only " + n + " hostile cases");
    }

    @TestFactory
    Stream<DynamicTest> everyHostileGradingFileIsRefusedAtItsLineBeforeDroolsBuildsAnything() throws IOException {
        return cases(CORPUS).map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            RuleSource shipped = RuleSource.fromDirectory(Path.of("rules"), "grading");
            Map<String, String> files = new LinkedHashMap<>(shipped.files());
            String file = "grading/99-hostile.drl";
            files.put(file, text);
            long builds = RuleCompiler.builds();
            RuleCompiler.Result r = RuleCompiler.compile(RuleSource.of(files, shipped.tests()));
            assertRefused(r.ok(), r.problems(), file, text);
            assertEquals(builds, RuleCompiler.builds(), "Drools was asked to build a refused rule set");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyHostileSamplingFileIsRefusedAtItsLine() throws IOException {
        return cases(CORPUS.resolve("sampling")).map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            RuleSource shipped = RuleSource.fromDirectory(Path.of("rules"), "sampling");
            Map<String, String> files = new LinkedHashMap<>(shipped.files());
            String file = "sampling/99-hostile.drl";
            files.put(file, text);
            long builds = RuleCompiler.builds();
            RuleSetRuntime.Compiled<?> r = SamplingCompiler.compile(RuleSource.of(files, shipped.tests()));
            assertRefused(r.rules() != null, r.problems(), file, text);
            assertEquals(builds, RuleCompiler.builds(), "Drools was asked to build a refused rule set");
        }));
    }

    static void assertRefused(boolean ok, List<RuleProblem> problems, String file, String text) {
        assertFalse(ok, "a hostile rule set was accepted");
        int line = markedLine(text);
        Matcher m = RULE.matcher(text);
        String rule = m.find() ? m.group(1) : null;
        List<RuleProblem> at = new ArrayList<>();
        for (RuleProblem p : problems) {
            assertEquals(RuleProblem.Kind.SANDBOX, p.kind(), () -> "only allow-list problems expected: " + problems);
            if (file.equals(p.file()) && Integer.valueOf(line).equals(p.line())) at.add(p);
        }
        assertFalse(at.isEmpty(), () -> "expected a refusal at " + file + ":" + line + ", got " + problems);
        RuleProblem p = at.get(0);
        assertNotNull(p.column());
        assertTrue(p.message().contains("rules/README.md"), p.message());
        assertTrue(p.message().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN), p.message());
        // Rule-level code names its rule; package-level code (imports, globals, functions, declared types) has none.
        String lineText = text.lines().skip(line - 1).findFirst().orElse("");
        boolean packageLevel = text.indexOf(lineText) < text.indexOf("\nrule ");
        assertEquals(packageLevel ? null : rule, p.rule(), p::toString);
    }

    static int markedLine(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("// <- refused")) return i + 1;
        throw new AssertionError("no line marked // <- refused");
    }
}
