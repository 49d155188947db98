package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.JdbcTransaction;
import cn.urbanmgmt.risk.inspection.capacity.CapacityService;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.matching.Matching;
import cn.urbanmgmt.risk.inspection.plans.PlanService.Commit;
import cn.urbanmgmt.risk.inspection.register.CanonicalJson;
import cn.urbanmgmt.risk.inspection.register.PlanRecord;
import cn.urbanmgmt.risk.inspection.register.PlanRegister;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * Writes a drawn plan in one plain JDBC transaction ({@link JdbcTransaction}): the plan row with its recorded
 * inputs and commitments, then its visits with one COPY, then its entry in the public register.
 */
@ApplicationScoped
public class PlanStore {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    PlanOverlaps overlapsFinder;

    /** One visit row as stored. */
    public record VisitRow(int visitNo, long merchantId, String uscc, String squad, java.time.LocalDate windowStart,
                           java.time.LocalDate windowEnd, Integer week, List<String> items, List<String> strata, long[] inspectorIds) {
    }

    public static long nextPlanId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select nextval('inspection_plan_seq')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void copyVisits(Connection c, long planId, List<VisitRow> visits) throws SQLException, IOException {
        if (visits.isEmpty()) return;
        long[] ids = new long[visits.size()];
        try (PreparedStatement ps = c.prepareStatement("select nextval('plan_visit_seq') from generate_series(1, ?)")) {
            ps.setInt(1, visits.size());
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) ids[i++] = rs.getLong(1);
            }
        }
        java.util.Arrays.sort(ids); // visit ids follow visit numbers
        copy(c, planId, visits, ids);
    }

    private static void copy(Connection c, long planId, List<VisitRow> visits, long[] ids) throws SQLException, IOException {
        StringBuilder sb = new StringBuilder(visits.size() * 160);
        for (int i = 0; i < visits.size(); i++) {
            VisitRow v = visits.get(i);
            sb.append(ids[i]).append('\t').append(planId).append('\t').append(v.visitNo()).append('\t').append(v.merchantId()).append('\t')
                    .append(v.uscc()).append('\t').append(v.squad()).append('\t').append(v.windowStart()).append('\t').append(v.windowEnd())
                    .append('\t').append(v.week() == null ? "\\N" : v.week().toString()).append('\t');
            array(sb, v.items());
            sb.append('\t');
            array(sb, v.strata());
            sb.append("\t{");
            for (int k = 0; k < v.inspectorIds().length; k++) {
                if (k > 0) sb.append(',');
                sb.append(v.inspectorIds()[k]);
            }
            sb.append("}\tPENDING\n");
        }
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY plan_visit (id, plan_id, visit_no, merchant_id, uscc, squad_code, "
                + "window_start, window_end, week, item_codes, strata, inspector_ids, status) FROM STDIN", new StringReader(sb.toString()));
    }

    /** A text-format array literal; elements never contain quotes, backslashes, braces or tabs (checked where they are made). */
    private static void array(StringBuilder sb, List<String> values) {
        sb.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(values.get(i)).append('"');
        }
        sb.append('}');
    }

    /** The JSON bytes of {@code o} as recorded (and digested) with the plan. */
    byte[] toJson(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String text(Object o) {
        return new String(toJson(o), java.nio.charset.StandardCharsets.UTF_8);
    }

    record Stored(long id, String recordSha256) {
    }

    Stored store(PlanSpec spec, Commit commit, CapacityService.Report capacityReport, LocalDate today, String rulesVersion, List<PlanSummary.StratumCount> strata,
                         List<PlanSummary.ExclusionCount> exclusions, PlanComputation.Staffed staffed, List<PlanSummary.Warning> warnings,
                         byte[] candidates, byte[] inputsJson, PlanView.Digests digests, List<PlannedVisit> visits, MatchInputs inputs,
                         int merchants, Instant createdAt, Actor actor) {
        Map<String, Long> merchantIds = new HashMap<>();
        for (MatchInputs.MerchantInfo m : inputs.merchants()) merchantIds.put(m.uscc(), m.merchantId());
        List<PlanStore.VisitRow> rows = new ArrayList<>(visits.size());
        for (PlannedVisit v : visits) {
            Matching.Assignment a = staffed.matching().assignments().get(v.visitNo());
            rows.add(new PlanStore.VisitRow(v.visitNo(), merchantIds.get(v.uscc()), v.uscc(), a.squad(), v.windowStart(), v.windowEnd(),
                    v.week() == null ? null : v.week() + 1, v.items(), v.strata(), a.inspectorIds()));
        }
        Committed record = committed(spec, commit, capacityReport, today, rulesVersion, strata, exclusions, staffed, warnings, inputsJson, digests,
                visits.size(), merchants, createdAt, actor);
        return JdbcTransaction.run(dataSource, "storing the plan", c -> {
            requireNoNewOverlap(c, spec, commit);
            long id = PlanStore.nextPlanId(c);
            try (PreparedStatement ps = c.prepareStatement("insert into inspection_plan (id, name, edition, items, scope, period_start, "
                    + "period_end, weeks, evaluation_date, seed, seed_generated, seed_commitment, inspector_squads, inspectors_per_visit, "
                    + "sampling_rules_version, strata, exclusions, candidates, candidates_sha256, match_inputs, draw_sha256, inputs_sha256, "
                    + "result_sha256, visit_count, merchant_count, pools, warnings, created_by, created_at, status, overlap_reason, overlapping_plans, "
                    + "capacity, capacity_reason, record_sha256) values (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, "
                    + "?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, 'ACTIVE', ?, ?::jsonb, "
                    + "?::jsonb, ?, ?)")) {
                int p = 1;
                ps.setLong(p++, id);
                ps.setString(p++, spec.name());
                ps.setInt(p++, spec.edition());
                ps.setString(p++, text(spec.items()));
                ps.setString(p++, text(spec.scope()));
                ps.setObject(p++, spec.periodStart());
                ps.setObject(p++, spec.periodEnd());
                ps.setInt(p++, spec.weeks());
                ps.setObject(p++, today);
                ps.setString(p++, spec.seedHex());
                ps.setBoolean(p++, spec.seedGenerated());
                ps.setString(p++, PlanComputation.seedCommitment(spec.seedHex()));
                ps.setString(p++, spec.crossPoolSquads() == null ? null : text(spec.crossPoolSquads()));
                ps.setInt(p++, spec.perVisit());
                ps.setString(p++, rulesVersion);
                ps.setString(p++, text(strata));
                ps.setString(p++, text(exclusions));
                ps.setBytes(p++, candidates);
                ps.setString(p++, digests.candidates());
                ps.setBytes(p++, gzip(inputsJson));
                ps.setString(p++, digests.draw());
                ps.setString(p++, digests.inputs());
                ps.setString(p++, digests.result());
                ps.setInt(p++, visits.size());
                ps.setInt(p++, merchants);
                ps.setString(p++, text(staffed.matching().pools()));
                ps.setString(p++, text(warnings));
                ps.setString(p++, actor.username());
                ps.setTimestamp(p++, java.sql.Timestamp.from(createdAt));
                ps.setString(p++, commit.overlapReason());
                ps.setString(p++, text(commit.overlaps()));
                ps.setString(p++, text(capacityReport));
                ps.setString(p++, commit.capacityReason());
                ps.setString(p++, record.recordSha256);
                ps.executeUpdate();
            }
            PlanStore.copyVisits(c, id, rows);
            PlanRegister.append(c, id, PlanRegister.Kind.CREATED, actor.username(), createdAt,
                    registerBody(spec, commit, today, rulesVersion, strata, record, createdAt));
            return new Stored(id, record.recordSha256);
        });
    }

    /**
     * Plans are stored one at a time (a transaction-scoped lock), and the overlap check is repeated under
     * that lock: a plan created meanwhile, which the first check could not see, is found now. A new overlap
     * refuses the plan (409 naming it), with or without a reason given for the overlaps known before,
     * so that two plans drawn at the same moment can never both pass unseen.
     */
    private void requireNoNewOverlap(Connection c, PlanSpec spec, Commit commit) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('inspection-plan-store'))")) {
            lock.execute();
        }
        List<PlanOverlaps.Overlap> now = overlapsFinder.find(spec);
        if (now.stream().anyMatch(o -> !commit.overlaps().contains(o.planId()))) throw PlanOverlaps.refusal(now);
    }

    /** The digests of every recorded field (as verify will recompute them from the stored row) and the record hash. */
    record Committed(Map<String, String> fields, String recordSha256) {
    }

    private Committed committed(PlanSpec spec, Commit commit, CapacityService.Report capacityReport, LocalDate today, String rulesVersion, List<PlanSummary.StratumCount> strata,
                                List<PlanSummary.ExclusionCount> exclusions, PlanComputation.Staffed staffed, List<PlanSummary.Warning> warnings,
                                byte[] inputsJson, PlanView.Digests digests, int visits, int merchants, Instant createdAt, Actor actor) {
        PlanRecord r = new PlanRecord(spec.name(), spec.edition(), text(spec.items()), text(spec.scope()), spec.periodStart(), spec.periodEnd(),
                spec.weeks(), today, spec.seedHex(), PlanComputation.seedCommitment(spec.seedHex()), spec.seedGenerated(),
                spec.crossPoolSquads() == null ? null : text(spec.crossPoolSquads()), spec.perVisit(), rulesVersion, text(strata),
                text(exclusions), digests.candidates(), digests.candidates(), CandidateList.sha256(inputsJson), digests.inputs(), digests.draw(),
                digests.result(), visits, merchants, text(staffed.matching().pools()), text(warnings), commit.overlapReason(),
                text(commit.overlaps()), text(capacityReport), commit.capacityReason(), actor.username(), createdAt);
        Map<String, String> fields = r.digests();
        return new Committed(fields, PlanRecord.recordSha256(fields));
    }

    /** The register entry of a new plan: what the public sees at once, with the commitments. */
    static com.fasterxml.jackson.databind.node.ObjectNode registerBody(PlanSpec spec, Commit commit, LocalDate today, String rulesVersion,
                                                                      List<PlanSummary.StratumCount> strata, Committed record, Instant createdAt) {
        com.fasterxml.jackson.databind.node.ObjectNode b = CanonicalJson.object();
        b.put("name", spec.name());
        b.put("edition", spec.edition());
        com.fasterxml.jackson.databind.node.ArrayNode items = b.putArray("items");
        for (PlanSpec.ItemSnapshot i : spec.items()) items.addObject().put("code", i.code()).put("name", i.name());
        com.fasterxml.jackson.databind.node.ObjectNode scope = b.putObject("scope");
        spec.scope().streets().forEach(scope.putArray("streets")::add);
        com.fasterxml.jackson.databind.node.ArrayNode cats = scope.putArray("categories");
        spec.scope().categories().forEach(c -> cats.add(c.name()));
        scope.put("keyUnitsOnly", spec.scope().keyUnitsOnly());
        scope.put("targetedListSize", spec.scope().usccs().size());
        b.put("periodStart", spec.periodStart().toString());
        b.put("periodEnd", spec.periodEnd().toString());
        b.put("weeks", spec.weeks());
        b.put("evaluationDate", today.toString());
        b.put("samplingRulesVersion", rulesVersion);
        b.put("inspectorsPerVisit", spec.perVisit());
        if (spec.crossPoolSquads() != null) spec.crossPoolSquads().forEach(b.putArray("inspectorSquads")::add);
        com.fasterxml.jackson.databind.node.ArrayNode st = b.putArray("strata");
        for (PlanSummary.StratumCount s : strata) {
            st.addObject().put("item", s.item()).put("stratum", s.stratum()).put("percent", s.percent()).put("weekly", s.weekly())
                    .put("candidates", s.candidates()).put("drawn", s.drawn());
        }
        b.put("seedCommitment", PlanComputation.seedCommitment(spec.seedHex()));
        b.put("recordSha256", record.recordSha256());
        com.fasterxml.jackson.databind.node.ObjectNode fields = b.putObject("fields");
        record.fields().forEach(fields::put);
        if (commit.overlapReason() != null) b.put("overlapReason", commit.overlapReason());
        if (!commit.overlaps().isEmpty()) commit.overlaps().forEach(b.putArray("overlaps")::add);
        if (commit.capacityReason() != null) b.put("capacityReason", commit.capacityReason());
        b.put("createdAt", createdAt.toString());
        return b;
    }

    public static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 4 + 64);
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gunzip(byte[] bytes) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
