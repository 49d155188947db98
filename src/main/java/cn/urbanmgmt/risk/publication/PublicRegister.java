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
 * each marked with how it was entered: 生成时登记 (committedBeforeDraw) or 补登 for a plan older than the
 * register, with the time it was registered,
 * and the hash of the latest entry (keep it: a later rewrite of any entry changes it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PublicRegister(String headSha256, int entryCount, boolean chainIntact, List<Plan> plans) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plan(long planId, String name, JsonNode items, JsonNode scope, String periodStart, String periodEnd, int weeks,
                       String samplingRulesVersion, String evaluationDate, int inspectorsPerVisit, JsonNode strata, String seedCommitment,
                       String recordSha256, String status, String statusReason, String statusBy, String statusAt, String overlapReason,
                       JsonNode overlaps, String capacityReason, String createdBy, String createdAt, int inspectorReplacements,
                       String createdEntrySha256, boolean committedBeforeDraw, String registration, String registeredAt, String registrationNote) {

        Plan withStatus(String status, String reason, String by, String at) {
            return new Plan(planId, name, items, scope, periodStart, periodEnd, weeks, samplingRulesVersion, evaluationDate, inspectorsPerVisit,
                    strata, seedCommitment, recordSha256, status, reason, by, at, overlapReason, overlaps, capacityReason, createdBy, createdAt,
                    inspectorReplacements, createdEntrySha256, committedBeforeDraw, registration, registeredAt, registrationNote);
        }

        Plan withReplacement() {
            return new Plan(planId, name, items, scope, periodStart, periodEnd, weeks, samplingRulesVersion, evaluationDate, inspectorsPerVisit,
                    strata, seedCommitment, recordSha256, status, statusReason, statusBy, statusAt, overlapReason, overlaps, capacityReason, createdBy,
                    createdAt, inspectorReplacements + 1, createdEntrySha256, committedBeforeDraw, registration, registeredAt, registrationNote);
        }
    }

    /** How a plan was entered: 生成时登记 (CREATED, before the draw was seen) or 补登 (BACKFILLED, after the draw). */
    public static final String REGISTERED_AT_CREATION = "生成时登记";
    public static final String BACKFILLED = "补登";

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
                case "CREATED", "BACKFILLED" -> {
                    boolean before = e.kind().equals("CREATED");
                    plans.put(e.planId(), new Plan(e.planId(), b.path("name").asText(), b.get("items"), b.get("scope"),
                            b.path("periodStart").asText(), b.path("periodEnd").asText(), b.path("weeks").asInt(), b.path("samplingRulesVersion").asText(),
                            b.path("evaluationDate").asText(), b.path("inspectorsPerVisit").asInt(), b.get("strata"), b.path("seedCommitment").asText(),
                            b.path("recordSha256").asText(), "ACTIVE", null, null, null, b.path("overlapReason").asText(null), b.get("overlaps"),
                            b.path("capacityReason").asText(null), before ? e.officer() : b.path("createdBy").asText(e.officer()),
                            b.path("createdAt").asText(), 0, e.entrySha256(), before, before ? REGISTERED_AT_CREATION : BACKFILLED,
                            b.path("recordedAt").asText(), before ? null : "登记晚于抽取：" + b.path("note").asText("本计划生成于公示登记册启用之前，事后补登")));
                }
                case "CANCELLED", "VOIDED" -> {
                    if (p != null) plans.put(e.planId(), p.withStatus(e.kind(), b.path("reason").asText(), e.officer(), b.path("recordedAt").asText()));
                }
                case "INSPECTOR_REPLACED" -> {
                    if (p != null) plans.put(e.planId(), p.withReplacement());
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
