package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Optional (app.rules.watch=true, off by default): when files of a rule kind change (rules/grading
 * or rules/tests; rules/sampling or rules/tests/sampling), reads that kind as a candidate version,
 * validates it and logs the outcome. It never activates: that stays a deliberate step with a reason
 * (POST .../activate).
 */
@ApplicationScoped
public class RulesWatcher {

    private static final Logger LOG = Logger.getLogger(RulesWatcher.class);
    /** Editors write a file in several steps: wait for quiet before reading. */
    private static final long QUIET_MILLIS = 700;

    @ConfigProperty(name = "app.rules.watch", defaultValue = "false")
    boolean enabled;

    @ConfigProperty(name = "app.rules.dir")
    String rulesDir;

    @Inject
    RuleAuthoringService authoring;

    @Inject
    jakarta.enterprise.inject.Instance<RuleKind<?, ?>> kinds;

    private volatile WatchService watcher;
    private Thread thread;

    void onStart(@Observes StartupEvent event) throws IOException {
        if (!enabled) return;
        watcher = FileSystems.getDefault().newWatchService();
        Path root = Path.of(rulesDir);
        java.util.Set<Path> registered = new java.util.HashSet<>();
        for (RuleKind<?, ?> kind : kinds) {
            for (String sub : new String[]{kind.folder(), kind.testsFolder()}) {
                Path dir = root.resolve(sub);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> dirs = Files.walk(dir)) {
                    for (Path d : dirs.filter(Files::isDirectory).toList()) {
                        if (registered.add(d)) {
                            d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                        }
                    }
                }
            }
        }
        thread = new Thread(this::loop, "rules-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Watching the rule folders under %s: changed files become a candidate version (validated, not activated)", rulesDir);
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        if (watcher != null) watcher.close();
    }

    private void loop() {
        try {
            while (true) {
                java.util.Set<RuleKind<?, ?>> changed = new java.util.LinkedHashSet<>();
                WatchKey key = watcher.take();
                drain(key, changed);
                // Collect the burst of events one save makes.
                WatchKey more;
                while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) drain(more, changed);
                for (RuleKind<?, ?> kind : changed) reload(kind);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // shutting down
        }
    }

    private void drain(WatchKey key, java.util.Set<RuleKind<?, ?>> changed) {
        key.pollEvents();
        key.reset();
        Path dir = (Path) key.watchable();
        Path root = Path.of(rulesDir);
        // The kind whose folder holds the directory most specifically: rules/tests/sampling is sampling's, rules/tests grading's.
        RuleKind<?, ?> owner = null;
        int depth = -1;
        for (RuleKind<?, ?> kind : kinds) {
            for (String sub : new String[]{kind.folder(), kind.testsFolder()}) {
                Path p = root.resolve(sub);
                if (dir.startsWith(p) && p.getNameCount() > depth) {
                    owner = kind;
                    depth = p.getNameCount();
                }
            }
        }
        if (owner != null) changed.add(owner);
    }

    private void reload(RuleKind<?, ?> kind) {
        try {
            RuleAuthoringService.Stored s = authoring.reload(kind, "watcher", "规则文件有变化，自动读取");
            String v = RuleAuthoringService.shortHash(s.version().version());
            if (s.validation().ok()) {
                LOG.infof("%s rules on disk changed: version %s %s, compiles (%d warnings); activate it with POST %s/versions/%s/activate",
                        kind.folder(), v, s.created() ? "(new)" : "(known)", s.validation().warnings(), kind.apiBase(), v);
            } else {
                LOG.warnf("%s rules on disk changed: version %s does not compile:%n%s", kind.folder(), v,
                        RuleSetService.describe(s.validation().problems().stream().filter(RuleProblem::isError).toList()));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reading the changed rules failed");
        }
    }
}
