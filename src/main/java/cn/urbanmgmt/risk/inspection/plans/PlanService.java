package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.sampling.SamplingEngine;
import cn.urbanmgmt.risk.inspection.sampling.SamplingRules;
import cn.urbanmgmt.risk.registry.ReferenceData;
import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Creates plans: checks the request ({@link PlanRequests}), loads and evaluates every candidate and draws per
 * stratum ({@link CandidateLoader}, {@link PlanAssembly}), merges items into visits, staffs them, and stores the
 * plan with everything needed to re-run it ({@link PlanStore}). A plan that cannot be staffed or has nothing to
 * draw is refused, never shortened. The what-if and the capacity preview are {@link PlanWhatIf}'s.
 */
@ApplicationScoped
public class PlanService {

    private static final Logger LOG = Logger.getLogger(PlanService.class);
    public static final int MAX_DAYS = 366;
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    cn.urbanmgmt.risk.common.WorkerPools pools;

    @Inject
    ReferenceData refs;

    @Inject
    SamplingEngine sampling;

    @Inject
    PlanQueries queries;

    @Inject
    PlanRequests requests;

    @Inject
    PlanAssembly assembly;

    @Inject
    PlanStore store;

    @Inject
    PlanWhatIf whatIfs;

    // ---- checking the request -------------------------------------------------------------------

    /** Checks a request for a preview or a simulation: any seed, any period that has not ended, no overlap check. */
    public PlanSpec resolve(PlanInput in, LocalDate today) {
        return requests.resolve(in, today);
    }

    /**
     * What a plan request adds to its spec: the reasons given for an accepted overlap or capacity excess,
     * and the active plans it overlaps.
     */
    public record Commit(String overlapReason, List<Long> overlaps, String capacityReason) {
    }

    public record Resolved(PlanSpec spec, Commit commit) {
    }

    /** Checks a plan request: executable plans get the seed from the service and are checked for overlaps. */
    public Resolved resolvePlan(PlanInput in, LocalDate today, boolean dryRun) {
        return requests.resolvePlan(in, today, dryRun);
    }

    // ---- creating a plan ------------------------------------------------------------------------

