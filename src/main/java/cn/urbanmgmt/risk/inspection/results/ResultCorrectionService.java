package cn.urbanmgmt.risk.inspection.results;

import cn.urbanmgmt.risk.approvals.ApprovalService;
import cn.urbanmgmt.risk.approvals.HeldChange;
import cn.urbanmgmt.risk.approvals.PendingApproval;
import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.inspection.visits.VisitService;
import cn.urbanmgmt.risk.inspection.visits.VisitView;
import cn.urbanmgmt.risk.events.EventPermissions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Correcting a visit's recorded result with four eyes (issue 16): the responsible squad proposes the
 * corrected result with a reason; it is held in the approvals queue (kind RESULT_CORRECTION) and
 * nothing changes, neither the result rows, the INSPECTION events, the grade nor the published
 * results, until a second officer approves it. Then each corrected item is stored through event
 * intake as a new INSPECTION event superseding the item's current one (the correction path of the
 * event API), the result row is updated, and the approver's caller regrades the merchant.
 */
@ApplicationScoped
public class ResultCorrectionService implements HeldChange {

    @Inject
    EntityManager em;

    @Inject
    VisitService visits;

    @Inject
    ResultService results;

    @Inject
    EventService events;

    @Inject
    EventPermissions permissions;

    @Inject
    ApprovalService approvals;

    @Inject
    cn.urbanmgmt.risk.inspection.items.ItemService itemService;

    @Override
    public PendingApproval.Kind kind() {
        return PendingApproval.Kind.RESULT_CORRECTION;
    }

    /** Holds a proposed correction for a second officer; 400 naming the field, 409 no result yet or one open already. */
    @Transactional
    public PendingApproval propose(long visitId, ResultCorrectionInput input, Actor actor) {
        ProblemException.requireBody(input, "更正原因和更正后的结果");
        VisitView v = visits.get(visitId, actor);
        ResultService.checkResponsible(v, actor, "提交结果更正");
        if (!"DONE".equals(v.status()) || v.results().isEmpty()) {
            throw ProblemException.conflict("该检查任务尚未登记结果，没有可更正的结果；请先登记检查结果");
        }
        List<FieldError> errors = new ArrayList<>();
        String reason = input.reason() == null ? "" : input.reason().strip();
        if (reason.isEmpty()) errors.add(FieldError.of("reason", "请填写更正原因：审批人据此判断，它也记入审计日志"));
        else if (reason.length() > 1000) errors.add(FieldError.of("reason", "更正原因不能超过 1000 个字"));
        List<ResultInput.ItemResult> given = input.results() == null ? List.of() : input.results();
        List<String> items = v.results().stream().map(VisitView.ResultRef::itemCode).toList();
        if (given.isEmpty()) errors.add(FieldError.of("results", "请填写要更正的事项的结果（本次事项：" + String.join("、", items) + "）"));
        Map<String, ResultInput.ItemResult> byItem = results.checkItems(given, items, itemService.checklistsOfPlan(v.planId()), errors);
        if (errors.isEmpty() && byItem.entrySet().stream().allMatch(e -> same(current(v, e.getKey()), e.getValue()))) {
            errors.add(FieldError.of("results", "更正后的结果与现有结果相同，无需更正"));
        }
        List<ResultInput.ItemResult> normalised = new ArrayList<>();
        if (errors.isEmpty()) {
            for (Map.Entry<String, ResultInput.ItemResult> e : byItem.entrySet()) {
                ResultInput.ItemResult r = e.getValue();
                ResultInput.ItemResult n = new ResultInput.ItemResult(e.getKey(), r.outcome(), ResultService.findingsOf(r), r.score(),
                        ResultService.deductions(r));
                normalised.add(n);
                // What the approval will store must pass intake's checks and the proposer's permission to correct the event.
                VisitView.ResultRef ref = current(v, e.getKey());
                MerchantEvent latest = latest(ref.eventId());
                EventInput ev = ResultService.inspectionEvent(v, e.getKey(), correctionSourceId(v, e.getKey(), 0), ref.inspectedOn(), n,
                        badges(latest), latest.id);
                List<FieldError> invalid = events.check(ev, null);
                errors.addAll(invalid);
                if (invalid.isEmpty()) permissions.check(ev, v.merchantId(), actor.username());
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("结果更正有误：" + errors.get(0).message() + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""),
                    errors);
        }
        return approvals.submitChange(PendingApproval.Kind.RESULT_CORRECTION, v.merchantId(), visitId, EventType.INSPECTION,
                ResultService.EVENT_SOURCE, "visit-" + visitId + "-result-correction", new ResultCorrectionInput(reason, normalised),
                "更正检查任务 " + visitId + "（" + v.merchantName() + "）已登记的检查结果，更正原因：" + reason, summary(v, normalised),
                actor.username());
    }

