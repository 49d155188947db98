package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.matching.Matching;
import cn.urbanmgmt.risk.registry.ReferenceData;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading stored plans: the planner's view, the list, the recorded inputs for verify; publishing the notice. */
@ApplicationScoped
public class PlanQueries {

    private static final String COLUMNS = "id, name, edition, items::text, scope::text, period_start, period_end, weeks, evaluation_date, "
            + "seed, seed_generated, seed_commitment, inspector_squads::text, inspectors_per_visit, sampling_rules_version, strata::text, "
            + "exclusions::text, pools::text, warnings::text, candidates_sha256, draw_sha256, inputs_sha256, result_sha256, visit_count, "
            + "merchant_count, created_by, created_at, notice_published_at, timings::text, status, status_reason, status_by, status_at, "
            + "overlap_reason, overlapping_plans::text, capacity::text, capacity_reason, record_sha256, "
            + "(select min(r.recorded_at) from plan_register r where r.plan_id = inspection_plan.id and r.kind = 'BACKFILLED') as backfilled_at";

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    ReferenceData refs;

    /** Where a plan's period stands today. */
    public enum Phase { NOT_STARTED, IN_PROGRESS, ENDED }

    public record PlanListItem(long id, String name, int edition, List<String> items, LocalDate periodStart, LocalDate periodEnd,
                               Phase phase, int visitCount, int merchantCount, String createdBy, OffsetDateTime createdAt,
                               OffsetDateTime noticePublishedAt, String status) {
    }

    /** What verify needs: the seed, the period and the recorded inputs with their digests. */
    public record Recorded(long id, String seed, String seedCommitment, LocalDate periodStart, LocalDate periodEnd, byte[] candidates,
                           String candidatesSha256, byte[] matchInputs, String drawSha256, String inputsSha256, String resultSha256) {
    }

