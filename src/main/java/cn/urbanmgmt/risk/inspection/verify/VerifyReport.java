package cn.urbanmgmt.risk.inspection.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Whether a stored plan is exactly what its recorded inputs give. Each check is reported on its own so
 * that a clerk sees what was altered: the seed (against its published commitment), the candidate
 * list and matching inputs (against their digests), the draw, and the stored visits with inspectors.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyReport(long planId, boolean identical, String summary, boolean seedMatchesCommitment, boolean candidatesIntact,
                           boolean inputsIntact, boolean drawIdentical, boolean resultIdentical, int storedVisits, int recomputedVisits,
                           List<Difference> differences, Digests recomputed, Map<String, Long> timingsMillis) {

    /** One place where stored and recomputed differ. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Difference(Integer visitNo, String what, String stored, String recomputed) {
    }

    public record Digests(String candidates, String draw, String inputs, String result) {
    }
}