    public PlanView create(PlanInput input, boolean dryRun, Actor actor) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        Resolved resolved = requests.resolvePlan(input, today, dryRun);
        // Drawn with the sampling rules active when the plan starts, even if another version is activated meanwhile.
        try (SamplingEngine.Lease lease = sampling.lease()) {
            return create(resolved.spec(), resolved.commit(), today, dryRun, actor, lease.rules());
        }
    }

    private PlanView create(PlanSpec spec, Commit commit, LocalDate today, boolean dryRun, Actor actor, SamplingRules rules) {
        Map<String, Long> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        long t = t0;

        PlanAssembly.DrawPhase phase = assembly.drawPhase(spec, today, rules, timings, Map.of(), true);
        t = System.nanoTime();
        byte[] seed = phase.seed();
        CandidateReader.Candidates cands = phase.cands();
        CandidateList list = phase.list();
        CompletableFuture<byte[]> compact = phase.compact();
        CompletableFuture<String> candidatesSha = phase.candidatesSha();
        PlanComputation.Drawn drawn = phase.drawn();
        if (drawn.visits().isEmpty()) {
            throw PlanRequests.unmeetable("按抽查规则，本计划没有需要检查的商户（各分层抽取数均为 0）", List.of(FieldError.of("items", "抽取数为 0")));
        }
        CapacityService.Report capacityReport = assembly.capacityOf(spec, phase);
        if (!dryRun && capacityReport.overCapacity() && commit.capacityReason() == null) throw PlanAssembly.overCapacity(capacityReport);
        Commit accepted = new Commit(commit.overlapReason(), commit.overlaps(), capacityReport.overCapacity() ? commit.capacityReason() : null);
        t = PlanAssembly.lap(timings, "capacity", t);
        CompletableFuture<MatchInputs> inputsFuture = CompletableFuture.supplyAsync(() -> assembly.matchInputs(spec, drawn.visits(), cands), pools.blocking());
        String drawSha256 = CandidateList.sha256(drawn.drawCsv());
        MatchInputs inputs = CandidateLoader.join(inputsFuture);
        t = PlanAssembly.lap(timings, "readMatchInputs", t);
        PlanComputation.Staffed staffed = PlanComputation.staff(seed, drawn.visits(), inputs);
        if (!staffed.matching().feasible()) throw assembly.shortfall(staffed.matching(), inputs);
        t = PlanAssembly.lap(timings, "matchInspectors", t);

        List<PlanSummary.StratumCount> strata = PlanAssembly.strata(drawn);
        List<PlanSummary.ExclusionCount> exclusions = PlanAssembly.exclusions(list);
        List<PlanSummary.Warning> warnings = assembly.warnings(drawn, staffed, spec);
        byte[] inputsJson = store.toJson(inputs);
        String candidatesSha256 = candidatesSha.join();
        String inputsSha256 = PlanComputation.inputsSha256(candidatesSha256, inputsJson, spec.periodStart(), spec.periodEnd());
        int merchants = PlanAssembly.merchants(drawn.visits());
        PlanView.Digests digests = new PlanView.Digests(candidatesSha256, drawSha256, inputsSha256, staffed.resultSha256());
        Long id = null;
        Instant createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        PlanView.Lifecycle lifecycle = null;
        if (!dryRun) {
            byte[] compactBytes = compact.join();
            t = PlanAssembly.lap(timings, "digests", t);
            PlanStore.Stored stored = store.store(spec, accepted, capacityReport, today, rules.version(), strata, exclusions, staffed, warnings, compactBytes, inputsJson, digests,
                    drawn.visits(), inputs, merchants, createdAt, actor);
            id = stored.id();
            lifecycle = new PlanView.Lifecycle("ACTIVE", null, null, null, accepted.overlapReason(),
                    accepted.overlaps().isEmpty() ? null : accepted.overlaps(), accepted.capacityReason(), stored.recordSha256(), null);
            t = PlanAssembly.lap(timings, "store", t);
        }
        timings.put("total", (System.nanoTime() - t0) / 1_000_000);
        timings.put("jvmCpuTotal", (processCpuNanos() - cpu0) / 1_000_000);
        LOG.infof("Plan %s by %s: %d candidates, %d visits, %d ms %s", id == null ? "(dry run)" : id, actor.username(),
                cands.usccs().length, drawn.visits().size(), timings.get("total"), timings);
        if (id != null) {
            final long planId = id;
            QuarkusTransaction.requiringNew().run(() -> queries.saveTimings(planId, timings));
        }
        return new PlanView(id, spec.name(), spec.edition(), spec.items(), PlanView.ScopeView.of(spec.scope(), refs), spec.periodStart(), spec.periodEnd(),
                spec.weeks(), today, spec.seedHex(), spec.seedGenerated(), PlanComputation.seedCommitment(spec.seedHex()), rules.version(),
                spec.crossPoolSquads(), spec.perVisit(), drawn.visits().size(), merchants, strata, exclusions, staffed.matching().pools(),
                warnings, digests, actor.username(), createdAt.atZone(EventService.ZONE).toOffsetDateTime(), null, timings, dryRun ? true : null,
                lifecycle, capacityReport);
    }

    // ---- what-if ------------------------------------------------------------------------------------

    /** One variant to compare with the plan as asked: other proportions and/or another period. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "假设方案：改变某些分层的比例或检查期")
    public record Variant(
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "方案名称，如“绿色 3 % → 5 %”") String label,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "分层名称（或“事项代码:分层名称”）→ 比例（%，0 到 100，最多两位小数）")
            Map<String, java.math.BigDecimal> percents,
            LocalDate periodStart, LocalDate periodEnd) {
    }

    public record WhatIfRequest(PlanInput plan, List<Variant> variants) {
    }

    public record Scenario(String label, LocalDate periodStart, LocalDate periodEnd, int visits, int merchants,
                           List<PlanSummary.StratumCount> strata, CapacityService.Report capacity, List<String> comparedWithPlan) {
    }

    public record WhatIf(Scenario plan, List<Scenario> variants) {
    }

    /** The plan as asked and each variant: strata, visits, and capacity per squad and week; nothing is stored. */
    public WhatIf whatIf(WhatIfRequest req) {
        return whatIfs.whatIf(req);
    }

    /** The visits a plan would have and their load per squad and week. */
    public record CapacityPreview(int visits, CapacityService.Report capacity) {
    }

    /**
     * Capacity per squad and week of the plan {@code spec} would give with {@code rules}, drawn as a
     * preview draws (the spec's seed, the candidates as of {@code date}); nothing is stored. Used by the
     * sampling-rule simulation to compare the active and the candidate version.
     */
    public CapacityPreview capacityPreview(PlanSpec spec, LocalDate date, SamplingRules rules) {
        return whatIfs.capacityPreview(spec, date, rules);
    }

    /** CPU time of the whole JVM: with other work on the machine, wall time alone says little. */
    public static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** Kept for callers outside the package; the compression is {@link PlanStore}'s. */
    public static byte[] gzip(byte[] bytes) {
        return PlanStore.gzip(bytes);
    }

    public static byte[] gunzip(byte[] bytes) {
        return PlanStore.gunzip(bytes);
    }
}
