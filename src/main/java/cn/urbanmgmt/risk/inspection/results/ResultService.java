package cn.urbanmgmt.risk.inspection.results;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.inspection.visits.VisitPhotos;
import cn.urbanmgmt.risk.inspection.visits.VisitService;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Results of visits: recorded by the responsible squad (each item also becomes an INSPECTION event,
 * and the caller regrades the merchant), then published by planners within 20 working days.
 */
@ApplicationScoped
public class ResultService {

    public static final String EVENT_SOURCE = "double-random";
    public static final int PUBLISH_WITHIN_WORKING_DAYS = 20;

    @Inject
    EntityManager em;

    @Inject
    EventService events;

    @Inject
    VisitService visits;

    @ConfigProperty(name = "app.publication.holidays")
    Optional<List<LocalDate>> holidays;

    /** What recording did: the visit's merchant (to regrade) and the events stored. */
    public record Recorded(long visitId, long merchantId, List<Long> eventIds) {
    }

    public Set<LocalDate> holidays() {
        return holidays.map(HashSet::new).orElseGet(HashSet::new);
    }

    @Inject
    VisitPhotos photos;

    @Inject
    cn.urbanmgmt.risk.inspection.items.ItemService itemService;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    public Recorded record(long visitId, ResultInput input, Actor actor) {
        return record(visitId, input, List.of(), actor);
    }

