package cn.urbanmgmt.risk.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In production the web console's session cookies must be encrypted with a configured key: a key
 * made up at start would log everybody out at every restart, differ between instances, and Quarkus
 * would print it into the log. Refuses to start without one; the key itself is never logged.
 */
@ApplicationScoped
public class SessionKeyCheck {

    static final int MIN_LENGTH = 32;

    @ConfigProperty(name = "quarkus.http.auth.session.encryption-key")
    Optional<String> key;

    void onStart(@Observes @Priority(5) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) return;
        String problem = problem(key);
        if (problem != null) throw new IllegalStateException(problem);
    }

    static String problem(Optional<String> key) {
        if (key.isPresent() && key.get().strip().length() >= MIN_LENGTH) return null;
        return "\n\n  The session encryption key is not configured (or shorter than " + MIN_LENGTH + " characters)."
                + "\n  Set QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY, e.g. to the output of `openssl rand -base64 48`,"
                + "\n  the same on every instance.\n"
                + "  未配置会话加密密钥：请设置环境变量 QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY（至少 " + MIN_LENGTH
                + " 个字符，各实例相同，例如 openssl rand -base64 48 的输出）后重新启动。\n";
    }
}
