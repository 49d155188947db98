package cn.urbanmgmt.risk.demo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads the generated demo district on the first start of a demo database. Runs after
 * {@code AccountBootstrap}, which refuses demo mode on a production database.
 */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);

    @ConfigProperty(name = "app.demo.enabled")
    boolean demo;

    @ConfigProperty(name = "app.demo.merchants")
    int merchants;

    @ConfigProperty(name = "app.demo.seed")
    long seed;

    @Inject
    AgroalDataSource dataSource;

    void onStart(@Observes @Priority(20) StartupEvent event) throws Exception {
        if (!demo || merchants <= 0) return;
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select exists (select 1 from merchant)")) {
                rs.next();
                if (rs.getBoolean(1)) return;
            }
            long t0 = System.nanoTime();
            c.setAutoCommit(false);
            DistrictGenerator generator = new DistrictGenerator(seed, LocalDate.now());
            generator.writeMerchants(c, merchants);
            c.commit();
            LOG.infof("Demo district generated: %d merchants (seed %d) in %d ms", merchants, seed, (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
