package cn.urbanmgmt.risk.inspection.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Whether a stored plan is exactly what its recorded inputs give and what was committed on the public
 * register when it was created. Each check is reported on its own so that a clerk sees what was altered:
 * the seed (against its published commitment), the candidate list and matching inputs (against their
 * digests), the draw, the stored visits with inspectors and recorded replacements, every stored field
 * (against its digest on the register, named in {@code changedFields}), the register's hash chain, and
 * the status against the register's cancel and void entries.
 *
 * <p>{@code committedBeforeDraw} is true only when the plan was entered on the register in the transaction
 * that stored it (entry kind CREATED). A plan older than the register has a BACKFILLED (补登) entry made
 * later: verify compares it with that entry all the same, but reports {@code committedBeforeDraw: false},
 * {@code registration: "BACKFILLED"}, when it was registered, and "登记晚于抽取" in the summary and note.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyReport(long planId, boolean identical, String summary, boolean seedMatchesCommitment, boolean candidatesIntact,
                           boolean inputsIntact, boolean drawIdentical, boolean resultIdentical, int storedVisits, int recomputedVisits,
                           List<Difference> differences, Digests recomputed, Map<String, Long> timingsMillis, boolean fieldsIntact,
                           boolean registerIntact, boolean statusIntact, boolean replacementsReproduced, List<String> changedFields,
                           String recordSha256, String committedRecordSha256, boolean committedBeforeDraw, String registration,
                           String registeredAt, String registrationNote) {

    /** One place where stored and recomputed differ: a visit (visitNo) or a stored field (field, with its zh-CN name in what). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Difference(Integer visitNo, String what, String stored, String recomputed, String field) {
        public Difference(Integer visitNo, String what, String stored, String recomputed) {
            this(visitNo, what, stored, recomputed, null);
        }
    }

    public record Digests(String candidates, String draw, String inputs, String result) {
    }

    /**
     * For the anonymous verify: the same checks and field names, without the visit lines (which name
     * merchants and strata before the period ends) and without timings.
     */
    public VerifyReport forPublic() {
        List<Difference> safe = differences.stream().map(d -> d.visitNo() != null || d.field() == null && d.stored() != null
                && d.stored().length() != 64 ? new Difference(d.visitNo(), d.what(), null, null, d.field()) : d).toList();
        return new VerifyReport(planId, identical, summary, seedMatchesCommitment, candidatesIntact, inputsIntact, drawIdentical, resultIdentical,
                storedVisits, recomputedVisits, safe, recomputed, null, fieldsIntact, registerIntact, statusIntact, replacementsReproduced,
                changedFields, recordSha256, committedRecordSha256, committedBeforeDraw, registration, registeredAt, registrationNote);
    }
}
