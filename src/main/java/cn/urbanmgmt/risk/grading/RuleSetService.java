package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rule-set versions: at start-up the rules on disk are compiled and, when good, stored and made
 * active; when they are broken the last good version from the database is used instead (the
 * service says so loudly); with neither, start-up fails listing the errors.
 */
@ApplicationScoped
public class RuleSetService {

    public static final String GRADING = "grading";
    private static final Logger LOG = Logger.getLogger(RuleSetService.class);

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    @Inject
    GradingEngine engine;

    private volatile String degradedReason;

    void onStart(@Observes @Priority(5) StartupEvent event) {
        RuleSource disk = RuleSource.fromDirectory(Path.of(rulesDir), GRADING);
        RuleCompiler.Result result = RuleCompiler.compile(disk);
        if (result.ok()) {
            QuarkusTransaction.requiringNew().run(() -> {
                RuleSetVersion v = store(disk, "system", "启动时从 " + rulesDir + "/" + GRADING + " 读取", "DISK");
                markActive(v, "system");
            });
            engine.activate(result.rules());
            LOG.infof("Grading rules %s active (%d rules from %s/%s)", disk.shortHash(), result.rules().ruleNames().size(), rulesDir, GRADING);
            return;
        }
        String errors = describe(result.errors());
        RuleSetVersion lastGood = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(GRADING.toUpperCase()));
        if (lastGood == null) {
            throw new IllegalStateException("\n\n  The grading rules in " + rulesDir + "/" + GRADING + " do not compile and the database holds"
                    + " no earlier good version, so the service cannot start:\n" + errors + "\n");
        }
        RuleCompiler.Result fallback = RuleCompiler.compile(RuleSource.of(lastGood.files));
        if (!fallback.ok()) {
            throw new IllegalStateException("stored grading rules " + lastGood.hash + " no longer compile:\n" + describe(fallback.errors()));
        }
        engine.activate(fallback.rules());
        degradedReason = "规则文件有错误，正在使用数据库中最后一个可用版本 " + lastGood.hash.substring(0, 12) + "：" + errors;
        LOG.errorf("%n%n  !!! The grading rules on disk do not compile; running on the last good version %s from the database.%n%s%n",
                lastGood.hash.substring(0, 12), errors);
    }

    /** Null when healthy; else why the service runs on a fallback rule set. */
    public String degradedReason() {
        return degradedReason;
    }

    static RuleSetVersion store(RuleSource source, String user, String comment, String origin) {
        RuleSetVersion v = RuleSetVersion.findById(source.hash());
        if (v == null) {
            v = new RuleSetVersion();
            v.hash = source.hash();
            v.kind = GRADING.toUpperCase();
            v.files = source.files();
            v.createdAt = OffsetDateTime.now();
            v.createdBy = user;
            v.comment = comment;
            v.source = origin;
            v.persist();
        }
        return v;
    }

    static void markActive(RuleSetVersion v, String user) {
        if (v.active) return;
        RuleSetVersion.update("active = false where kind = ?1 and active = true", v.kind);
        RuleSetVersion.getEntityManager().flush();
        v.active = true;
        v.activatedAt = OffsetDateTime.now();
        v.activatedBy = user;
    }

    static String describe(List<RuleProblem> problems) {
        return problems.stream().map(p -> "    " + (p.file() == null ? "" : p.file() + (p.line() == null ? "" : ":" + p.line()) + " ")
                + (p.rule() == null ? "" : "[" + p.rule() + "] ") + p.message().replace('\n', ' ')).collect(Collectors.joining("\n"));
    }

    public CompiledRules active() {
        return engine.active();
    }
}
