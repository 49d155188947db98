package cn.urbanmgmt.risk.inspection.sampling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Which sampling rule set is active, and whether it is a fallback because the rules on disk are
 * broken (DEGRADED), or there is none (NO_RULES: plans are refused). Always UP: grading, the
 * registry and everything else keep working without sampling rules.
 */
@Readiness
@ApplicationScoped
public class SamplingRulesHealthCheck implements HealthCheck {

    @Inject
    SamplingEngine engine;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("sampling-rules").up();
        SamplingRules here = engine.activeHere();
        String degraded = engine.degradedReason();
        if (here == null) return b.withData("state", "NO_RULES").withData("reason", degraded == null ? "抽查规则尚未加载" : degraded).build();
        b.withData("version", here.version());
        return degraded == null ? b.withData("state", "OK").build() : b.withData("state", "DEGRADED").withData("reason", degraded).build();
    }
}
