package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.JdbcTransaction;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.register.PlanRecord;
import cn.urbanmgmt.risk.inspection.register.PlanRegister;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Plans created before the public register existed have no register entry. At start-up each of them
 * gets one entry of kind BACKFILLED (补登): the same body a new plan's CREATED entry has (commitment,
 * field digests, record hash), computed from the plan as stored at that moment, plus {@code backfilled:
 * true}, the time of the draw ({@code createdAt}) and a note that it was registered after the draw.
 * Verify then compares the plan with that entry and reports {@code committedBeforeDraw: false}
 * ("登记晚于抽取"): the entry proves only that nothing has changed since it was registered.
 *
 * <p>Idempotent: plans that have any register entry are skipped, and the plans to backfill are chosen
 * and entered under the register's append lock in one transaction, so two instances starting at once
 * enter each plan once.
 */
@ApplicationScoped
public class RegisterBackfill {

    private static final Logger LOG = Logger.getLogger(RegisterBackfill.class);
    /** Who entered a backfilled entry (the officer column of the register). */
    public static final String OFFICER = "system";
    public static final String NOTE = "补登：本计划生成于公示登记册启用之前，生成时没有登记；本条登记晚于抽取，只能证明登记之后计划未被改动，"
            + "不能证明抽取前已承诺随机种子";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PlanQueries queries;

    @Inject
    ObjectMapper json;

    void onStart(@Observes StartupEvent event) {
        try {
            List<Long> done = backfill();
            if (!done.isEmpty()) LOG.infof("Public register: backfilled (补登) %d plans created before the register existed: %s", done.size(), done);
        } catch (RuntimeException e) {
            // The service still starts; verify reports these plans as having no register entry until the next start.
            LOG.error("Public register: backfilling plans created before the register failed: " + e.getMessage(), e);
        }
    }

    /** Enters every plan without a register entry; returns their ids (empty when there is nothing to do). */
    public List<Long> backfill() {
        return JdbcTransaction.run(dataSource, "backfilling the plan register", c -> {
            PlanRegister.lock(c);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select p.id from inspection_plan p where not exists "
                    + "(select 1 from plan_register r where r.plan_id = p.id) order by p.id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            for (long id : ids) enter(c, id);
            return ids;
        });
    }

    private void enter(Connection c, long id) throws SQLException, IOException {
        // The digests as verify computes them from the stored row.
        PlanQueries.Recorded rec = queries.recorded(id);
        String candidatesSha = CandidateList.fromCompact(rec.candidates()).sha256();
        PlanRecord row = queries.planRecord(id, candidatesSha, CandidateList.sha256(PlanStore.gunzip(rec.matchInputs())));
        java.util.Map<String, String> fields = row.digests();
        PlanStore.Committed record = new PlanStore.Committed(fields, PlanRecord.recordSha256(fields));

        PlanSpec.ScopeSpec scope = json.readValue(row.scopeJson(), PlanSpec.ScopeSpec.class);
        List<PlanSpec.ItemSnapshot> items = json.readValue(row.itemsJson(), new TypeReference<List<PlanSpec.ItemSnapshot>>() { });
        List<String> pool = row.inspectorSquadsJson() == null ? null : json.readValue(row.inspectorSquadsJson(), PlanService.STRINGS);
        PlanSpec spec = new PlanSpec(row.name(), row.edition(), items, scope, row.periodStart(), row.periodEnd(), row.seedHex(), row.seedGenerated(),
                pool, row.inspectorsPerVisit());
        List<Long> overlaps = row.overlapsJson() == null ? List.of() : json.readValue(row.overlapsJson(), new TypeReference<List<Long>>() { });
        List<PlanSummary.StratumCount> strata = json.readValue(row.strataJson(), new TypeReference<List<PlanSummary.StratumCount>>() { });
        PlanService.Commit commit = new PlanService.Commit(row.overlapReason(), overlaps, row.capacityReason());
        LocalDate evaluated = row.evaluationDate();
        ObjectNode body = PlanStore.registerBody(spec, commit, evaluated, row.samplingRulesVersion(), strata, record, row.createdAt());
        body.put("backfilled", true);
        body.put("createdBy", row.createdBy());
        body.put("note", NOTE);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PlanRegister.append(c, id, PlanRegister.Kind.BACKFILLED, OFFICER, now, body);
        try (PreparedStatement ps = c.prepareStatement("update inspection_plan set record_sha256 = ? where id = ? and record_sha256 is null")) {
            ps.setString(1, record.recordSha256());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        LOG.infof("Plan %d (drawn %s) entered on the public register as BACKFILLED at %s", id, row.createdAt().atZone(EventService.ZONE), now);
    }
}
