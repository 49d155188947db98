package cn.urbanmgmt.risk.publication;

import cn.urbanmgmt.risk.inspection.register.CanonicalJson;
import cn.urbanmgmt.risk.inspection.register.PlanRegister;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public register as the anonymous API shows it: every executable plan from the moment it was
 * created (its number, items, scope, period, seed commitment, record hash, status with reason and
 * officer, overlaps and the reasons they were accepted), built from the hash-chained entries alone,
 * and the hash of the latest entry (keep it: a later rewrite of any entry changes it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicRegister(String headSha256, int entryCount, boolean chainIntact, List<Plan> plans) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plan(long planId, String name, JsonNode items, JsonNode scope, String periodStart, String periodEnd, int weeks,
                       String samplingRulesVersion, String evaluationDate, int inspectorsPerVisit, JsonNode strata, String seedCommitment,
                       String recordSha256, String status, String statusReason, String statusBy, String statusAt, String overlapReason,
                       JsonNode overlaps, String capacityReason, String createdBy, String createdAt, int inspectorReplacements,
                       String createdEntrySha256) {
    }

    /** One entry as stored: its canonical body as JSON and the hashes that chain it. */
    public record Entry(long seq, long planId, String kind, String officer, String recordedAt, JsonNode body, String bodyText,
                        String prevSha256, String entrySha256) {
    }

    public static PublicRegister of(List<PlanRegister.Entry> chain) {
        Map<Long, Plan> plans = new LinkedHashMap<>();
        for (PlanRegister.Entry e : chain) {
            JsonNode b = CanonicalJson.tree(e.body());
            Plan p = plans.get(e.planId());
            switch (e.kind()) {
                case "CREATED" -> plans.put(e.planId(), new Plan(e.planId(), b.path("name").asText(), b.get("items"), b.get("scope"),
                        b.path("periodStart").asText(), b.path("periodEnd").asText(), b.path("weeks").asInt(), b.path("samplingRulesVersion").asText(),
                        b.path("evaluationDate").asText(), b.path("inspectorsPerVisit").asInt(), b.get("strata"), b.path("seedCommitment").asText(),
                        b.path("recordSha256").asText(), "ACTIVE", null, null, null, b.path("overlapReason").asText(null), b.get("overlaps"),
                        b.path("capacityReason").asText(null), e.officer(), b.path("createdAt").asText(), 0, e.entrySha256()));
                case "CANCELLED", "VOIDED" -> {
                    if (p != null) plans.put(e.planId(), new Plan(p.planId(), p.name(), p.items(), p.scope(), p.periodStart(), p.periodEnd(),
                            p.weeks(), p.samplingRulesVersion(), p.evaluationDate(), p.inspectorsPerVisit(), p.strata(), p.seedCommitment(),
                            p.recordSha256(), e.kind(), b.path("reason").asText(), e.officer(), b.path("recordedAt").asText(), p.overlapReason(),
                            p.overlaps(), p.capacityReason(), p.createdBy(), p.createdAt(), p.inspectorReplacements(), p.createdEntrySha256()));
                }
                case "INSPECTOR_REPLACED" -> {
                    if (p != null) plans.put(e.planId(), new Plan(p.planId(), p.name(), p.items(), p.scope(), p.periodStart(), p.periodEnd(),
                            p.weeks(), p.samplingRulesVersion(), p.evaluationDate(), p.inspectorsPerVisit(), p.strata(), p.seedCommitment(),
                            p.recordSha256(), p.status(), p.statusReason(), p.statusBy(), p.statusAt(), p.overlapReason(), p.overlaps(),
                            p.capacityReason(), p.createdBy(), p.createdAt(), p.inspectorReplacements() + 1, p.createdEntrySha256()));
                }
                default -> { }
            }
        }
        List<Plan> newestFirst = new ArrayList<>(plans.values());
        java.util.Collections.reverse(newestFirst);
        return new PublicRegister(chain.isEmpty() ? PlanRegister.GENESIS : chain.get(chain.size() - 1).entrySha256(), chain.size(),
                PlanRegister.brokenLinks(chain).isEmpty(), newestFirst);
    }

    public static Entry entry(PlanRegister.Entry e) {
        return new Entry(e.seq(), e.planId(), e.kind(), e.officer(), e.recordedAt().toString(), CanonicalJson.tree(e.body()), e.body(),
                e.prevSha256(), e.entrySha256());
    }
}
