package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.engine.RuleProblem.Kind;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.compiler.compiler.DescrBuildError;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;
import org.kie.internal.builder.InternalKieBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.builder.ResultSeverity;

/**
 * Compiles DRL text at run time with the classic (non-executable-model) Drools build, whose errors
 * carry file and line, and checks the result: every problem is placed at file, line, column and
 * rule (see {@link DroolsMessages}); duplicate rule names and rules that can never fire are
 * reported; and the compiled rules are run over {@link ProbeFacts}, so that a rule that loops,
 * overruns the time limit or throws is an error against that rule before it grades anyone.
 *
 * <p>Every compile gets a fresh ReleaseId; the module is removed from the repository once the
 * container exists so repeated compiles do not accumulate.
 */
public final class RuleCompiler {

    private static final AtomicLong BUILDS = new AtomicLong();
    /** Where the grading rules keep the rule that sets the thresholds. */
    static final String THRESHOLDS_FILE = "grading/00-thresholds.drl";
    private static final String RESOURCES = "src/main/resources/";
    /** Probe runs happen off the caller's thread, so a consequence that never returns cannot hang a request. */
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rules-probe");
        t.setDaemon(true);
        return t;
    });

    /** The outcome: problems found (errors first), the compiled rules when there was no error, and the time taken. */
    public record Result(List<RuleProblem> problems, CompiledRules rules, long millis) {
        public boolean ok() {
            return rules != null;
        }

        public List<RuleProblem> errors() {
            return problems.stream().filter(RuleProblem::isError).toList();
        }

        public List<RuleProblem> warnings() {
            return problems.stream().filter(p -> !p.isError()).toList();
        }
    }

    private RuleCompiler() {
    }

    /** How many times Drools was asked to build rules in this JVM (tests: a refused rule set never gets that far). */
    static long builds() {
        return BUILDS.get();
    }

    /** Compiled DRL of any kind (grading, sampling, ...): problems found, and the container when there was no error. */
    public record Built(List<RuleProblem> problems, KieContainer container) {
        public boolean ok() {
            return container != null;
        }
    }

    /** Compiles a candidate with every check (the probe runs included). */
    public static Result compile(RuleSource source) {
        return compile(source, true);
    }

    /**
     * Compiles a version that passed its checks when it was stored or activated, to use it (follow an
     * activation, start up, simulate): compile errors still count, but it is not probed again, so a
     * busy or cold machine cannot turn a sound version into a refused one.
     */
    public static Result load(RuleSource source) {
        return compile(source, false);
    }

    private static Result compile(RuleSource source, boolean probe) {
        long t0 = System.nanoTime();
        try {
            return checked(source, probe, t0);
        } catch (RuntimeException e) {
            // Drools can still throw on input it does not expect: a refused rule set, never a failed request.
            return new Result(List.of(RuleProblem.error(Kind.OTHER, null, null, null, "Drools 无法处理这个规则集：" + e)), null, millis(t0));
        }
    }

    private static Result checked(RuleSource source, boolean probe, long t0) {
        Built built = build(source);
        List<RuleProblem> problems = new ArrayList<>(built.problems());
        if (!built.ok()) return new Result(sorted(problems), null, millis(t0));
        DrlIndex index = DrlIndex.of(source.files());
        CompiledRules rules = new CompiledRules(source, built.container());
        problems.addAll(LookBack.check(rules.kieBase(), index));
        if (probe) {
            problems.addAll(RuleChecks.neverFiring(rules.kieBase(), index, RuleFacts.GRADING));
            problems.addAll(probe(rules, index));
        }
        if (problems.stream().anyMatch(RuleProblem::isError)) {
            rules.release();
            return new Result(sorted(problems), null, millis(t0));
        }
        return new Result(sorted(problems), rules, millis(t0));
    }

    /**
     * Compiles DRL files into a container, with the compiler's problems placed at file, line and rule,
     * and duplicate rule names. Shared by every rule kind; the caller owns (and disposes) the container.
     */
    public static Built build(RuleSource source) {
        return build(source, RuleFacts.GRADING);
    }

    /** {@link #build(RuleSource)} for a rule kind with its own facts (named in the messages). */
    public static Built build(RuleSource source, RuleFacts facts) {
        List<RuleProblem> problems = new ArrayList<>();
        if (source.files().isEmpty()) {
            problems.add(RuleProblem.error(Kind.EMPTY, null, null, null, "规则集中没有任何 .drl 文件"));
            return new Built(problems, null);
        }
        for (Map.Entry<String, String> f : source.files().entrySet()) {
            if (f.getValue().isBlank()) {
                problems.add(new RuleProblem(RuleProblem.Level.ERROR, Kind.EMPTY, f.getKey(), 1, 1, null,
                        "文件“" + f.getKey() + "”是空的：请写入规则，或者删除这个文件", null));
            }
        }
        if (!problems.isEmpty()) return new Built(problems, null);
        // The allow-list first: nothing of a file that names a forbidden type or method is compiled, let alone run.
        DrlSandbox.Report sandbox = DrlSandbox.check(source, facts);
        if (!sandbox.ok()) {
            problems.addAll(sandbox.refused());
            problems.addAll(RuleChecks.duplicateNames(DrlIndex.of(source.files())));
            return new Built(sorted(problems), null);
        }
        DrlIndex index = DrlIndex.of(source.files());
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("cn.urbanmgmt.rules", "rules-" + source.shortHash(), "1.0." + BUILDS.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        for (Map.Entry<String, String> f : source.files().entrySet()) {
            kfs.write(RESOURCES + f.getKey(), f.getValue());
        }
        ClassLoader loader = MerchantFact.class.getClassLoader();
        KieBuilder builder = ks.newKieBuilder(kfs, loader).buildAll();
        problems.addAll(buildProblems(builder, index, facts));
        problems.addAll(RuleChecks.duplicateNames(index));
        if (problems.stream().anyMatch(RuleProblem::isError)) {
            ks.getRepository().removeKieModule(releaseId);
            return new Built(sorted(problems), null);
        }
        if (!sandbox.unresolved().isEmpty()) {
            // Drools understood what the check could not: refused all the same, so that only checked code ever runs.
            ks.getRepository().removeKieModule(releaseId);
            problems.addAll(sandbox.unresolved());
            return new Built(sorted(problems), null);
        }
        KieContainer container = ks.newKieContainer(releaseId, loader);
        ks.getRepository().removeKieModule(releaseId);
        return new Built(problems, container);
    }

    /**
     * The checks {@link #compile} makes after building, run again on rules compiled earlier (e.g. kept
     * ready in a cache): duplicate names, rules that never fire, probe runs. Saves the build when a
     * known version is activated or rolled back to, with the same guarantees.
     */
    public static List<RuleProblem> recheck(CompiledRules rules) {
        DrlIndex index = DrlIndex.of(rules.source().files());
        List<RuleProblem> problems = new ArrayList<>(RuleChecks.duplicateNames(index));
        problems.addAll(RuleChecks.neverFiring(rules.kieBase(), index, RuleFacts.GRADING));
        problems.addAll(probe(rules, index));
        return sorted(problems);
    }

    /** Rules of any kind that can never fire: their conditions need a fact the service does not insert. */
    public static List<RuleProblem> neverFiring(org.kie.api.KieBase base, RuleSource source, RuleFacts facts) {
        return RuleChecks.neverFiring(base, DrlIndex.of(source.files()), facts);
    }

    /** What Drools reported, placed and translated. Its descriptor-level results know the rule; plain messages are the fallback. */
    private static List<RuleProblem> buildProblems(KieBuilder builder, DrlIndex index, RuleFacts facts) {
        List<RuleProblem> out = new ArrayList<>();
        KnowledgeBuilder kb = knowledgeBuilder(builder);
        if (kb != null) {
            for (KnowledgeBuilderResult r : kb.getResults(ResultSeverity.ERROR, ResultSeverity.WARNING)) {
                String path = r.getResource() == null ? null : r.getResource().getSourcePath();
                String file = path == null ? null : path.replaceFirst("^" + RESOURCES, "");
                int line = r.getLines() != null && r.getLines().length > 0 ? r.getLines()[0] : -1;
                int column = -1;
                String rule = null;
                if (r instanceof DescrBuildError d) {
                    if (d.getParentDescr() instanceof RuleDescr rd) rule = rd.getName();
                    BaseDescr descr = d.getDescr();
                    if (descr != null && descr.getLine() > 0 && !(descr instanceof RuleDescr)) {
                        line = descr.getLine();
                        column = descr.getColumn();
                    }
                }
                if (r.getMessage() != null && r.getMessage().startsWith("Duplicate rule name")) continue; // RuleChecks says it better
                out.addAll(DroolsMessages.map(index, file, line, column, rule, r.getMessage(), r.getSeverity() == ResultSeverity.ERROR, facts));
            }
        }
        if (out.isEmpty()) {
            for (Message m : builder.getResults().getMessages()) {
                if (m.getLevel() == Message.Level.INFO || m.getText().startsWith("Duplicate rule name")) continue;
                String file = m.getPath() == null ? null : m.getPath().replaceFirst("^" + RESOURCES, "");
                out.addAll(DroolsMessages.map(index, file, m.getLine(), -1, null, m.getText(), m.getLevel() == Message.Level.ERROR, facts));
            }
        }
        // "Parser returned a null Package" only repeats that the file has syntax errors.
        Set<String> filesWithSyntaxErrors = new LinkedHashSet<>();
        out.stream().filter(p -> p.kind() == Kind.SYNTAX && p.line() != null).forEach(p -> filesWithSyntaxErrors.add(p.file()));
        out.removeIf(p -> p.kind() == Kind.SYNTAX && p.line() == null && filesWithSyntaxErrors.contains(p.file()));
        return out;
    }

    private static KnowledgeBuilder knowledgeBuilder(KieBuilder builder) {
        try {
            InternalKieModule module = (InternalKieModule) ((InternalKieBuilder) builder).getKieModuleIgnoringErrors();
            for (String base : module.getKieModuleModel().getKieBaseModels().keySet()) {
                KnowledgeBuilder kb = module.getKnowledgeBuilderForKieBase(base);
                if (kb != null) return kb;
            }
        } catch (RuntimeException e) {
            // Internal API: if Drools changes it, the plain messages still work.
        }
        return null;
    }

    /** Runs the rules over the probe merchants: they must set the thresholds, and no rule may loop, overrun or throw. */
    private static List<RuleProblem> probe(CompiledRules rules, DrlIndex index) {
        LocalDate today = LocalDate.now();
        List<MerchantFacts> probes = ProbeFacts.all(today);
        Thread[] worker = new Thread[1];
        Future<List<RuleProblem>> run = PROBES.submit(() -> {
            worker[0] = Thread.currentThread();
            List<RuleProblem> out = new ArrayList<>();
            Set<String> reported = new LinkedHashSet<>();
            boolean first = true;
            for (MerchantFacts facts : probes) {
                try {
                    Assessment a = rules.evaluate(facts);
                    if (first && !a.hasThresholds()) {
                        // Named at the file where it belongs (the shipped rules keep it there), present or missing.
                        boolean present = rules.source().files().containsKey(THRESHOLDS_FILE);
                        out.add(new RuleProblem(RuleProblem.Level.ERROR, Kind.NO_THRESHOLDS, THRESHOLDS_FILE, present ? 1 : null, present ? 1 : null, null,
                                "规则集中没有规则设置等级分数线：请保留一条调用 assessment.setThresholds(黄色分数线, 红色分数线) 的规则（默认在 "
                                        + THRESHOLDS_FILE + (present ? "" : "，这个文件不在本版本中") + "）", null));
                        return out;
                    }
                } catch (RuleFaultException e) {
                    if (reported.add(e.kind() + "|" + e.rule())) out.add(atRule(index, e.kind(), e.rule(), e.getMessage()));
                }
                first = false;
            }
            return out;
        });
        long limit = (CompiledRules.timeLimitMillis() * 2 + 1000) * probes.size();
        try {
            return run.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The rule whose consequence is still running (a plain Java loop the session halt cannot stop) is to blame.
            String stuck = worker[0] == null ? null : EvaluationWatchdog.INSTANCE.ruleRunningOn(worker[0]);
            run.cancel(true);
            String message = "规则试运行超过 " + limit / 1000 + " 秒仍未结束，且无法中止：" + (stuck == null ? "某条规则" : "规则“" + stuck + "”")
                    + "的结论可能陷入了死循环（如 while 循环）或计算量过大";
            if (stuck != null) return List.of(atRule(index, Kind.TIMEOUT, stuck, message));
            return List.of(RuleProblem.error(Kind.TIMEOUT, null, null, null, message));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing rules", e);
        } catch (ExecutionException e) {
            return List.of(RuleProblem.error(Kind.RUNTIME, null, null, null, "规则试运行失败：" + e.getCause()));
        }
    }

    /** A problem against a rule found by name: placed at the rule's first line. */
    public static RuleProblem atRule(DrlIndex index, Kind kind, String rule, String message) {
        List<DrlIndex.RuleBlock> blocks = rule == null ? List.of() : index.rulesNamed(rule);
        DrlIndex.RuleBlock b = blocks.isEmpty() ? null : blocks.get(0);
        return new RuleProblem(RuleProblem.Level.ERROR, kind, b == null ? null : b.file(), b == null ? null : b.line(),
                b == null ? null : 1, rule, message, null);
    }

    public static List<RuleProblem> sorted(List<RuleProblem> problems) {
        List<RuleProblem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparing((RuleProblem p) -> p.isError() ? 0 : 1)
                .thenComparing(p -> p.file() == null ? "" : p.file())
                .thenComparing(p -> p.line() == null ? 0 : p.line()));
        return out;
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
