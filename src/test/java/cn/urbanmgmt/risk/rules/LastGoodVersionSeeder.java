package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.inspection.sampling.SamplingEngine;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Test only: before the rules start, stores a good version as the database's active one, as an earlier run would have. */
@ApplicationScoped
public class LastGoodVersionSeeder {

    @ConfigProperty(name = "test.seed-last-good-rules")
    Optional<String> seedFrom;

    @Transactional
    void seed(@Observes @Priority(1) StartupEvent event) {
        if (seedFrom.isEmpty()) return;
        seed(RuleSetService.KIND, RuleSetService.GRADING);
        seed(SamplingEngine.KIND, SamplingEngine.FOLDER);
    }

    private void seed(String kind, String folder) {
        if (RuleSetVersion.active(kind) != null) return;
        RuleSetVersion v = RuleSetRuntime.store(kind, RuleSource.fromDirectory(Path.of(seedFrom.get()), folder), "earlier-run",
                "上一次运行时生效的版本", "DISK");
        v.active = true;
        v.activatedAt = OffsetDateTime.now().minusDays(1);
        v.activatedBy = "earlier-run";
    }
}
