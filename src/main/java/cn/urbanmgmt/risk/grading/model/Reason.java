package cn.urbanmgmt.risk.grading.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One rule's contribution to a grade: points or a floor grade, the text, and the events it matched. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(String rule, Integer points, Grade floor, String text, List<Long> eventIds) {
}
