package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.engine.RuleGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Which grading rule set is active, and whether the service is running on a fallback because the
 * rules on disk are broken. The service still grades (so it stays UP), but says "DEGRADED". Also
 * whether the rule run-time guard is in force (docs/rule-sandbox.md).
 */
@Readiness
@ApplicationScoped
public class RulesHealthCheck implements HealthCheck {

    @Inject
    GradingEngine engine;

    @Inject
    RuleSetService ruleSets;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("grading-rules");
        if (!engine.hasActive()) return b.down().withData("state", "NO_RULES").build();
        b.up().withData("version", engine.active().version())
                .withData("runtimeGuard", RuleGuard.active() ? "ACTIVE" : "OFF: " + RuleGuard.unavailable());
        String degraded = ruleSets.degradedReason();
        return degraded == null ? b.withData("state", "OK").build()
                : b.withData("state", "DEGRADED").withData("reason", degraded).build();
    }
}
