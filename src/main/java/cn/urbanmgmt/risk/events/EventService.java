package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.registry.Merchant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Event intake: validation, idempotency by (source, sourceId), corrections. Storing an event marks its
 * merchant "needs regrade" in the same transaction ({@link RegradeMark}); grading is the caller's next step
 * (intake's EventIntake, and the drain's, should the caller never get to it).
 */
@ApplicationScoped
public class EventService {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    Validator validator;

    /** Who may record what (issue 14): checked first in {@link #store}. */
    @Inject
    EventPermissions permissions;

    /** Four eyes (issue 14): events that would lower a grade are held for a second officer (approvals decides). */
    @Inject
    FourEyes fourEyes;

    /** The "needs regrade" mark committed with a stored event (grading keeps it). */
    @Inject
    RegradeMark regradeMark;

    /**
     * The stored event and whether it had been stored before (same source and id, same content); or,
     * with {@code event} null, the item it is held as until a second officer approves it.
     */
    public record Recorded(MerchantEvent event, boolean duplicate, HeldEvent pending) {
        public Recorded(MerchantEvent event, boolean duplicate) {
            this(event, duplicate, null);
        }

        public boolean isPending() {
            return event == null && pending != null;
        }
    }

    /** Every problem with the input, tagged with {@code line} for file imports. */
    public List<FieldError> check(EventInput in, Integer line) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<EventInput> v : validator.validate(in)) {
            Object bad = v.getInvalidValue();
            errors.add(new FieldError(line, v.getPropertyPath().toString(), bad == null ? null : bad.toString(), v.getMessage()));
        }
        if (in.merchantId() == null && (in.uscc() == null || in.uscc().isBlank())) {
            errors.add(new FieldError(line, "uscc", null, "请用 merchantId 或 uscc 指明商户"));
        } else if (in.merchantId() == null) {
            String p = Uscc.problem(Uscc.normalise(in.uscc()));
            if (p != null) errors.add(new FieldError(line, "uscc", in.uscc(), p));
        }
        if (in.occurredAt() != null && !in.occurredAt().isBlank()) {
            OffsetDateTime at = parseTime(in.occurredAt());
            if (at == null) {
                errors.add(new FieldError(line, "occurredAt", in.occurredAt(), "发生时间格式不正确，应为 yyyy-MM-dd 或 ISO 时间（如 2026-03-01T10:00:00+08:00）"));
            } else if (at.isAfter(OffsetDateTime.now().plusMinutes(5))) {
                errors.add(new FieldError(line, "occurredAt", in.occurredAt(), "发生时间不能晚于当前时间"));
            }
        }
        if (in.type() != null) checkTypeFields(in, line, errors);
        errors.sort(Comparator.comparing(FieldError::field));
        return errors;
    }

    private static void checkTypeFields(EventInput in, Integer line, List<FieldError> errors) {
        Map<String, Object> required = new LinkedHashMap<>();
        Map<String, Object> foreign = new LinkedHashMap<>();
        Map<String, Object> caseFields = fields("caseNo", in.caseNo(), "violationType", in.violationType(), "severity", in.severity(),
                "fineYuan", in.fineYuan(), "fromComplaint", in.fromComplaint(), "closedOn", in.closedOn());
        Map<String, Object> complaintFields = fields("channel", in.channel(), "complaintCategory", in.complaintCategory(),
                "verified", in.verified(), "linkedCaseNo", in.linkedCaseNo());
        Map<String, Object> inspectionFields = fields("itemCode", in.itemCode(), "outcome", in.outcome(), "score", in.score(),
                "deductions", in.deductions(), "inspectors", in.inspectors());
        Map<String, Object> creditFields = fields("creditAction", in.creditAction());
        Map<String, Object> detectionFields = fields("detectionSource", in.detectionSource(), "detectionType", in.detectionType(),
                "evidenceRef", in.evidenceRef());
        Map<EventType, Map<String, Object>> byType = Map.of(EventType.CASE, caseFields, EventType.COMPLAINT, complaintFields,
                EventType.INSPECTION, inspectionFields, EventType.CREDIT, creditFields, EventType.DETECTION, detectionFields);
        switch (in.type()) {
            case CASE -> required.putAll(fields("caseNo", in.caseNo(), "violationType", in.violationType(), "severity", in.severity()));
            case COMPLAINT -> required.putAll(fields("channel", in.channel(), "complaintCategory", in.complaintCategory()));
            case INSPECTION -> required.putAll(fields("itemCode", in.itemCode(), "outcome", in.outcome()));
            case CREDIT -> required.putAll(fields("creditAction", in.creditAction()));
            case DETECTION -> required.putAll(fields("detectionSource", in.detectionSource(), "detectionType", in.detectionType()));
        }
        byType.forEach((type, f) -> {
            if (type != in.type()) foreign.putAll(f);
        });
        required.forEach((field, value) -> {
            if (value == null || (value instanceof String s && s.isBlank())) {
                errors.add(new FieldError(line, field, null, in.type().label() + "必须填写 " + field));
            }
        });
        foreign.forEach((field, value) -> {
            if (value != null) {
                errors.add(new FieldError(line, field, String.valueOf(value), "字段 " + field + " 不适用于" + in.type().label() + "，请删除或更正事件类型"));
            }
        });
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** yyyy-MM-dd (start of day in Shanghai), local date-time (Shanghai) or ISO offset date-time; null if none fits. */
    public static OffsetDateTime parseTime(String text) {
        String t = text.strip();
        try {
            if (t.length() == 10) return LocalDate.parse(t).atStartOfDay(ZONE).toOffsetDateTime();
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) return OffsetDateTime.parse(t);
            return LocalDateTime.parse(t).atZone(ZONE).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The merchant an event names, within the actor's streets. */
    public Merchant merchantOf(EventInput in, Actor actor) {
        Merchant m = in.merchantId() != null ? Merchant.findById(in.merchantId()) : Merchant.findByUscc(Uscc.normalise(in.uscc()));
        if (m == null || !actor.scope().covers(m.streetCode)) {
            String field = in.merchantId() != null ? "merchantId" : "uscc";
            String value = in.merchantId() != null ? String.valueOf(in.merchantId()) : in.uscc();
            throw ProblemException.invalidField(field, "商户 " + value + " 不存在或不在您的辖区内");
        }
        return m;
    }

    @Transactional
    public Recorded record(EventInput in, Actor actor) {
        List<FieldError> errors = check(in, null);
        if (!errors.isEmpty()) {
            throw ProblemException.validation("事件信息有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
        Merchant m = merchantOf(in, actor);
        return store(in, m.id, actor.username());
    }

    /**
     * Stores a validated event for a resolved merchant; shared by single intake and bulk import.
     * Its refusals come before any write, so they need not doom a surrounding import transaction.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Recorded store(EventInput in, long merchantId, String recordedBy) {
        return store(in, merchantId, recordedBy, false);
    }

    /**
     * As {@link #store(EventInput, long, String)}; {@code approved}: a second officer approved it
     * (ApprovalService), so it takes effect even though it lowers the grade.
     *
     * <p>Four eyes: an event that would lower the merchant's grade, or that takes a published adverse
     * result off the record, is held (answer with {@code pending}) instead of stored. {@link FourEyes}
     * decides (approvals, grading the merchant with the active rules through the one fact reader, before
     * and after the event is written inside this transaction); a held event is removed again before
     * commit, so no reader ever sees it.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Recorded store(EventInput in, long merchantId, String recordedBy, boolean approved) {
        permissions.check(in, merchantId, recordedBy);
        MerchantEvent event = toEntity(in, merchantId);
        MerchantEvent existing = MerchantEvent.findBySource(event.source, event.sourceId);
        if (existing != null) {
            if (sameContent(existing, event)) return new Recorded(existing, true);
            throw ProblemException.conflict("来源 " + event.source + " 的事件 " + event.sourceId
                    + " 已记录且内容不同；如需更正，请以新编号提交并用 supersedesSourceId 指明被更正的事件");
        }
        if (!approved) {
            Recorded held = fourEyes.alreadyHeld(in, event, merchantId);
            if (held != null) return held;
        }
        MerchantEvent replaced = superseded(in, event);
        FourEyes.Write write = new FourEyes.Write() {
            @Override
            public void apply() {
                event.recordedAt = OffsetDateTime.now();
                event.recordedBy = recordedBy;
                event.persist();
                if (replaced != null) {
                    replaced.supersededBy = event.id;
                }
                MerchantEvent.getEntityManager().flush();
            }

            @Override
            public void undo() {
                if (replaced != null) replaced.supersededBy = null;
                event.delete();
                MerchantEvent.getEntityManager().flush();
            }
        };
        if (approved) {
            write.apply();
        } else {
            HeldEvent held = fourEyes.writeOrHold(in, merchantId, recordedBy, replaced, write);
            if (held != null) return new Recorded(null, false, held);
        }
        // The durable "needs regrade" mark, committed with the event (see grading's Freshness). The event's insert goes first:
        // it takes its lock on the merchant row (foreign key) before the mark's row lock, in the same order as a
        // registry change (merchant row, then mark), so the two never wait for each other in a circle.
        MerchantEvent.getEntityManager().flush();
        regradeMark.mark(MerchantEvent.getEntityManager(), List.of(merchantId));
        return new Recorded(event, false);
    }

    private static MerchantEvent superseded(EventInput in, MerchantEvent event) {
        if (in.supersedesId() == null && (in.supersedesSourceId() == null || in.supersedesSourceId().isBlank())) return null;
        MerchantEvent old = in.supersedesId() != null ? MerchantEvent.findById(in.supersedesId())
                : MerchantEvent.findBySource(event.source, in.supersedesSourceId().strip());
        String field = in.supersedesId() != null ? "supersedesId" : "supersedesSourceId";
        if (old == null || !old.merchantId.equals(event.merchantId)) {
            throw ProblemException.invalidField(field, "要更正的事件不存在，或不属于同一商户");
        }
        if (old.supersededBy != null) {
            throw ProblemException.invalidField(field, "要更正的事件已被事件 " + old.supersededBy + " 更正，请更正最新的那条");
        }
        event.supersedesId = old.id;
        return old;
    }

    public static MerchantEvent toEntity(EventInput in, long merchantId) {
        MerchantEvent e = new MerchantEvent();
        e.merchantId = merchantId;
        e.type = in.type();
        e.source = in.source().strip();
        e.sourceId = in.sourceId().strip();
        e.occurredAt = parseTime(in.occurredAt());
        e.caseNo = in.caseNo();
        e.violationType = in.violationType();
        e.severity = in.severity();
        e.fineYuan = in.fineYuan();
        e.fromComplaint = in.fromComplaint();
        e.closedOn = in.closedOn();
        e.channel = in.channel();
        e.complaintCategory = in.complaintCategory();
        e.verified = in.verified();
        e.linkedCaseNo = in.linkedCaseNo();
        e.itemCode = in.itemCode();
        e.outcome = in.outcome();
        e.score = in.score();
        e.deductions = in.deductions() == null ? null
                : in.deductions().stream().map(d -> new Deduction(d.code().strip(), d.points().doubleValue())).toList();
        e.inspectors = in.inspectors() == null ? null : String.join(",", in.inspectors());
        e.creditAction = in.creditAction();
        e.detectionSource = in.detectionSource();
        e.detectionType = in.detectionType();
        e.evidenceRef = in.evidenceRef();
        e.note = in.note();
        return e;
    }

    static boolean sameContent(MerchantEvent a, MerchantEvent b) {
        return Objects.equals(a.merchantId, b.merchantId) && a.type == b.type && a.occurredAt.toInstant().equals(b.occurredAt.toInstant())
                && Objects.equals(a.caseNo, b.caseNo) && a.violationType == b.violationType && a.severity == b.severity
                && decimalEquals(a.fineYuan, b.fineYuan) && Objects.equals(a.fromComplaint, b.fromComplaint)
                && Objects.equals(a.closedOn, b.closedOn) && a.channel == b.channel
                && Objects.equals(a.complaintCategory, b.complaintCategory) && Objects.equals(a.verified, b.verified)
                && Objects.equals(a.linkedCaseNo, b.linkedCaseNo) && Objects.equals(a.itemCode, b.itemCode)
                && a.outcome == b.outcome && decimalEquals(a.score, b.score) && Objects.equals(a.deductions, b.deductions)
                && Objects.equals(a.inspectors, b.inspectors) && a.creditAction == b.creditAction
                && a.detectionSource == b.detectionSource && Objects.equals(a.detectionType, b.detectionType)
                && Objects.equals(a.evidenceRef, b.evidenceRef) && Objects.equals(a.note, b.note);
    }

    private static boolean decimalEquals(java.math.BigDecimal a, java.math.BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /**
     * The merchant's timeline, newest first: its events, and the items held for a second officer
     * (status PENDING, 待审批; no id, {@code approvalId} names the item), which do not count yet.
     */
    public List<MerchantEvent> listForMerchant(long merchantId) {
        List<MerchantEvent> all = new ArrayList<>(MerchantEvent.<MerchantEvent>list("merchantId = ?1 order by occurredAt desc, id desc", merchantId));
        List<MerchantEvent> held = fourEyes.heldEvents(merchantId);
        if (held.isEmpty()) return all;
        all.addAll(held);
        all.sort(Comparator.comparing((MerchantEvent e) -> e.occurredAt).reversed());
        return all;
    }
}
