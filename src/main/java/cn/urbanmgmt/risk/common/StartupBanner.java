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

    void onStart(@Observes @Priority(100) StartupEvent event) {
        String base = "http://localhost:" + port;
        LOG.infof("%n%n  商户风险分级与双随机抽查服务 is running:%n    Web console   %s/%n    API docs      %s/q/swagger-ui%n"
                + "    Health        %s/q/health%n    Metrics       %s/q/metrics%n", base, base, base, base);
    }
}
