package cn.urbanmgmt.risk.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** This request's CSRF token, for templates: {inject:csrf.parameterName} and {inject:csrf.token}. */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    public static final String COOKIE = "console-csrf";
    public static final String FIELD = "csrf-token";
    public static final String HEADER = "X-CSRF-Token";

    private String token;
    private boolean fresh;

    public String getToken() {
        if (token == null) throw new IllegalStateException("no CSRF token: the resource is not @CsrfProtected");
        return token;
    }

    public String getParameterName() {
        return FIELD;
    }

    void use(String value, boolean isNew) {
        token = value;
        fresh = isNew;
    }

    /** Whether a token is at hand for this request's forms. */
    public boolean isAvailable() {
        return token != null;
    }

    boolean isFresh() {
        return fresh;
    }
}
