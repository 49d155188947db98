package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.AuthenticationRefusal;
import cn.urbanmgmt.risk.common.Problem;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** The API's answer to a login refused by security itself: 429 for a lock-out, 403 for a required password change. */
@ApplicationScoped
public class LoginRefusalProblems implements AuthenticationRefusal {

    @Override
    public Response problem(AuthenticationFailedException failure) {
        LoginLock locked = LoginLock.of(failure);
        if (locked != null) {
            return Response.fromResponse(Problem.of(429, "登录已临时锁定", locked.detail()).toResponse())
                    .header(HttpHeaders.RETRY_AFTER, locked.retryAfterSeconds()).build();
        }
        if (PasswordChange.required(failure)) {
            return Problem.of(403, "请先修改密码", PasswordChange.DETAIL).toResponse();
        }
        return null;
    }
}
