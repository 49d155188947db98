package cn.urbanmgmt.risk.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Merchants on which one rule failed in a simulation, on one side (BASELINE or CANDIDATE): the first
 * message, how many merchants, and the ids of the first few.
 *
 * @param kind the kind of failure, for the kinds that tell them apart (grading); left out otherwise
 */
public record SimulationFault(String side, @JsonInclude(JsonInclude.Include.NON_NULL) String kind, String rule, String message, long count,
                              List<Long> merchantIds) {
}
