package cn.urbanmgmt.risk.security;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;

/**
 * A login refused because of too many failed attempts: an {@link AuthenticationFailedException}
 * (final in Quarkus) carrying the seconds to wait as an attribute; answered 429 with Retry-After
 * by the API and with a message on the login page.
 */
public record LoginLock(long retryAfterSeconds) {

    static final String ATTRIBUTE = "cn.urbanmgmt.risk.login-locked-seconds";

    static AuthenticationFailedException exception(java.time.Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new AuthenticationFailedException("login temporarily locked", Map.of(ATTRIBUTE, seconds));
    }

    /** The lock-out behind this failure, or null for an ordinary failed login. */
    public static LoginLock of(Throwable failure) {
        if (failure instanceof AuthenticationFailedException e && e.getAttribute(ATTRIBUTE) instanceof Long seconds) {
            return new LoginLock(seconds);
        }
        return null;
    }

    public long retryAfterMinutes() {
        return Math.max(1, (retryAfterSeconds + 59) / 60);
    }

    /** The message a person reads. */
    public String detail() {
        return "登录失败次数过多，该账号或本机地址已被临时锁定，请 " + retryAfterMinutes() + " 分钟后再试；如忘记密码，请联系系统管理员重置";
    }
}
