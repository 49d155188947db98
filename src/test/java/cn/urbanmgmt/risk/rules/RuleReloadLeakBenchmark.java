package cn.urbanmgmt.risk.rules;

import static cn.urbanmgmt.risk.TestSupport.createMerchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a unit test: 200 successive activations through the real service path (upload,
 * compile, scenarios, activation, regrade job, grading on the new rules) must leave heap and
 * metaspace flat, i.e. replaced rule sets are disposed. Also times compile and activation.
 *
 * <pre>
 * ./mvnw test -Dtest=RuleReloadLeakBenchmark -Dbench=rules-leak \
 *     -Dquarkus.embedded.postgresql.port=54341 -Dquarkus.http.test-port=8093
 * </pre>
 * Figures go to the console and target/rules-leak-benchmark.txt (see docs/rules-authoring.md).
 */
@QuarkusTest
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = ".*rules-leak.*")
@io.quarkus.test.junit.TestProfile(RuleReloadLeakBenchmark.NoSimulationGate.class)
class RuleReloadLeakBenchmark {

    /** Measures activations back to back: the gate (a full simulation per activation) is not what is measured here. */
    public static class NoSimulationGate implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("app.rules.activation.require-simulation", "false");
        }
    }

    static final int ACTIVATIONS = 200;

    @Inject
    RuleAuthoringService authoring;

    @Inject
    GradingService grading;

    record Sample(int activations, double heapMb, double metaspaceMb, int loadedClasses, int liveRuleSets, long activationMillis) {
    }

    @Test
    void twoHundredActivationsKeepHeapAndMetaspaceFlat() throws Exception {
        String defaultVersion = RuleSource.fromDirectory(Path.of("rules"), "grading").hash();
        List<Long> merchants = new ArrayList<>();
        for (int i = 0; i < 20; i++) merchants.add(createMerchant(uscc(), "jingansi"));
        Map<String, String> base = RulesTestSupport.defaultFiles();

        StringBuilder out = new StringBuilder();
        RuleSource source = RuleSource.fromDirectory(Path.of("rules"), "grading");
        long[] compile = new long[10];
        for (int i = 0; i < compile.length; i++) {
            RuleCompiler.Result r = RuleCompiler.compile(source);
            compile[i] = r.millis();
            r.rules().release();
        }
        out.append(String.format("compile+check of rules/grading (7 files, 19 rules, incl. probe runs): %s ms%n", java.util.Arrays.toString(compile)));

        List<Sample> samples = new ArrayList<>();
        samples.add(measure(0, 0));
        long totalActivation = 0;
        for (int i = 1; i <= ACTIVATIONS; i++) {
            Map<String, String> files = RulesTestSupport.with(base, "grading/00-thresholds.drl",
                    base.get("grading/00-thresholds.drl") + "\n// leak benchmark " + i + "\n");
            String version = authoring.upload(files, "泄漏测试 " + i, "author").version().version();
            long t0 = System.nanoTime();
            authoring.activate(version, "泄漏测试 " + i, "author");
            totalActivation += (System.nanoTime() - t0) / 1_000_000;
            GradingService.BatchResult graded = grading.regradeMerchants(merchants, "泄漏测试");
            assertTrue(graded.version().equals(version));
            if (i % 25 == 0) samples.add(measure(i, totalActivation / i));
        }
        authoring.rollback(defaultVersion, "泄漏测试结束，恢复默认规则", "author");

        out.append(String.format("%12s %10s %14s %14s %16s %16s%n", "activations", "heap MB", "metaspace MB", "loaded classes",
                "live rule sets", "avg activate ms"));
        for (Sample s : samples) {
            out.append(String.format("%12d %10.1f %14.1f %14d %16d %16d%n", s.activations(), s.heapMb(), s.metaspaceMb(), s.loadedClasses(),
                    s.liveRuleSets(), s.activationMillis()));
        }
        System.out.println("\n" + out);
        Files.writeString(Path.of("target/rules-leak-benchmark.txt"), out.toString());

        // The active set, the cached ones and the one just rolled back to: never one per activation.
        assertTrue(CompiledRules.live() <= 6, "rule sets left undisposed: " + CompiledRules.live());
        Sample at50 = samples.get(2);
        Sample last = samples.get(samples.size() - 1);
        assertTrue(last.metaspaceMb() - at50.metaspaceMb() < 20, "metaspace grew from " + at50.metaspaceMb() + " to " + last.metaspaceMb());
    }

    private static Sample measure(int activations, long avgMillis) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        double meta = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) meta = pool.getUsage().getUsed() / 1048576.0;
        }
        return new Sample(activations, heap, meta, ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), CompiledRules.live(),
                avgMillis);
    }
}
