package cn.urbanmgmt.risk.inspection.sampling;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The sampling policy (抽查规则): DRL under rules/sampling, compiled at run time like the grading
 * rules and stored as a rule-set version of kind SAMPLING. Broken rules on disk at start-up fall back
 * to the last good stored version; with none, plans are refused (grading keeps working).
 */
@ApplicationScoped
public class SamplingEngine {

    public static final String KIND = "sampling";
    private static final Logger LOG = Logger.getLogger(SamplingEngine.class);

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    private final AtomicReference<SamplingRules> active = new AtomicReference<>();
    private volatile String degradedReason;

    /** What a compile found: problems with file and line, and the version when it compiled. */
    public record CompileReport(boolean ok, String version, List<String> rules, List<RuleProblem> problems) {
    }

    void onStart(@Observes @Priority(6) StartupEvent event) {
        try {
            CompileReport r = reload("system");
            if (!r.ok()) fallBack(describe(r.problems()));
        } catch (RuntimeException e) {
            fallBack(e.getMessage());
        }
    }

    private void fallBack(String errors) {
        RuleSetVersion lastGood = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(KIND.toUpperCase()));
        if (lastGood != null) {
            RuleCompiler.Built built = RuleCompiler.build(RuleSource.of(lastGood.files));
            if (built.ok()) {
                activate(new SamplingRules(RuleSource.of(lastGood.files), built.container()));
                degradedReason = "抽查规则文件有错误，正在使用数据库中最后一个可用版本 " + lastGood.hash.substring(0, 12) + "：" + errors;
                LOG.errorf("%n%n  !!! The sampling rules on disk do not compile; using the last good version %s.%n%s%n",
                        lastGood.hash.substring(0, 12), errors);
                return;
            }
        }
        degradedReason = "抽查规则无法编译，暂不能生成抽查计划：" + errors;
        LOG.errorf("%n%n  !!! The sampling rules in %s/%s do not compile and no earlier version is stored; plans are refused.%n%s%n",
                rulesDir, KIND, errors);
    }

    /** Reads rules/sampling from disk, compiles it and, when good, stores and activates it. */
    public CompileReport reload(String user) {
        RuleSource source = RuleSource.fromDirectory(Path.of(rulesDir), KIND);
        RuleCompiler.Built built = RuleCompiler.build(source);
        if (!built.ok()) return new CompileReport(false, null, List.of(), built.problems());
        SamplingRules rules = new SamplingRules(source, built.container());
        String smoke = smokeTest(rules);
        if (smoke != null) {
            rules.dispose();
            return new CompileReport(false, null, List.of(), List.of(RuleProblem.error(RuleProblem.Kind.OTHER, null, null, null, smoke)));
        }
        QuarkusTransaction.requiringNew().run(() -> store(source, user));
        activate(rules);
        degradedReason = null;
        LOG.infof("Sampling rules %s active (%d rules from %s/%s)", source.shortHash(), rules.ruleNames().size(), rulesDir, KIND);
        return new CompileReport(true, source.hash(), rules.ruleNames(), built.problems());
    }

    private void activate(SamplingRules rules) {
        SamplingRules old = active.getAndSet(rules);
        // Plans running on the old rules hold their own reference; the container is released once unreachable.
        if (old != null && old != rules) LOG.debugf("Sampling rules %s replaced", old.version());
    }

    private static void store(RuleSource source, String user) {
        RuleSetVersion v = RuleSetVersion.findById(source.hash());
        if (v == null) {
            v = new RuleSetVersion();
            v.hash = source.hash();
            v.kind = KIND.toUpperCase();
            v.files = source.files();
            v.createdAt = OffsetDateTime.now();
            v.createdBy = user;
            v.comment = "从 rules/" + KIND + " 读取";
            v.source = "DISK";
            v.tests = java.util.Map.of();
            v.persist();
        }
        if (!v.active) {
            RuleSetVersion.update("active = false where kind = ?1 and active = true", v.kind);
            RuleSetVersion.getEntityManager().flush();
            v.active = true;
            v.activatedAt = OffsetDateTime.now();
            v.activatedBy = user;
        }
    }

    /** Runs the rules over two typical candidates: they must not fail. */
    private static String smokeTest(SamplingRules rules) {
        try {
            SamplingCandidate green = new SamplingCandidate(0, "000000000000000000", "jingansi", MerchantCategory.OTHER, false,
                    null, MerchantStatus.OPERATING, 400, Grade.GREEN, 0, "TEST", InspectionMode.ON_SITE, "RISK_BASED", null, 30, 5);
            SamplingCandidate red = new SamplingCandidate(0, "000000000000000001", "jingansi", MerchantCategory.CATERING, true,
                    cn.urbanmgmt.risk.registry.KeyUnitType.RESTAURANT, MerchantStatus.OPERATING, 10, Grade.RED, 90, "TEST",
                    InspectionMode.ON_SITE, "KEY_UNIT_WEEKLY", 3, 30, 5);
            rules.evaluate(List.of(green, red));
            green.resolve();
            red.resolve();
            return null;
        } catch (RuntimeException e) {
            return "抽查规则试运行失败：" + rootMessage(e);
        }
    }

    /** The active rules, or a 503 problem saying why there are none. */
    public SamplingRules active() {
        SamplingRules r = active.get();
        if (r == null) {
            throw new ProblemException(Problem.of(503, "抽查规则不可用", degradedReason == null ? "抽查规则尚未加载" : degradedReason));
        }
        return r;
    }

    public String degradedReason() {
        return degradedReason;
    }

    static String describe(List<RuleProblem> problems) {
        return problems.stream().filter(p -> p.level() == RuleProblem.Level.ERROR)
                .map(p -> (p.file() == null ? "" : p.file() + (p.line() == null ? "" : ":" + p.line()) + " ") + p.message().replace('\n', ' '))
                .collect(Collectors.joining("; "));
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof IllegalArgumentException) break;
            t = t.getCause();
        }
        return t.getMessage();
    }
}
