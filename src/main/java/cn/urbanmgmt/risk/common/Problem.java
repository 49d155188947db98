package cn.urbanmgmt.risk.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code detail} is written for a clerk (zh-CN); {@code errors}
 * names the field or file line at fault for validation problems. An answer lists at most
 * {@link #MAX_ERRORS} errors: {@code errorCount} then says how many there are in all, and
 * {@code errorReport}, when set, is where the full list can be downloaded as a file.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, Long errorCount, String errorReport) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** The most errors one answer lists; beyond that, errorCount and the downloadable report tell the rest. */
    public static final int MAX_ERRORS = 1000;

    /**
     * One thing wrong with the input. {@code line} is the 1-based line of an uploaded file (the header
     * is line 1), {@code field} the JSON property or column, {@code value} what was sent.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(Integer line, String field, String value, String message) {
        /** Longest value echoed back: an error about a huge value must not be huge itself. */
        public static final int MAX_VALUE_CHARS = 200;

        public FieldError {
            if (value != null && value.length() > MAX_VALUE_CHARS) {
                value = value.substring(0, MAX_VALUE_CHARS) + "…（共 " + value.length() + " 个字符）";
            }
        }

        public static FieldError of(String field, String message) {
            return new FieldError(null, field, null, message);
        }
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, List.of(), null, null);
    }

    /** The errors, of which at most {@link #MAX_ERRORS} are listed; errorCount is set when some were left out. */
    public Problem withErrors(List<FieldError> fieldErrors) {
        if (fieldErrors.size() <= MAX_ERRORS) {
            return new Problem(type, title, status, detail, instance, fieldErrors, errorCount, errorReport);
        }
        return new Problem(type, title, status, detail, instance, List.copyOf(fieldErrors.subList(0, MAX_ERRORS)),
                (long) fieldErrors.size(), errorReport);
    }

    /** The first errors of many: {@code total} in all, the full list at {@code report} (may be null). */
    public Problem withErrors(List<FieldError> first, long total, String report) {
        List<FieldError> listed = first.size() <= MAX_ERRORS ? first : List.copyOf(first.subList(0, MAX_ERRORS));
        return new Problem(type, title, status, detail, instance, listed, total, report);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
