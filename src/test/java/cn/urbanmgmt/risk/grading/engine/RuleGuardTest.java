package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;

/**
 * Defence in depth: rules built here WITHOUT the static allow-list (as if a forbidden call had
 * slipped past it) still cannot exit the JVM, start a process, write or read files or open a socket
 * while they run; the fault names the rule. And the guard costs grading next to nothing.
 */
class RuleGuardTest {

    static final Path MARKER = Path.of("target/guard-marker");

    static CompiledRules buildUnchecked(String consequence) {
        String drl = """
                package grading;
                import cn.urbanmgmt.risk.grading.model.*;
                rule "等级分数线"
                    salience 100
                when
                then
                    drools.getKieRuntime().getGlobals();
                end
                rule "越权的规则"
                when
                    $m : MerchantFact()
                then
                    %s
                end
                """.formatted(consequence);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("grading/00-guard.drl", drl);
        RuleSource source = RuleSource.of(files);
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.write("src/main/resources/grading/00-guard.drl", drl);
        ClassLoader loader = MerchantFact.class.getClassLoader();
        KieBuilder kb = ks.newKieBuilder(kfs, loader).buildAll();
        assertFalse(kb.getResults().hasMessages(Message.Level.ERROR), () -> kb.getResults().toString());
        // The allow-list would have refused it.
        assertFalse(DrlSandbox.check(source, RuleFacts.GRADING).ok());
        return new CompiledRules(source, ks.newKieContainer(ks.getRepository().getDefaultReleaseId(), loader));
    }

    static MerchantFacts merchant() {
        return ProbeFacts.all(LocalDate.now()).get(0);
    }

    static void assertRefusedAtRun(String consequence, String what) {
        CompiledRules rules = buildUnchecked(consequence);
        try {
            RuleFaultException e = assertThrows(RuleFaultException.class, () -> rules.evaluate(merchant()));
            assertEquals("越权的规则", e.rule());
            assertEquals(RuleProblem.Kind.RUNTIME, e.kind());
            assertTrue(e.getMessage().contains("运行时防护") && e.getMessage().contains(what), e.getMessage());
        } finally {
            rules.release();
        }
        assertFalse(Files.exists(MARKER), "the rule wrote " + MARKER);
        assertTrue(ProcessHandle.current().isAlive());
        assertFalse(RuleGuard.inRuleCode(), "the guard is off again once the evaluation ended");
    }

    @Test
    void guardIsInstalledByTheEngine() {
        buildUnchecked("int x = 1;").release();
        assertTrue(RuleGuard.active(), RuleGuard.unavailable());
    }

    @Test
    void exitAndHaltAreRefused() {
        assertRefusedAtRun("System.exit(3);", "退出 Java 虚拟机");
        assertRefusedAtRun("Runtime.getRuntime().halt(3);", "退出 Java 虚拟机");
    }

    @Test
    void processesAreRefused() {
        assertRefusedAtRun("try { new ProcessBuilder(\"touch\", \"" + MARKER + "\").start(); } catch (java.io.IOException e) { }", "启动进程");
        assertRefusedAtRun("try { Runtime.getRuntime().exec(\"touch " + MARKER + "\"); } catch (java.io.IOException e) { }", "启动进程");
    }

    @Test
    void filesAreRefused() {
        assertRefusedAtRun("try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + MARKER + "\"), \"x\"); } catch (java.io.IOException e) { }",
                "写入或删除文件");
        assertRefusedAtRun("try { java.nio.file.Files.readString(java.nio.file.Path.of(\"/etc/hostname\")); } catch (java.io.IOException e) { }",
                "读取文件");
    }

    @Test
    void socketsAreRefused() {
        assertRefusedAtRun("try { new java.net.Socket(\"127.0.0.1\", 5432).close(); } catch (java.io.IOException e) { }", "打开网络连接");
    }

    @Test
    void theGuardCannotBeRemovedFromRuleCode() {
        assertRefusedAtRun("System.setSecurityManager(null);", "更换安全管理器");
        assertTrue(RuleGuard.active());
        assertTrue(System.getSecurityManager() instanceof RuleGuard);
    }

    @Test
    void outsideRuleCodeTheGuardAllowsEverything() throws Exception {
        RuleGuard.install();
        Path f = Path.of("target/guard-outside");
        Files.writeString(f, "ok");
        assertEquals("ok", Files.readString(f));
        Files.delete(f);
    }

    /** Grading the probe merchants with the shipped rules, with and without the guard: printed, and bounded. */
    @Test
    void overheadOnGradingIsSmall() {
        RuleCompiler.Result r = RuleCompiler.compile(RuleSource.fromDirectory(Path.of("rules"), "grading"));
        assertTrue(r.ok(), () -> r.problems().toString());
        List<MerchantFacts> probes = ProbeFacts.all(LocalDate.now());
        SecurityManager guard = System.getSecurityManager();
        assertTrue(guard instanceof RuleGuard);
        try {
            for (int i = 0; i < 3000; i++) for (MerchantFacts m : probes) r.rules().evaluate(m); // warm up
            // Interleaved rounds, the fastest of each (the machine is shared: the slow rounds measure the neighbours).
            long with = Long.MAX_VALUE, without = Long.MAX_VALUE;
            for (int round = 0; round < 8; round++) {
                System.setSecurityManager(guard);
                with = Math.min(with, time(r.rules(), probes));
                System.setSecurityManager(null);
                without = Math.min(without, time(r.rules(), probes));
            }
            System.setSecurityManager(guard);
            double perWith = with / (2000.0 * probes.size());
            double perWithout = without / (2000.0 * probes.size());
            System.out.printf("RuleGuard overhead: %.0f ns per merchant with the guard, %.0f ns without (%+.1f%%)%n", perWith, perWithout,
                    (perWith / perWithout - 1) * 100);
            // Generous bound for a busy shared machine: the guard must not double the cost of grading.
            assertTrue(perWith < perWithout * 2, perWith + " vs " + perWithout);
        } finally {
            System.setSecurityManager(guard);
            r.rules().release();
        }
    }

    private static long time(CompiledRules rules, List<MerchantFacts> probes) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) for (MerchantFacts m : probes) rules.evaluate(m);
        return System.nanoTime() - t0;
    }
}
