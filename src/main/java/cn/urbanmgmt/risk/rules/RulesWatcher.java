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
 * Optional (app.rules.watch=true, off by default): when files under rules/grading or rules/tests
 * change, reads them as a candidate version, validates it and logs the outcome. It never activates:
 * that stays a deliberate step with a reason (POST .../activate).
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

    private volatile WatchService watcher;
    private Thread thread;

    void onStart(@Observes StartupEvent event) throws IOException {
        if (!enabled) return;
        watcher = FileSystems.getDefault().newWatchService();
        Path root = Path.of(rulesDir);
        for (String sub : new String[]{RuleSetService.GRADING, "tests"}) {
            Path dir = root.resolve(sub);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> dirs = Files.walk(dir)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                }
            }
        }
        thread = new Thread(this::loop, "rules-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Watching %s/grading and %s/tests: changed files become a candidate version (validated, not activated)", rulesDir, rulesDir);
    }

    void onStop(@Observes ShutdownEvent event) throws IOException {
        if (watcher != null) watcher.close();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                drain(key);
                // Collect the burst of events one save makes.
                WatchKey more;
                while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) drain(more);
                reload();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // shutting down
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    private void reload() {
        try {
            RuleAuthoringService.Stored s = authoring.reload("watcher", "规则文件有变化，自动读取");
            String v = RuleAuthoringService.shortHash(s.version().version());
            if (s.validation().ok()) {
                LOG.infof("Rules on disk changed: version %s %s, compiles (%d warnings); activate it with POST /api/v1/rules/versions/%s/activate",
                        v, s.created() ? "(new)" : "(known)", s.validation().warnings(), v);
            } else {
                LOG.warnf("Rules on disk changed: version %s does not compile:%n%s", v,
                        RuleSetService.describe(s.validation().problems().stream().filter(RuleProblem::isError).toList()));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reading the changed rules failed");
        }
    }
}
