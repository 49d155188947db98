package cn.urbanmgmt.risk.inspection.visits;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.registry.MerchantQuery;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Visits for the field and for planners. SQUAD users see the visits their squad is responsible for
 * and those one of their officers is assigned to; everyone else sees all.
 */
@ApplicationScoped
public class VisitService {

    public static final int MAX_PAGE_SIZE = 500;

    @Inject
    EntityManager em;

    @Inject
    ReferenceData refs;

    @Inject
    ObjectMapper json;

    /** Longest search text (merchant name, USCC or address). */
    public static final int MAX_QUERY_LENGTH = 100;

    /**
     * Filters of a visit list. {@code q}: part of the merchant's name or address, or the start of its USCC;
     * {@code when}: {@code today} (the inspection window includes today) or {@code week} (it overlaps this
     * week, Monday to Sunday); {@code mine}: only visits the caller's own badge number is assigned to.
     */
    public record Filter(Long planId, String status, Boolean overdue, String squad, String q, String when, Boolean mine, Long merchantId) {
        public Filter(Long planId, String status, Boolean overdue, String squad) {
            this(planId, status, overdue, squad, null, null, null, null);
        }
    }

    private record Where(String sql, List<Object> params) {
    }

    private Where where(Filter f, Actor actor) {
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (!actor.scope().isDistrict()) {
            clauses.add("(v.squad_code = ?" + (params.size() + 1) + " or exists (select 1 from inspector i where i.id = any(v.inspector_ids) "
                    + "and i.squad_code = ?" + (params.size() + 1) + "))");
            params.add(actor.scope().squadCode());
        }
        if (f.planId() != null) {
            clauses.add("v.plan_id = ?" + (params.size() + 1));
            params.add(f.planId());
        }
        if (f.status() != null && !f.status().isBlank()) {
            String s = f.status().strip().toUpperCase(Locale.ROOT);
            if (!s.equals("PENDING") && !s.equals("DONE") && !s.equals("CANCELLED")) {
                throw ProblemException.invalidField("status", "状态“" + f.status() + "”无效，可选：PENDING（待检查）、DONE（已完成）、CANCELLED（计划已取消或作废）");
            }
            clauses.add("v.status = ?" + (params.size() + 1));
            params.add(s);
        }
        if (f.overdue() != null) {
            clauses.add((f.overdue() ? "" : "not ") + "(v.status = 'PENDING' and v.window_end < ?" + (params.size() + 1) + ")");
            params.add(LocalDate.now(EventService.ZONE));
        }
        if (f.squad() != null && !f.squad().isBlank()) {
            Squad s = refs.squad(f.squad().strip().toLowerCase(Locale.ROOT));
            if (s == null) s = refs.squads().stream().filter(x -> x.name.equals(f.squad().strip())).findFirst().orElse(null);
            if (s == null) throw ProblemException.invalidField("squad", "中队“" + f.squad() + "”不存在");
            clauses.add("v.squad_code = ?" + (params.size() + 1));
            params.add(s.code);
        }
        if (f.merchantId() != null) {
            clauses.add("v.merchant_id = ?" + (params.size() + 1));
            params.add(f.merchantId());
        }
        if (f.q() != null && !f.q().isBlank()) {
            String q = f.q().strip();
            if (q.length() > MAX_QUERY_LENGTH) throw ProblemException.invalidField("q", "搜索文字不能超过 " + MAX_QUERY_LENGTH + " 个字");
            String like = "%" + MerchantQuery.escapeLike(q) + "%";
            int n = params.size() + 1;
            clauses.add("exists (select 1 from merchant mq where mq.id = v.merchant_id and (mq.name like ?" + n + " or mq.address like ?" + n
                    + " or mq.uscc like ?" + (n + 1) + "))");
            params.add(like);
            params.add(MerchantQuery.escapeLike(Uscc.normalise(q)) + "%");
        }
        if (f.when() != null && !f.when().isBlank()) {
            LocalDate today = LocalDate.now(EventService.ZONE);
            String w = f.when().strip().toLowerCase(Locale.ROOT);
            LocalDate from;
            LocalDate to;
            if (w.equals("today")) {
                from = today;
                to = today;
            } else if (w.equals("week")) {
                from = today.with(java.time.DayOfWeek.MONDAY);
                to = from.plusDays(6);
            } else {
                throw ProblemException.invalidField("when", "时间范围“" + f.when() + "”无效，可选：today（今天）、week（本周）");
            }
            clauses.add("v.window_start <= ?" + (params.size() + 1) + " and v.window_end >= ?" + (params.size() + 2));
            params.add(to);
            params.add(from);
        }
        if (Boolean.TRUE.equals(f.mine())) {
            clauses.add("exists (select 1 from app_user u join inspector i on i.badge_no = u.badge_no where u.username = ?" + (params.size() + 1)
                    + " and i.id = any(v.inspector_ids))");
            params.add(actor.username());
        }
        return new Where(clauses.isEmpty() ? "true" : String.join(" and ", clauses), params);
    }

