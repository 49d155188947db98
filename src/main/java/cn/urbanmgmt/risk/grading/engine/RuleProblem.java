package cn.urbanmgmt.risk.grading.engine;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A compile error or warning, placed at file, line, column (1-based) and rule wherever it can be
 * known. {@code message} is written for a rule author (zh-CN); {@code detail} keeps what Drools said.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleProblem(Level level, Kind kind, String file, Integer line, Integer column, String rule, String message,
                          String detail) {

    public enum Level { ERROR, WARNING }

    /** What went wrong, for clients that group or filter problems. */
    public enum Kind {
        SYNTAX, UNKNOWN_FIELD, UNKNOWN_TYPE, CONSEQUENCE, CONDITION, DUPLICATE_RULE, NEVER_FIRES, LOOP, TIMEOUT, RUNTIME,
        NO_THRESHOLDS, EMPTY, SCENARIO, STRATUM_CONFLICT,
        /** Rule code names a type, method, field or constructor outside RuleAllowList (or one the check cannot resolve). */
        SANDBOX, OTHER
    }

    public static RuleProblem error(Kind kind, String file, Integer line, String rule, String message) {
        return new RuleProblem(Level.ERROR, kind, file, line, null, rule, message, null);
    }

    public static RuleProblem warning(Kind kind, String file, Integer line, Integer column, String rule, String message) {
        return new RuleProblem(Level.WARNING, kind, file, line, column, rule, message, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return level == Level.ERROR;
    }

    /** "grading/20-cases.drl:18:20 [rule] message", for logs. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line != null) b.append(':').append(line);
            if (column != null) b.append(':').append(column);
            b.append(' ');
        }
        if (rule != null) b.append('[').append(rule).append("] ");
        return b.append(message.replace('\n', ' ')).toString();
    }
}
