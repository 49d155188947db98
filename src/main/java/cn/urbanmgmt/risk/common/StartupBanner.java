package cn.urbanmgmt.risk.common;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Tells the person who just started the service where to point a browser. */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    /** Production moves health and metrics to the management interface (its own port). */
    @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false")
    boolean management;

    @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000")
    int managementPort;

    void onStart(@Observes @Priority(100) StartupEvent event) {
        String base = "http://localhost:" + port;
        String platform = management ? "http://localhost:" + managementPort : base;
        LOG.infof("%n%n  商户风险分级与双随机抽查服务 is running:%n    Web console   %s/%n    API docs      %s/q/swagger-ui%n"
                + "    Health        %s/q/health%n    Metrics       %s/q/metrics%n", base, base, platform, platform);
    }
}
