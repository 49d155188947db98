package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code detail} is written for a clerk (zh-CN); {@code errors}
 * names the field or file line at fault for validation problems.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /**
     * One thing wrong with the input. {@code line} is the 1-based line of an uploaded file (the header
     * is line 1), {@code field} the JSON property or column, {@code value} what was sent.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(Integer line, String field, String value, String message) {
        public static FieldError of(String field, String message) {
            return new FieldError(null, field, null, message);
        }
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, List.of());
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, fieldErrors);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
