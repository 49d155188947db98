package cn.urbanmgmt.risk.security;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * After an ADMIN reset a password, the officer must choose a new one before doing anything else:
 * with the reset password only {@link #PATH} authenticates; every other request is refused with
 * 403 and a zh-CN message saying what to do.
 */
public final class PasswordChange {

    public static final String PATH = "/api/v1/account/password";
    static final String ATTRIBUTE = "cn.urbanmgmt.risk.password-change-required";
    public static final String DETAIL = "您的密码已由管理员重置，请先修改密码（POST " + PATH
            + "，提交 currentPassword 与 newPassword）后再使用本系统";

    private PasswordChange() {
    }

    static boolean allowedWhilePending(RoutingContext rc) {
        return rc != null && PATH.equals(rc.normalizedPath());
    }

    static AuthenticationFailedException requiredException() {
        return new AuthenticationFailedException("password change required", Map.of(ATTRIBUTE, Boolean.TRUE));
    }

    /** Whether this failure means "change your password first". */
    public static boolean required(Throwable failure) {
        return failure instanceof AuthenticationFailedException e && Boolean.TRUE.equals(e.getAttribute(ATTRIBUTE));
    }
}