    /** Records the result with its photos (checked by {@link VisitPhotos#check}) in one transaction. */
    @Transactional
    public Recorded record(long visitId, ResultInput input, List<VisitPhotos.Upload> uploads, Actor actor) {
        VisitView v = visits.get(visitId, actor);
        checkResponsible(v, actor, "登记结果");
        // Lock the visit so that two submissions cannot both record it.
        String status = (String) em.createNativeQuery("select status from plan_visit where id = ?1 for update").setParameter(1, visitId).getSingleResult();
        if ("DONE".equals(status)) {
            throw ProblemException.conflict("该检查任务的结果已于此前登记，不能重复登记；如需更正，请在检查任务页面提交“更正结果”"
                    + "（POST /api/v1/inspection/visits/" + visitId + "/result/corrections），经另一名人员审批后生效");
        }
        if ("CANCELLED".equals(status)) {
            throw ProblemException.conflict("该检查任务所属的计划已取消或作废，不能再登记结果");
        }
        LocalDate today = LocalDate.now(EventService.ZONE);
        LocalDate on = input.inspectedOn() == null ? today : input.inspectedOn();
        List<FieldError> errors = new ArrayList<>();
        if (on.isAfter(today)) errors.add(new FieldError(null, "inspectedOn", on.toString(), "检查日期不能晚于今天"));
        if (on.isBefore(v.windowStart())) {
            errors.add(new FieldError(null, "inspectedOn", on.toString(), "检查日期早于本次检查期的开始日期 " + v.windowStart()));
        }
        List<String> items = v.items().stream().map(VisitView.ItemRef::code).toList();
        List<ResultInput.ItemResult> results = input.results() == null ? List.of() : input.results();
        if (results.isEmpty()) errors.add(FieldError.of("results", "请为本次检查的每个事项填写结果：" + String.join("、", items)));
        Map<String, ResultInput.ItemResult> byItem = checkItems(results, items, itemService.checklistsOfPlan(v.planId()), errors);
        List<VisitView.InspectorRef> present = v.inspectors();
        if (input.presentInspectors() != null) {
            List<String> badges = input.presentInspectors().stream().filter(b -> b != null && !b.isBlank()).map(String::strip).distinct().toList();
            List<String> strangers = badges.stream().filter(b -> v.inspectors().stream().noneMatch(i -> b.equals(i.badgeNo()))).toList();
            if (!strangers.isEmpty()) {
                errors.add(new FieldError(null, "presentInspectors", String.join(",", strangers), "执法证号 " + String.join("、", strangers)
                        + " 不是本任务指派的检查人员"));
            }
            present = v.inspectors().stream().filter(i -> badges.contains(i.badgeNo())).toList();
            int needed = Math.min(2, v.inspectors().size());
            if (strangers.isEmpty() && present.size() < needed) {
                errors.add(FieldError.of("presentInspectors", "执法检查至少要有 " + needed + " 名执法人员到场（《行政处罚法》第四十二条），请勾选实际到场的人员"));
            }
        }
        errors.addAll(VisitPhotos.check(uploads));
        List<String> missing = items.stream().filter(c -> !byItem.containsKey(c)).toList();
        if (!results.isEmpty() && !missing.isEmpty()) {
            errors.add(FieldError.of("results", "缺少事项 " + String.join("、", missing) + " 的结果：本次检查的每个事项都要填写"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("检查结果有误：" + errors.get(0).message() + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
        List<String> badges = present.stream().map(VisitView.InspectorRef::badgeNo).toList();
        LocalDate deadline = WorkingDays.add(today, PUBLISH_WITHIN_WORKING_DAYS, holidays());
        List<Long> eventIds = new ArrayList<>();
        for (String code : items) {
            ResultInput.ItemResult r = byItem.get(code);
            String findings = findingsOf(r);
            EventInput e = inspectionEvent(v, code, sourceId(v, code), on, r, badges, null);
            List<FieldError> invalid = events.check(e, null);
            if (!invalid.isEmpty()) throw ProblemException.validation("检查结果有误：" + invalid.get(0).message(), invalid);
            cn.urbanmgmt.risk.events.EventService.Recorded stored = events.store(e, v.merchantId(), actor.username());
            if (stored.isPending()) {
                // Four eyes: a result that would lower the grade waits for a second officer; the visit's result is
                // recorded with its event, so the whole result is refused (and rolled back) until then.
                throw ProblemException.conflict("检查事项 " + code + " 的结果不能直接登记：" + stored.pending().reason()
                        + "。请通过事件接口（POST /api/v1/events）提交，经审批后生效");
            }
            long eventId = stored.event().id;
            eventIds.add(eventId);
            em.createNativeQuery("insert into inspection_result (id, visit_id, plan_id, merchant_id, item_code, outcome, findings, score, "
                            + "inspected_on, event_id, recorded_at, recorded_by, publish_deadline, deductions) values (nextval('inspection_result_seq'), "
                            + "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, now(), ?10, ?11, cast(nullif(?12, '') as jsonb))")
                    .setParameter(1, visitId).setParameter(2, v.planId()).setParameter(3, v.merchantId()).setParameter(4, code)
                    .setParameter(5, r.outcome().name()).setParameter(6, findings).setParameter(7, r.score()).setParameter(8, on)
                    .setParameter(9, eventId).setParameter(10, actor.username()).setParameter(11, deadline)
                    .setParameter(12, deductionsJson(deductions(r))).executeUpdate();
        }
        em.createNativeQuery("update plan_visit set status = 'DONE', done_at = now(), present_inspector_ids = cast(?2 as bigint[]) where id = ?1")
                .setParameter(1, visitId)
                .setParameter(2, "{" + present.stream().map(i -> String.valueOf(i.id())).collect(Collectors.joining(",")) + "}").executeUpdate();
        photos.store(visitId, v.merchantId(), uploads, actor);
        return new Recorded(visitId, v.merchantId(), eventIds);
    }

    /** Only the squad responsible for the visit (or one whose officers are on it) may {@code what}; the district may. */
    public static void checkResponsible(VisitView v, Actor actor, String what) {
        if (!actor.scope().isDistrict() && !v.squad().equals(actor.scope().squadCode())
                && v.inspectors().stream().noneMatch(i -> actor.scope().squadCode().equals(i.squad()))) {
            throw ProblemException.forbidden("只有负责该检查任务的中队可以" + what);
        }
    }

    /**
     * Checks per-item results against the visit's items (code on the visit and not twice, outcome,
     * score, findings, deductions: on the item's checklist when it has one, and within its check point's
     * most points), adding what is wrong to {@code errors}; returns the results by item code.
     */
    public Map<String, ResultInput.ItemResult> checkItems(List<ResultInput.ItemResult> results, List<String> items,
                                                          Map<String, List<cn.urbanmgmt.risk.inspection.items.CheckPoint>> checklists,
                                                          List<FieldError> errors) {
        Map<String, ResultInput.ItemResult> byItem = new TreeMap<>();
        for (int i = 0; i < results.size(); i++) {
            ResultInput.ItemResult r = results.get(i);
            String f = "results[" + i + "]";
            if (r == null) {
                errors.add(FieldError.of(f, "结果不能为空"));
                continue;
            }
            String code = r.itemCode() == null ? null : r.itemCode().strip().toUpperCase(java.util.Locale.ROOT);
            if (code == null || code.isEmpty()) errors.add(FieldError.of(f + ".itemCode", "事项代码不能为空"));
            else if (!items.contains(code)) errors.add(new FieldError(null, f + ".itemCode", code, "事项 " + code + " 不在本次检查任务中（本次事项："
                    + String.join("、", items) + "）"));
            else if (byItem.put(code, r) != null) errors.add(new FieldError(null, f + ".itemCode", code, "事项 " + code + " 的结果重复"));
            if (r.outcome() == null) errors.add(FieldError.of(f + ".outcome", "检查结果不能为空，可选：" + cn.urbanmgmt.risk.common.Labelled.allowed(InspectionOutcome.class)));
            if (r.score() != null && (r.score().compareTo(BigDecimal.ZERO) < 0 || r.score().compareTo(BigDecimal.valueOf(100)) > 0)) {
                errors.add(new FieldError(null, f + ".score", r.score().toPlainString(), "检查得分应在 0 到 100 之间"));
            }
            if (r.findings() != null && r.findings().length() > 2000) errors.add(FieldError.of(f + ".findings", "检查发现不能超过 2000 字"));
            Set<String> codes = new HashSet<>();
            List<EventInput.DeductionInput> deductions = r.deductions() == null ? List.of() : r.deductions();
            for (int j = 0; j < deductions.size(); j++) {
                EventInput.DeductionInput d = deductions.get(j);
                String df = f + ".deductions[" + j + "]";
                String what = "事项 " + (code == null ? "" : code) + " 的第 " + (j + 1) + " 个扣分项";
                if (d == null || d.code() == null || d.code().isBlank()) errors.add(FieldError.of(df + ".code", what + "缺少代码"));
                else if (d.code().strip().length() > 32) errors.add(FieldError.of(df + ".code", what + "的代码不能超过 32 个字符"));
                else if (!codes.add(d.code().strip().toUpperCase(java.util.Locale.ROOT))) {
                    errors.add(new FieldError(null, df + ".code", d.code(), what + "的代码 " + d.code().strip() + " 重复"));
                }
                if (d != null && (d.points() == null || d.points().compareTo(BigDecimal.ZERO) < 0 || d.points().compareTo(BigDecimal.valueOf(100)) > 0)) {
                    errors.add(FieldError.of(df + ".points", what + "的扣分应在 0 到 100 之间"));
                }
                List<cn.urbanmgmt.risk.inspection.items.CheckPoint> checklist = code == null ? null : checklists.get(code);
                if (checklist != null && d != null && d.code() != null && !d.code().isBlank()) {
                    String dc = d.code().strip().toUpperCase(java.util.Locale.ROOT);
                    var point = checklist.stream().filter(p -> p.code().equals(dc)).findFirst();
                    if (point.isEmpty()) {
                        errors.add(new FieldError(null, df + ".code", d.code(), what + "的代码 " + dc + " 不在事项 " + code + " 的检查表中（可选："
                                + String.join("、", checklist.stream().map(cn.urbanmgmt.risk.inspection.items.CheckPoint::code).toList()) + "）"));
                    } else if (d.points() != null && d.points().compareTo(point.get().maxPoints()) > 0) {
                        errors.add(new FieldError(null, df + ".points", d.points().toPlainString(), what + "（" + dc + "）扣 "
                                + d.points().stripTrailingZeros().toPlainString() + " 分，超过该检查要点的最高扣分 "
                                + point.get().maxPoints().stripTrailingZeros().toPlainString() + " 分"));
                    }
                }
            }
        }
        return byItem;
    }

    /** The INSPECTION event of one item's result (source double-random), optionally superseding {@code supersedesId}. */
    public static EventInput inspectionEvent(VisitView v, String code, String sourceId, LocalDate on, ResultInput.ItemResult r,
                                             List<String> badges, Long supersedesId) {
        String findings = findingsOf(r);
        return new EventInput(EventType.INSPECTION, EVENT_SOURCE, sourceId,
                on.toString(), v.merchantId(), null, supersedesId, null, null, null, null, null, null, null, null, null, null, null,
                code, r.outcome(), r.score(), deductions(r), badges, null, null, null, null,
                findings == null ? null : findings.length() > 1000 ? findings.substring(0, 999) + "…" : findings);
    }

    /** The item's source id of the result as first recorded. */
    public static String sourceId(VisitView v, String code) {
        return "plan-" + v.planId() + "-visit-" + v.visitNo() + "-" + code;
    }

    static String findingsOf(ResultInput.ItemResult r) {
        return r.findings() == null || r.findings().isBlank() ? null : r.findings().strip();
    }

    static List<EventInput.DeductionInput> deductions(ResultInput.ItemResult r) {
        if (r.deductions() == null || r.deductions().isEmpty()) return null;
        return r.deductions().stream().map(d -> new EventInput.DeductionInput(d.code().strip().toUpperCase(java.util.Locale.ROOT), d.points())).toList();
    }

    String deductionsJson(List<EventInput.DeductionInput> deductions) {
        if (deductions == null) return "";
        try {
            return json.writeValueAsString(deductions);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- planners: results, their publication deadline, publishing ------------------------------

    /** A recorded result with its publication state; {@code publicationOverdue} once the deadline passed unpublished. */
    public record ResultView(long id, long planId, long visitId, int visitNo, long merchantId, String uscc, String merchantName,
                             String itemCode, String outcome, String outcomeLabel, String findings, BigDecimal score,
                             LocalDate inspectedOn, OffsetDateTime recordedAt, String recordedBy, LocalDate publishDeadline,
                             boolean publicationOverdue, OffsetDateTime publishedAt, String publishedBy) {
    }

    @Transactional
    public PageResult<ResultView> search(Long planId, Boolean published, Boolean overdue, int page, int size) {
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (planId != null) {
            clauses.add("r.plan_id = ?" + (params.size() + 1));
            params.add(planId);
        }
        if (published != null) clauses.add(published ? "r.published_at is not null" : "r.published_at is null");
        if (overdue != null) {
            clauses.add((overdue ? "" : "not ") + "(r.published_at is null and r.publish_deadline < ?" + (params.size() + 1) + ")");
            params.add(LocalDate.now(EventService.ZONE));
        }
        String where = clauses.isEmpty() ? "true" : String.join(" and ", clauses);
        Query count = em.createNativeQuery("select count(*) from inspection_result r where " + where);
        for (int i = 0; i < params.size(); i++) count.setParameter(i + 1, params.get(i));
        int s = Math.min(Math.max(size, 1), 500);
        int p = Math.max(page, 0);
        Query q = em.createNativeQuery("select r.id, r.plan_id, r.visit_id, v.visit_no, r.merchant_id, m.uscc, m.name, r.item_code, r.outcome, "
                + "r.findings, r.score, r.inspected_on, r.recorded_at, r.recorded_by, r.publish_deadline, r.published_at, r.published_by "
                + "from inspection_result r join plan_visit v on v.id = r.visit_id join merchant m on m.id = r.merchant_id where " + where
                + " order by r.publish_deadline, r.id offset " + (p * s) + " limit " + s);
        for (int i = 0; i < params.size(); i++) q.setParameter(i + 1, params.get(i));
        LocalDate today = LocalDate.now(EventService.ZONE);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        List<ResultView> items = new ArrayList<>();
        for (Object[] r : rows) {
            InspectionOutcome o = InspectionOutcome.valueOf((String) r[8]);
            LocalDate deadline = date(r[14]);
            OffsetDateTime publishedAt = r[15] == null ? null : time(r[15]);
            items.add(new ResultView(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), ((Number) r[2]).longValue(),
                    ((Number) r[3]).intValue(), ((Number) r[4]).longValue(), (String) r[5], (String) r[6], (String) r[7], o.name(), o.label(),
                    (String) r[9], (BigDecimal) r[10], date(r[11]), time(r[12]), (String) r[13], deadline,
                    publishedAt == null && deadline.isBefore(today), publishedAt, (String) r[16]));
        }
        return new PageResult<>(items, p, s, ((Number) count.getSingleResult()).longValue());
    }

    public record Published(int published, int alreadyPublished, List<Long> notFound) {
    }

    /** Publishes the listed results (or all recorded results of a plan when {@code planId} is given). */
    @Transactional
    public Published publish(List<Long> ids, Long planId, Actor actor) {
        if (planId != null) {
            Number exists = (Number) em.createNativeQuery("select count(*) from inspection_plan where id = ?1").setParameter(1, planId).getSingleResult();
            if (exists.longValue() == 0) throw ProblemException.notFound("编号为 " + planId + " 的抽查计划不存在");
            int already = ((Number) em.createNativeQuery("select count(*) from inspection_result where plan_id = ?1 and published_at is not null")
                    .setParameter(1, planId).getSingleResult()).intValue();
            int n = em.createNativeQuery("update inspection_result set published_at = now(), published_by = ?1 where plan_id = ?2 and published_at is null")
                    .setParameter(1, actor.username()).setParameter(2, planId).executeUpdate();
            return new Published(n, already, List.of());
        }
        if (ids == null || ids.isEmpty()) throw ProblemException.invalidField("ids", "请给出要公示的检查结果编号");
        Set<Long> unique = new HashSet<>(ids);
        @SuppressWarnings("unchecked")
        List<Object[]> found = em.createNativeQuery("select id, published_at is not null from inspection_result where id in (:ids)")
                .setParameter("ids", unique).getResultList();
        Set<Long> existing = found.stream().map(r -> ((Number) r[0]).longValue()).collect(Collectors.toSet());
        List<Long> missing = unique.stream().filter(i -> !existing.contains(i)).sorted().toList();
        if (!missing.isEmpty()) {
            throw ProblemException.validation("以下检查结果不存在：" + missing, missing.stream()
                    .map(i -> new FieldError(null, "ids", String.valueOf(i), "检查结果 " + i + " 不存在")).toList());
        }
        int already = (int) found.stream().filter(r -> (Boolean) r[1]).count();
        int n = em.createNativeQuery("update inspection_result set published_at = now(), published_by = :by where id in (:ids) and published_at is null")
                .setParameter("by", actor.username()).setParameter("ids", unique).executeUpdate();
        return new Published(n, already, List.of());
    }

    static LocalDate date(Object o) {
        return o instanceof LocalDate d ? d : ((java.sql.Date) o).toLocalDate();
    }

    static OffsetDateTime time(Object o) {
        if (o instanceof OffsetDateTime t) return t.atZoneSameInstant(EventService.ZONE).toOffsetDateTime();
        if (o instanceof java.time.Instant i) return i.atZone(EventService.ZONE).toOffsetDateTime();
        return ((java.sql.Timestamp) o).toInstant().atZone(EventService.ZONE).toOffsetDateTime();
    }
}
