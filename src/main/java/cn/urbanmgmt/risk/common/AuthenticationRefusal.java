package cn.urbanmgmt.risk.common;

import io.quarkus.security.AuthenticationFailedException;
import jakarta.ws.rs.core.Response;

/**
 * What a failed authentication means beyond "please log in" (a lock-out, a password that must be
 * changed first): decided by security, which raises such failures, so that {@link ProblemMappers}
 * here need not know it.
 */
public interface AuthenticationRefusal {

    /** The problem+json answer for this failure, or null for an ordinary failed login (then 401 with a challenge). */
    Response problem(AuthenticationFailedException failure);
}