    /** The visit's correction proposals, newest first, with their status. */
    public List<PendingApproval> list(long visitId, Actor actor) {
        visits.get(visitId, actor);
        return approvals.ofVisit(PendingApproval.Kind.RESULT_CORRECTION, visitId);
    }

    /** Approved: each corrected item becomes a new INSPECTION event superseding the item's current one, and its result row follows. */
    @Override
    public long apply(PendingApproval p) {
        ResultCorrectionInput in = approvals.payload(p, ResultCorrectionInput.class);
        VisitView v = visits.get(p.visitId, Actor.system("approval"));
        em.createNativeQuery("select id from plan_visit where id = ?1 for update").setParameter(1, p.visitId).getSingleResult();
        Long first = null;
        for (ResultInput.ItemResult r : in.results()) {
            VisitView.ResultRef ref = current(v, r.itemCode());
            if (ref == null) throw ProblemException.conflict("检查任务 " + p.visitId + " 已没有事项 " + r.itemCode() + " 的结果");
            MerchantEvent latest = latest(ref.eventId());
            EventInput e = ResultService.inspectionEvent(v, r.itemCode(), correctionSourceId(v, r.itemCode(), p.id), ref.inspectedOn(), r,
                    badges(latest), latest.id);
            List<FieldError> invalid = events.check(e, null);
            if (!invalid.isEmpty()) throw ProblemException.validation(invalid.get(0).message(), invalid);
            long eventId = events.store(e, v.merchantId(), p.submittedBy, true).event().id;
            if (first == null) first = eventId;
            em.createNativeQuery("update inspection_result set outcome = ?2, findings = ?3, score = ?4, deductions = cast(nullif(?5, '') as jsonb), "
                            + "event_id = ?6, corrected_at = now(), correction_approval_id = ?7 where id = ?1")
                    .setParameter(1, ref.id()).setParameter(2, r.outcome().name()).setParameter(3, r.findings()).setParameter(4, r.score())
                    .setParameter(5, results.deductionsJson(r.deductions())).setParameter(6, eventId).setParameter(7, p.id).executeUpdate();
        }
        if (first == null) throw ProblemException.conflict("该更正没有任何事项的结果");
        return first;
    }

    private static String correctionSourceId(VisitView v, String code, long approvalId) {
        return ResultService.sourceId(v, code) + "-c" + approvalId;
    }

    private static VisitView.ResultRef current(VisitView v, String code) {
        return v.results().stream().filter(r -> r.itemCode().equals(code)).findFirst().orElse(null);
    }

    /** The item's event as it stands now: an ordinary event correction may have superseded the one the result row names. */
    private static MerchantEvent latest(long eventId) {
        MerchantEvent e = MerchantEvent.findById(eventId);
        for (int i = 0; e != null && e.supersededBy != null && i < 100; i++) e = MerchantEvent.findById(e.supersededBy);
        if (e == null) throw ProblemException.conflict("检查结果的事件 " + eventId + " 已不存在");
        return e;
    }

    private static List<String> badges(MerchantEvent e) {
        return e.inspectors == null || e.inspectors.isBlank() ? null : Arrays.stream(e.inspectors.split(",")).map(String::strip).toList();
    }

    private static boolean same(VisitView.ResultRef ref, ResultInput.ItemResult r) {
        return ref != null && ref.outcome().equals(r.outcome().name()) && Objects.equals(ref.findings(), ResultService.findingsOf(r))
                && decimalEquals(ref.score(), r.score()) && deductionText(ref.deductions()).equals(deductionText(ResultService.deductions(r)));
    }

    private static boolean decimalEquals(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static String deductionText(List<EventInput.DeductionInput> ds) {
        if (ds == null || ds.isEmpty()) return "无扣分项";
        return String.join("、", ds.stream().map(d -> d.code() + " 扣 " + d.points().stripTrailingZeros().toPlainString() + " 分").toList());
    }

    /** Per item: outcome, deductions and score before → after, in words. */
    private static String summary(VisitView v, List<ResultInput.ItemResult> corrected) {
        List<String> lines = new ArrayList<>();
        for (ResultInput.ItemResult r : corrected) {
            VisitView.ResultRef ref = current(v, r.itemCode());
            String line = "事项 " + r.itemCode() + "：" + ref.outcomeLabel() + " → " + r.outcome().label()
                    + "；扣分项：" + deductionText(ref.deductions()) + " → " + deductionText(r.deductions());
            if (!decimalEquals(ref.score(), r.score())) line += "；得分：" + plain(ref.score()) + " → " + plain(r.score());
            if (!Objects.equals(ref.findings(), r.findings())) line += "；检查发现：" + (r.findings() == null ? "（无）" : r.findings());
            lines.add(line);
        }
        String s = String.join("\n", lines);
        return s.length() > 4000 ? s.substring(0, 3999) + "…" : s;
    }

    private static String plain(BigDecimal d) {
        return d == null ? "未填" : d.stripTrailingZeros().toPlainString();
    }
}
