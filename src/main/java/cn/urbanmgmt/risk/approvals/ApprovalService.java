package cn.urbanmgmt.risk.approvals;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.registry.Merchant;
import cn.urbanmgmt.risk.events.EventPermissions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Four eyes where a grade goes down (issue 14, point 3). Event intake ({@link EventService#store})
 * holds an event here when it would lower its merchant's grade or take a published adverse result
 * off the record; a second officer with the right role ({@link EventPermissions#checkApprover}),
 * never the submitter, approves it (it is then stored through the same intake and the merchant goes
 * through the one regrade path) or refuses it with a reason. Every step is written to
 * {@code approval_audit}, which is hash-chained (AuditChain). The number of open items is the
 * gauge {@code approvals.pending}.
 */
@ApplicationScoped
public class ApprovalService {

    @Inject
    ObjectMapper json;

    @Inject
    EventService events;

    @Inject
    EventPermissions permissions;

    @Inject
    @jakarta.enterprise.inject.Any
    jakarta.enterprise.inject.Instance<HeldChange> changes;

    private final AtomicLong open = new AtomicLong();

    @Inject
    ApprovalService(MeterRegistry registry) {
        registry.gauge("approvals.pending", open);
    }

    // ---- intake side ------------------------------------------------------------------------------

    public PendingApproval openFor(String source, String sourceId) {
        return PendingApproval.openFor(source, sourceId);
    }

    /**
     * Why the event must always wait for a second officer whatever the grades say (zh-CN), or null: a
     * credit repair (it takes adverse results off the public record), or a correction that supersedes an
     * inspection result published as adverse.
     */
    public String alwaysHeldReason(EventInput in, MerchantEvent replaced) {
        if (in.type() == EventType.CREDIT && in.creditAction() == CreditAction.REPAIRED) {
            return "信用修复会撤下已公示的不利检查结果";
        }
        if (replaced != null && replaced.type == EventType.INSPECTION) {
            Number adverse = (Number) MerchantEvent.getEntityManager().createNativeQuery(
                    "select count(*) from inspection_result where event_id = ?1 and published_at is not null and outcome <> 'NO_PROBLEM'")
                    .setParameter(1, replaced.id).getSingleResult();
            if (adverse.longValue() > 0) return "该更正会替代已公示的不利检查结果（事件 " + replaced.id + "）";
        }
        return null;
    }

    /** The same submission again: true (a duplicate); other content under the same source id: 409. */
    public boolean sameSubmission(PendingApproval p, EventInput in, long merchantId) {
        if (p.merchantId == merchantId && sameJson(p.payload, write(in))) return true;
        throw ProblemException.conflict("来源 " + p.source + " 的事件 " + p.sourceId + " 已提交审批（待审批事项 " + p.id
                + "）且内容不同；请等待审批结果，或以新编号提交");
    }

    /** Holds an event for a second officer (in the intake's transaction). */
    public PendingApproval submit(EventInput in, long merchantId, String submittedBy, MerchantEvent replaced, String reason,
                                  Grade before, Grade after) {
        PendingApproval p = new PendingApproval();
        p.merchantId = merchantId;
        p.eventType = in.type();
        p.source = in.source().strip();
        p.sourceId = in.sourceId().strip();
        p.payload = write(in);
        p.supersedesEventId = replaced == null ? null : replaced.id;
        p.reason = reason + "，须由另一名法制审核或管理员" + (in.type() == EventType.CREDIT ? "（信用记录也可由另一名信用管理人员）" : "") + "审批后生效";
        p.gradeBefore = before == null ? null : before.name();
        p.gradeAfter = after == null ? null : after.name();
        return hold(p, submittedBy);
    }

    /**
     * Holds a change that is not a plain event (a {@link HeldChange} applies it on approval), in the
     * caller's transaction. {@code sourceId} is unique among open items of {@code source}: a second
     * open proposal for the same thing is refused with 409.
     */
    public PendingApproval submitChange(PendingApproval.Kind kind, long merchantId, Long visitId, EventType eventType, String source,
                                        String sourceId, Object payload, String reason, String summary, String submittedBy) {
        PendingApproval existing = openFor(source, sourceId);
        if (existing != null) {
            throw ProblemException.conflict("已有待审批的" + kind.label() + "（待审批事项 " + existing.id + "，" + existing.submittedBy
                    + " 提交）；请等待审批结果后再提交");
        }
        PendingApproval p = new PendingApproval();
        p.kind = kind;
        p.merchantId = merchantId;
        p.visitId = visitId;
        p.eventType = eventType;
        p.source = source;
        p.sourceId = sourceId;
        p.payload = write(payload);
        p.reason = reason + "，须由另一名法制审核或管理员审批后生效";
        p.summary = summary;
        return hold(p, submittedBy);
    }

    /** Stores a filled-in item as pending, with its SUBMIT audit row; both kinds of held item end here. */
    private PendingApproval hold(PendingApproval p, String submittedBy) {
        p.submittedBy = submittedBy;
        p.submittedAt = OffsetDateTime.now();
        p.status = PendingApproval.Status.PENDING;
        p.persist();
        ApprovalAudit.record(p, submittedBy, ApprovalAudit.Action.SUBMIT, p.reason);
        open.incrementAndGet();
        return p;
    }

    /** The items of one kind about one visit, newest first (all statuses). */
    @Transactional
    public List<PendingApproval> ofVisit(PendingApproval.Kind kind, long visitId) {
        return PendingApproval.list("kind = ?1 and visitId = ?2 order by submittedAt desc, id desc", kind, visitId);
    }

    /** Reads a held change's payload. */
    public <T> T payload(PendingApproval p, Class<T> type) {
        try {
            return json.readValue(p.payload, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The merchant's open items as timeline entries (not stored events: no id, status PENDING). */
    public List<MerchantEvent> heldEvents(long merchantId) {
        List<MerchantEvent> out = new ArrayList<>();
        for (PendingApproval p : PendingApproval.<PendingApproval>list("merchantId = ?1 and status = ?2 and kind = ?3 order by submittedAt",
                merchantId, PendingApproval.Status.PENDING, PendingApproval.Kind.EVENT)) {
            MerchantEvent e = EventService.toEntity(read(p.payload), merchantId);
            e.recordedAt = p.submittedAt;
            e.recordedBy = p.submittedBy;
            e.supersedesId = p.supersedesEventId;
            e.status = PendingApproval.Status.PENDING.name();
            e.statusLabel = PendingApproval.Status.PENDING.label();
            e.approvalId = p.id;
            out.add(e);
        }
        return out;
    }

    // ---- work queue -------------------------------------------------------------------------------

    /** Items by status (default: open), newest first; within the caller's streets. */
    @Transactional
    public PageResult<PendingApproval> list(PendingApproval.Status status, int page, int size, Actor actor) {
        PendingApproval.Status s = status == null ? PendingApproval.Status.PENDING : status;
        String where = actor.scope().isDistrict() ? "status = ?1"
                : "status = ?1 and merchantId in (select m.id from Merchant m where m.streetCode in ?2)";
        Object[] params = actor.scope().isDistrict() ? new Object[]{s} : new Object[]{s, actor.scope().streets()};
        long total = PendingApproval.count(where, params);
        List<PendingApproval> items = PendingApproval.<PendingApproval>find(where + " order by submittedAt desc, id desc", params)
                .page(page, size).list();
        return new PageResult<>(items, page, size, total);
    }

    @Transactional
    public PendingApproval get(long id, Actor actor) {
        PendingApproval p = PendingApproval.findById(id);
        if (p == null || !visible(p, actor)) throw ProblemException.notFound("待审批事项 " + id + " 不存在");
        return p;
    }

    private static boolean visible(PendingApproval p, Actor actor) {
        if (actor.scope().isDistrict()) return true;
        Merchant m = Merchant.findById(p.merchantId);
        return m != null && actor.scope().covers(m.streetCode);
    }

    /**
     * A second officer approves: the event is stored through event intake, in this transaction, with
     * its "needs regrade" mark (the caller regrades after commit). The item is locked first, so of two
     * approvers at once one wins and the other gets 409.
     */
    @Transactional
    public PendingApproval approve(long id, String comment, Actor actor) {
        PendingApproval p = decide(id, actor);
        long eventId;
        try {
            eventId = p.kind == null || p.kind == PendingApproval.Kind.EVENT
                    ? events.store(read(p.payload), p.merchantId, p.submittedBy, true).event().id
                    : change(p.kind).apply(p);
        } catch (ProblemException e) {
            throw ProblemException.conflict("该事项无法生效：" + e.getMessage() + "；请驳回并说明理由");
        }
        p.status = PendingApproval.Status.APPROVED;
        p.decidedBy = actor.username();
        p.decidedAt = OffsetDateTime.now();
        p.decisionComment = checkText(comment, "comment", false);
        p.eventId = eventId;
        ApprovalAudit.record(p, actor.username(), ApprovalAudit.Action.APPROVE, p.decisionComment);
        open.decrementAndGet();
        return p;
    }

    private HeldChange change(PendingApproval.Kind kind) {
        for (HeldChange c : changes) {
            if (c.kind() == kind) return c;
        }
        throw new IllegalStateException("No HeldChange for " + kind);
    }

    /** A second officer refuses, with a reason; the event is never stored. */
    @Transactional
    public PendingApproval refuse(long id, String reason, Actor actor) {
        String why = checkText(reason, "reason", true);
        PendingApproval p = decide(id, actor);
        p.status = PendingApproval.Status.REFUSED;
        p.decidedBy = actor.username();
        p.decidedAt = OffsetDateTime.now();
        p.decisionComment = why;
        ApprovalAudit.record(p, actor.username(), ApprovalAudit.Action.REFUSE, why);
        open.decrementAndGet();
        return p;
    }

    /** Locks an open item and checks that the caller may decide it (403 own item or wrong role, 409 decided). */
    private PendingApproval decide(long id, Actor actor) {
        PendingApproval p = PendingApproval.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (p == null || !visible(p, actor)) throw ProblemException.notFound("待审批事项 " + id + " 不存在");
        if (!p.isOpen()) {
            throw ProblemException.conflict("待审批事项 " + id + " 已由 " + p.decidedBy + " " + p.status.label() + "，不能再审批");
        }
        permissions.checkApprover(actor.username(), p.submittedBy, p.eventType);
        return p;
    }

    private static String checkText(String text, String field, boolean required) {
        if (text == null || text.isBlank()) {
            if (required) throw ProblemException.invalidField(field, "请填写驳回理由：提交人会看到它，它也记入审计日志");
            return null;
        }
        if (text.length() > 1000) throw ProblemException.invalidField(field, "说明不能超过 1000 个字符");
        return text.strip();
    }

    // ---- gauge ------------------------------------------------------------------------------------

    /** Recounts the open items (other instances decide too). */
    @Scheduled(every = "${app.approvals.count-interval:30s}", delayed = "5s")
    void recount() {
        open.set(QuarkusTransaction.requiringNew().call(() -> PendingApproval.count("status", PendingApproval.Status.PENDING)));
    }

    private boolean sameJson(String a, String b) {
        try {
            return json.readTree(a).equals(json.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private EventInput read(String payload) {
        try {
            return json.readValue(payload, EventInput.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
