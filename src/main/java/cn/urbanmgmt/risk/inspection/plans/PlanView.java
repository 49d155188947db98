package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.inspection.matching.Matching;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A plan as planners see it: what was asked, what the policy implied, what was drawn, and its digests. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanView(Long id, String name, int edition, List<PlanSpec.ItemSnapshot> items, ScopeView scope, LocalDate periodStart,
                       LocalDate periodEnd, int weeks, LocalDate evaluationDate, String seed, boolean seedGenerated, String seedCommitment,
                       String samplingRulesVersion, List<String> inspectorSquads, int inspectorsPerVisit, int visitCount,
                       int merchantCount, List<PlanSummary.StratumCount> strata, List<PlanSummary.ExclusionCount> exclusions,
                       List<Matching.PoolReport> pools, List<PlanSummary.Warning> warnings, Digests digests, String createdBy,
                       OffsetDateTime createdAt, OffsetDateTime noticePublishedAt, Map<String, Long> timingsMillis, Boolean dryRun,
                       Lifecycle lifecycle, cn.urbanmgmt.risk.inspection.capacity.CapacityService.Report capacity) {

    /**
     * Status (ACTIVE, CANCELLED, VOIDED) with who and why; the reasons given for an accepted overlap or an
     * accepted capacity excess; the hash of every recorded field as entered on the public register; for a
     * plan older than the register, when it was entered afterwards (补登, {@code backfilledAt}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lifecycle(String status, String statusReason, String statusBy, OffsetDateTime statusAt, String overlapReason,
                            List<Long> overlaps, String capacityReason, String recordSha256, OffsetDateTime backfilledAt) {
    }

    public record ScopeView(List<Code> streets, List<MerchantCategory> categories, boolean keyUnitsOnly, int usccCount) {

        /** The scope as shown: streets with their names, the targeted list by its size. */
        static ScopeView of(PlanSpec.ScopeSpec scope, cn.urbanmgmt.risk.registry.ReferenceData refs) {
            return new ScopeView(scope.streets().stream().map(s -> new Code(s, refs.streetName(s))).toList(),
                    scope.categories(), scope.keyUnitsOnly(), scope.usccs().size());
        }
    }

    public record Code(String code, String name) {
    }

    /** SHA-256 of the candidate list CSV, of the draw CSV, of all recorded inputs, and of the whole result. */
    public record Digests(String candidates, String draw, String inputs, String result) {
    }

    public PlanView withoutSeed() {
        return new PlanView(id, name, edition, items, scope, periodStart, periodEnd, weeks, evaluationDate, null, seedGenerated,
                seedCommitment, samplingRulesVersion, inspectorSquads, inspectorsPerVisit, visitCount, merchantCount, strata, exclusions,
                pools, warnings, digests, createdBy, createdAt, noticePublishedAt, timingsMillis, dryRun, lifecycle, capacity);
    }
}