    public static Phase phase(LocalDate start, LocalDate end) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        return today.isBefore(start) ? Phase.NOT_STARTED : today.isAfter(end) ? Phase.ENDED : Phase.IN_PROGRESS;
    }

    @Transactional
    public PlanView view(long id) {
        Row r = one(id, "select " + COLUMNS + " from inspection_plan where id = ?1");
        PlanSpec.ScopeSpec scope = read(r.text("scope"), new TypeReference<PlanSpec.ScopeSpec>() { });
        return new PlanView(r.number("id"), r.text("name"), r.integer("edition"),
                read(r.text("items"), new TypeReference<List<PlanSpec.ItemSnapshot>>() { }),
                PlanView.ScopeView.of(scope, refs),
                r.date("period_start"), r.date("period_end"), r.integer("weeks"), r.date("evaluation_date"), r.text("seed"),
                r.flag("seed_generated"), r.text("seed_commitment"), r.text("sampling_rules_version"),
                r.text("inspector_squads") == null ? null : this.<List<String>>read(r.text("inspector_squads"), PlanService.STRINGS),
                r.integer("inspectors_per_visit"), r.integer("visit_count"), r.integer("merchant_count"),
                read(r.text("strata"), new TypeReference<List<PlanSummary.StratumCount>>() { }),
                read(r.text("exclusions"), new TypeReference<List<PlanSummary.ExclusionCount>>() { }),
                read(r.text("pools"), new TypeReference<List<Matching.PoolReport>>() { }),
                read(r.text("warnings"), new TypeReference<List<PlanSummary.Warning>>() { }),
                new PlanView.Digests(r.text("candidates_sha256"), r.text("draw_sha256"), r.text("inputs_sha256"), r.text("result_sha256")),
                r.text("created_by"), r.time("created_at"), r.time("notice_published_at"),
                r.text("timings") == null ? null : read(r.text("timings"), new TypeReference<Map<String, Long>>() { }), null,
                new PlanView.Lifecycle(r.text("status"), r.text("status_reason"), r.text("status_by"), r.time("status_at"), r.text("overlap_reason"),
                        nonEmpty(read(r.text("overlapping_plans"), new TypeReference<List<Long>>() { })), r.text("capacity_reason"),
                        r.text("record_sha256"), r.time("backfilled_at")),
                r.text("capacity") == null ? null
                        : read(r.text("capacity"), new TypeReference<cn.urbanmgmt.risk.inspection.capacity.CapacityService.Report>() { }));
    }

    private static <T> List<T> nonEmpty(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }

    /**
     * The stored row as the fields committed on the register; the candidate list and matching inputs
     * enter by their digests, which the caller computes from the stored bytes.
     */
    @Transactional
    public cn.urbanmgmt.risk.inspection.register.PlanRecord planRecord(long id, String candidatesCsvSha256, String matchInputsSha256) {
        Row r = one(id, "select name, edition, items::text, scope::text, period_start, period_end, weeks, "
                + "evaluation_date, seed, seed_commitment, seed_generated, inspector_squads::text, inspectors_per_visit, sampling_rules_version, "
                + "strata::text, exclusions::text, candidates_sha256, inputs_sha256, draw_sha256, result_sha256, visit_count, merchant_count, "
                + "pools::text, warnings::text, overlap_reason, overlapping_plans::text, capacity::text, capacity_reason, created_by, created_at "
                + "from inspection_plan where id = ?1");
        return new cn.urbanmgmt.risk.inspection.register.PlanRecord(r.text("name"), r.integer("edition"), r.text("items"), r.text("scope"),
                r.date("period_start"), r.date("period_end"), r.integer("weeks"), r.date("evaluation_date"), r.text("seed"),
                r.text("seed_commitment"), r.flag("seed_generated"), r.text("inspector_squads"), r.integer("inspectors_per_visit"),
                r.text("sampling_rules_version"), r.text("strata"), r.text("exclusions"), candidatesCsvSha256, r.text("candidates_sha256"),
                matchInputsSha256, r.text("inputs_sha256"), r.text("draw_sha256"), r.text("result_sha256"), r.integer("visit_count"),
                r.integer("merchant_count"), r.text("pools"), r.text("warnings"), r.text("overlap_reason"), r.text("overlapping_plans"),
                r.text("capacity"), r.text("capacity_reason"), r.text("created_by"), r.time("created_at").toInstant());
    }

    @Transactional
    public List<PlanListItem> list(Boolean published) {
        String where = published == null ? "" : published ? " where notice_published_at is not null" : " where notice_published_at is null";
        List<PlanListItem> out = new ArrayList<>();
        for (Row r : rows(em.createNativeQuery(LIST_COLUMNS + where + " order by id desc", Tuple.class))) out.add(listItem(r));
        return out;
    }

    private static final String LIST_COLUMNS = "select id, name, edition, items::text, period_start, period_end, visit_count, merchant_count, "
            + "created_by, created_at, notice_published_at, status from inspection_plan";

    private PlanListItem listItem(Row r) {
        List<PlanSpec.ItemSnapshot> items = read(r.text("items"), new TypeReference<List<PlanSpec.ItemSnapshot>>() { });
        LocalDate start = r.date("period_start");
        LocalDate end = r.date("period_end");
        return new PlanListItem(r.number("id"), r.text("name"), r.integer("edition"),
                items.stream().map(PlanSpec.ItemSnapshot::code).toList(), start, end, phase(start, end), r.integer("visit_count"),
                r.integer("merchant_count"), r.text("created_by"), r.time("created_at"), r.time("notice_published_at"), r.text("status"));
    }

    /** One page of the list, newest first (the list grows by a plan or two a month, but is never loaded whole). */
    @Transactional
    public PageResult<PlanListItem> page(Boolean published, int page, int size) {
        String where = published == null ? "" : published ? " where notice_published_at is not null" : " where notice_published_at is null";
        int s = Math.min(Math.max(size, 1), 200);
        int p = Math.max(page, 0);
        long total = ((Number) em.createNativeQuery("select count(*) from inspection_plan" + where).getSingleResult()).longValue();
        List<Row> rows = rows(em.createNativeQuery(LIST_COLUMNS + where + " order by id desc offset ?1 limit ?2", Tuple.class)
                .setParameter(1, (long) p * s).setParameter(2, s));
        return new PageResult<>(rows.stream().map(this::listItem).toList(), p, s, total);
    }

    @Transactional
    public Recorded recorded(long id) {
        Row r = one(id, "select id, seed, seed_commitment, period_start, period_end, candidates, candidates_sha256, "
                + "match_inputs, draw_sha256, inputs_sha256, result_sha256 from inspection_plan where id = ?1");
        return new Recorded(r.number("id"), r.text("seed"), r.text("seed_commitment"), r.date("period_start"), r.date("period_end"),
                r.bytes("candidates"), r.text("candidates_sha256"), r.bytes("match_inputs"), r.text("draw_sha256"), r.text("inputs_sha256"),
                r.text("result_sha256"));
    }

    @Transactional
    public void saveTimings(long id, Map<String, Long> timings) {
        try {
            em.createNativeQuery("update inspection_plan set timings = cast(?1 as jsonb) where id = ?2")
                    .setParameter(1, json.writeValueAsString(timings)).setParameter(2, id).executeUpdate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes the plan notice (items, scope, counts; never the merchants before the period ends). Idempotent. */
    @Transactional
    public PlanView publishNotice(long id, Actor actor) {
        view(id);
        em.createNativeQuery("update inspection_plan set notice_published_at = now(), notice_published_by = ?1 "
                + "where id = ?2 and notice_published_at is null").setParameter(1, actor.username()).setParameter(2, id).executeUpdate();
        return view(id);
    }

    /**
     * The drawn list rebuilt from the stored visits, in the published draw CSV form (see
     * {@link PlanComputation#drawCsv}): a weekly item carries its visit's week, a once-per-period item none.
     */
    @Transactional
    public String storedDrawCsv(long id) {
        PlanView plan = view(id);
        java.util.Set<String> weekly = new java.util.HashSet<>();
        for (PlanSummary.StratumCount s : plan.strata()) if (s.weekly()) weekly.add(s.item() + "\u0000" + s.stratum());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select uscc, week, array_to_string(item_codes, ';'), array_to_string(strata, ';') "
                + "from plan_visit where plan_id = ?1").setParameter(1, id).getResultList();
        List<String[]> lines = new ArrayList<>();
        for (Object[] r : rows) {
            String[] items = ((String) r[2]).split(";");
            String[] strata = ((String) r[3]).split(";");
            for (int i = 0; i < items.length; i++) {
                boolean w = weekly.contains(items[i] + "\u0000" + strata[i]);
                lines.add(new String[]{items[i], strata[i], w && r[1] != null ? r[1].toString() : "", (String) r[0]});
            }
        }
        lines.sort(java.util.Comparator.<String[], String>comparing(r -> r[0]).thenComparing(r -> r[1])
                .thenComparingInt(r -> r[2].isEmpty() ? 0 : Integer.parseInt(r[2])).thenComparing(r -> r[3]));
        StringBuilder sb = new StringBuilder("item_code,stratum,week,uscc\n");
        for (String[] r : lines) sb.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(r[3]).append('\n');
        return sb.toString();
    }

    /**
     * One row of a native query read by column name (the select's labels: {@code items::text} is {@code items}) instead of by
     * position, so that a column added to or moved in a select cannot shift the others.
     */
    record Row(Tuple t) {
        String text(String column) {
            return (String) t.get(column);
        }

        int integer(String column) {
            return ((Number) t.get(column)).intValue();
        }

        long number(String column) {
            return ((Number) t.get(column)).longValue();
        }

        boolean flag(String column) {
            return (Boolean) t.get(column);
        }

        byte[] bytes(String column) {
            return (byte[]) t.get(column);
        }

        LocalDate date(String column) {
            return PlanQueries.date(t.get(column));
        }

        OffsetDateTime time(String column) {
            return PlanQueries.time(t.get(column));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Row> rows(jakarta.persistence.Query query) {
        return ((List<Tuple>) query.getResultList()).stream().map(Row::new).toList();
    }

    /** The plan's row of {@code sql} (which takes the plan id as ?1); 404 when there is no such plan. */
    private Row one(long id, String sql) {
        List<Row> rows = rows(em.createNativeQuery(sql, Tuple.class).setParameter(1, id));
        if (rows.isEmpty()) throw ProblemException.notFound("编号为 " + id + " 的抽查计划不存在");
        return rows.get(0);
    }

    <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalDate date(Object o) {
        if (o == null) return null;
        if (o instanceof LocalDate d) return d;
        return ((java.sql.Date) o).toLocalDate();
    }

    static OffsetDateTime time(Object o) {
        if (o == null) return null;
        if (o instanceof OffsetDateTime t) return t;
        if (o instanceof java.time.Instant i) return i.atOffset(ZoneOffset.UTC).atZoneSameInstant(EventService.ZONE).toOffsetDateTime();
        if (o instanceof Timestamp ts) return ts.toInstant().atZone(EventService.ZONE).toOffsetDateTime();
        throw new IllegalArgumentException("unexpected time type " + o.getClass());
    }
}
