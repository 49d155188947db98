package cn.urbanmgmt.risk.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How long a console session lasts without a request (quarkus.http.auth.form.timeout), for the page's
 * warning before it ends ({@code {inject:sessionTimeout.seconds}} in the layout, read by console.js).
 */
@ApplicationScoped
@Named("sessionTimeout")
public class SessionTimeout {

    @ConfigProperty(name = "quarkus.http.auth.form.timeout", defaultValue = "PT30M")
    Duration timeout;

    public long getSeconds() {
        return timeout.toSeconds();
    }
}
