package cn.urbanmgmt.risk.grading.engine;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A compile error or warning, placed at file, line and rule wherever it can be known. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleProblem(Level level, String file, Integer line, Integer column, String rule, String message) {

    public enum Level { ERROR, WARNING }

    public static RuleProblem error(String file, Integer line, String rule, String message) {
        return new RuleProblem(Level.ERROR, file, line, null, rule, message);
    }
}
