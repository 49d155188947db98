package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles DRL text at run time with the classic (non-executable-model) Drools build, whose errors
 * carry file and line. Every compile gets a fresh ReleaseId; the module is removed from the
 * repository once the container exists so repeated compiles do not accumulate.
 */
public final class RuleCompiler {

    private static final AtomicLong BUILDS = new AtomicLong();
    private static final Pattern RULE_NAME = Pattern.compile("[Rr]ule(?: name)?[=:]?\\s*['\"]?([^'\"\\]\\n]+)['\"]?");

    /** The outcome: problems found, and the compiled rules when there was no error. */
    public record Result(List<RuleProblem> problems, CompiledRules rules) {
        public boolean ok() {
            return rules != null;
        }

        public List<RuleProblem> errors() {
            return problems.stream().filter(p -> p.level() == RuleProblem.Level.ERROR).toList();
        }
    }

    private RuleCompiler() {
    }

    /** Compiled DRL of any kind (grading, sampling, ...): problems found, and the container when there was no error. */
    public record Built(List<RuleProblem> problems, KieContainer container) {
        public boolean ok() {
            return container != null;
        }
    }

    public static Result compile(RuleSource source) {
        Built built = build(source);
        if (!built.ok()) return new Result(built.problems(), null);
        List<RuleProblem> problems = new ArrayList<>(built.problems());
        CompiledRules rules = new CompiledRules(source, built.container());
        String smoke = smokeTest(rules);
        if (smoke != null) {
            rules.dispose();
            problems.add(RuleProblem.error(null, null, null, smoke));
            return new Result(problems, null);
        }
        return new Result(problems, rules);
    }

    /**
     * Compiles DRL files into a container with no checks beyond the compiler's. Shared by every rule
     * kind; the caller owns (and disposes) the container.
     */
    public static Built build(RuleSource source) {
        List<RuleProblem> problems = new ArrayList<>();
        if (source.files().isEmpty()) {
            problems.add(RuleProblem.error(null, null, null, "规则集中没有任何 .drl 文件"));
            return new Built(problems, null);
        }
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("cn.urbanmgmt.rules", "rules-" + source.shortHash(), "1.0." + BUILDS.incrementAndGet());
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.generateAndWritePomXML(releaseId);
        for (Map.Entry<String, String> f : source.files().entrySet()) {
            kfs.write("src/main/resources/" + f.getKey(), f.getValue());
        }
        ClassLoader loader = MerchantFact.class.getClassLoader();
        KieBuilder builder = ks.newKieBuilder(kfs, loader).buildAll();
        for (Message m : builder.getResults().getMessages()) {
            if (m.getLevel() == Message.Level.INFO) continue;
            problems.add(toProblem(m));
        }
        if (problems.stream().anyMatch(p -> p.level() == RuleProblem.Level.ERROR)) {
            ks.getRepository().removeKieModule(releaseId);
            return new Built(problems, null);
        }
        KieContainer container = ks.newKieContainer(releaseId, loader);
        ks.getRepository().removeKieModule(releaseId);
        return new Built(problems, container);
    }

    /** Runs the rules once over a merchant with no events: they must set the grade thresholds. */
    private static String smokeTest(CompiledRules rules) {
        LocalDate today = LocalDate.now();
        MerchantFact m = new MerchantFact(0, "000000000000000000", "试运行商户", "jingansi", MerchantCategory.OTHER, false, null,
                MerchantStatus.OPERATING, today.minusYears(1), today);
        try {
            Assessment a = rules.evaluate(new MerchantFacts(m, List.of(), today));
            return a.hasThresholds() ? null : "规则集中没有规则设置等级分数线：请保留一条调用 $a.setThresholds(黄色分数线, 红色分数线) 的规则";
        } catch (RuntimeException e) {
            return "规则试运行失败：" + e.getMessage();
        }
    }

    private static RuleProblem toProblem(Message m) {
        String path = m.getPath();
        String file = path == null ? null : path.replaceFirst("^src/main/resources/", "");
        Integer line = m.getLine() > 0 ? m.getLine() : null;
        Integer column = m.getColumn() > 0 ? m.getColumn() : null;
        String text = m.getText();
        String rule = null;
        Matcher matcher = RULE_NAME.matcher(text);
        if (matcher.find()) rule = matcher.group(1).trim();
        RuleProblem.Level level = m.getLevel() == Message.Level.ERROR ? RuleProblem.Level.ERROR : RuleProblem.Level.WARNING;
        return new RuleProblem(level, file, line, column, rule, text.strip());
    }
}