    private static final String SELECT = "select v.id, v.plan_id, p.name, v.visit_no, v.merchant_id, v.uscc, m.name as merchant_name, m.address, "
            + "m.street_code, v.squad_code, v.window_start, v.window_end, v.week, array_to_string(v.item_codes, ';'), "
            + "array_to_string(v.strata, ';'), array_to_string(v.inspector_ids, ';'), v.status, v.done_at, p.items::text, "
            + "array_to_string(v.present_inspector_ids, ';') "
            + "from plan_visit v join inspection_plan p on p.id = v.plan_id join merchant m on m.id = v.merchant_id where ";

    public PageResult<VisitView> search(Filter filter, int page, int size, Actor actor) {
        int s = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        int p = Math.max(page, 0);
        return QuarkusTransaction.requiringNew().call(() -> {
            Where w = where(filter, actor);
            if (filter.planId() != null) requirePlan(filter.planId());
            Query count = em.createNativeQuery("select count(*) from plan_visit v where " + w.sql());
            bind(count, w.params());
            long total = ((Number) count.getSingleResult()).longValue();
            List<VisitView> items = load(w, "order by v.plan_id desc, v.visit_no", p * s, s);
            return new PageResult<>(items, p, s, total);
        });
    }

    public VisitView get(long id, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Where w = where(new Filter(null, null, null, null), actor);
            List<Object> params = new ArrayList<>(w.params());
            params.add(id);
            List<VisitView> found = load(new Where(w.sql() + " and v.id = ?" + params.size(), params), "", 0, 1);
            if (found.isEmpty()) throw ProblemException.notFound("编号为 " + id + " 的检查任务不存在或不属于本中队");
            return found.get(0);
        });
    }

    private void requirePlan(long planId) {
        Number n = (Number) em.createNativeQuery("select count(*) from inspection_plan where id = ?1").setParameter(1, planId).getSingleResult();
        if (n.longValue() == 0) throw ProblemException.notFound("编号为 " + planId + " 的抽查计划不存在");
    }

    public void export(Filter filter, Actor actor, String format, OutputStream out) {
        try (TabularWriter writer = TabularWriter.open(format, out, VisitColumns.headers())) {
            int page = 0;
            while (true) {
                int p = page;
                List<VisitView> chunk = QuarkusTransaction.requiringNew().call(() -> load(where(filter, actor),
                        "order by v.plan_id desc, v.visit_no", p * 2000, 2000));
                for (VisitView v : chunk) writer.row(VisitColumns.values(v));
                if (chunk.size() < 2000) break;
                page++;
            }
        }
    }

    /** At most this many visits on one printed day list. */
    public static final int MAX_DAY_LIST = 2000;

    /**
     * The visits of one squad whose window includes {@code day} (pending and done, not cancelled), by
     * street and address: the printable day list. A squad user sees its own visits only, as in search.
     */
    public List<VisitView> onDay(String squad, LocalDate day, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Where w = where(new Filter(null, null, null, squad), actor);
            List<Object> params = new ArrayList<>(w.params());
            params.add(day);
            String sql = w.sql() + " and v.status <> 'CANCELLED' and v.window_start <= ?" + params.size();
            params.add(day);
            sql += " and v.window_end >= ?" + params.size();
            return load(new Where(sql, params), "order by m.street_code, m.address, v.id", 0, MAX_DAY_LIST);
        });
    }

    /** Checks filters before a download starts streaming, so a bad one is a 400 and not a broken file. */
    public void check(Filter filter, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            where(filter, actor);
            if (filter.planId() != null) requirePlan(filter.planId());
        });
    }

    private List<VisitView> load(Where w, String order, int offset, int limit) {
        Query q = em.createNativeQuery(SELECT + w.sql() + " " + order + " offset " + offset + " limit " + limit);
        bind(q, w.params());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        Set<Long> inspectorIds = new HashSet<>();
        List<Long> visitIds = new ArrayList<>();
        for (Object[] r : rows) {
            visitIds.add(((Number) r[0]).longValue());
            for (long id : ids((String) r[15])) inspectorIds.add(id);
            for (long id : ids((String) r[19])) inspectorIds.add(id);
        }
        Map<Long, VisitView.InspectorRef> inspectors = new HashMap<>();
        if (!inspectorIds.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<Object[]> ins = em.createNativeQuery("select id, badge_no, name, squad_code from inspector where id in (:ids)")
                    .setParameter("ids", inspectorIds).getResultList();
            for (Object[] i : ins) {
                long id = ((Number) i[0]).longValue();
                inspectors.put(id, new VisitView.InspectorRef(id, (String) i[1], (String) i[2], (String) i[3]));
            }
        }
        Map<Long, List<VisitView.ResultRef>> results = results(visitIds);
        Map<String, Map<String, String>> itemNames = new HashMap<>();
        List<VisitView> out = new ArrayList<>(rows.size());
        LocalDate today = LocalDate.now(EventService.ZONE);
        for (Object[] r : rows) {
            Map<String, String> names = itemNames.computeIfAbsent((String) r[18], this::itemNames);
            List<VisitView.ItemRef> items = Arrays.stream(((String) r[13]).split(";")).map(c -> new VisitView.ItemRef(c, names.get(c))).toList();
            List<VisitView.InspectorRef> staff = Arrays.stream(ids((String) r[15])).mapToObj(id -> inspectors.getOrDefault(id,
                    new VisitView.InspectorRef(id, null, null, null))).toList();
            String squad = (String) r[9];
            Squad sq = refs.squad(squad);
            LocalDate windowEnd = date(r[11]);
            String status = (String) r[16];
            long id = ((Number) r[0]).longValue();
            out.add(new VisitView(id, ((Number) r[1]).longValue(), (String) r[2], ((Number) r[3]).intValue(), ((Number) r[4]).longValue(),
                    (String) r[5], (String) r[6], (String) r[7], (String) r[8], refs.streetName((String) r[8]), squad, sq == null ? squad : sq.name,
                    date(r[10]), windowEnd, r[12] == null ? null : ((Number) r[12]).intValue(), items, List.of(((String) r[14]).split(";")),
                    staff, status, "PENDING".equals(status) && windowEnd.isBefore(today),
                    r[17] == null ? null : toTime(r[17]), results.getOrDefault(id, List.of()),
                    r[19] == null ? null : Arrays.stream(ids((String) r[19])).mapToObj(inspectors::get).filter(java.util.Objects::nonNull).toList()));
        }
        return out;
    }

    private Map<Long, List<VisitView.ResultRef>> results(List<Long> visitIds) {
        Map<Long, List<VisitView.ResultRef>> out = new HashMap<>();
        if (visitIds.isEmpty()) return out;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, visit_id, item_code, outcome, findings, score, inspected_on, event_id, recorded_at, "
                + "recorded_by, publish_deadline, published_at, deductions::text, corrected_at from inspection_result where visit_id in (:ids) order by visit_id, item_code")
                .setParameter("ids", visitIds).getResultList();
        for (Object[] r : rows) {
            InspectionOutcome o = InspectionOutcome.valueOf((String) r[3]);
            out.computeIfAbsent(((Number) r[1]).longValue(), k -> new ArrayList<>()).add(new VisitView.ResultRef(((Number) r[0]).longValue(),
                    (String) r[2], o.name(), o.label(), (String) r[4], (BigDecimal) r[5], date(r[6]), ((Number) r[7]).longValue(),
                    toTime(r[8]), (String) r[9], date(r[10]), r[11] == null ? null : toTime(r[11]), deductions((String) r[12]),
                    r[13] == null ? null : toTime(r[13])));
        }
        return out;
    }

    private List<cn.urbanmgmt.risk.events.EventInput.DeductionInput> deductions(String text) {
        if (text == null) return null;
        try {
            return json.readValue(text, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> itemNames(String itemsJson) {
        try {
            List<Map<String, Object>> items = json.readValue(itemsJson, new TypeReference<>() { });
            Map<String, String> names = new HashMap<>();
            for (Map<String, Object> i : items) names.put((String) i.get("code"), (String) i.get("name"));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long[] ids(String text) {
        if (text == null || text.isEmpty()) return new long[0];
        return Arrays.stream(text.split(";")).mapToLong(Long::parseLong).toArray();
    }

    private static void bind(Query q, List<Object> params) {
        for (int i = 0; i < params.size(); i++) q.setParameter(i + 1, params.get(i));
    }

    static LocalDate date(Object o) {
        if (o instanceof LocalDate d) return d;
        return ((java.sql.Date) o).toLocalDate();
    }

    static java.time.OffsetDateTime toTime(Object o) {
        if (o instanceof java.time.OffsetDateTime t) return t.atZoneSameInstant(EventService.ZONE).toOffsetDateTime();
        if (o instanceof java.time.Instant i) return i.atZone(EventService.ZONE).toOffsetDateTime();
        if (o instanceof java.sql.Timestamp ts) return ts.toInstant().atZone(EventService.ZONE).toOffsetDateTime();
        throw new IllegalArgumentException("unexpected time type " + o.getClass());
    }

    /** Used by plan progress: today's date in Shanghai. */
    public static LocalDate today() {
        return LocalDate.now(EventService.ZONE);
    }
}
