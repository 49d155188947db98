package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The inspection-object registry: create, change, close and find merchants, with an audit trail. */
@ApplicationScoped
public class MerchantService {

    public static final int MAX_PAGE_SIZE = 200;

    @Inject
    Validator validator;

    @Inject
    ReferenceData refs;

    @Inject
    GradeFilter grades;

    @Inject
    jakarta.enterprise.event.Event<MerchantsChanged> changed;

    /**
     * Every problem with {@code input}, each tagged with {@code line} (null for API calls). Covers
     * the Bean Validation constraints, the street code list and the key-unit fields.
     */
    public List<FieldError> check(MerchantInput input, Integer line) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<MerchantInput> v : validator.validate(input)) {
            Object bad = v.getInvalidValue();
            errors.add(new FieldError(line, v.getPropertyPath().toString(), bad == null ? null : bad.toString(), v.getMessage()));
        }
        if (input.street() != null && !input.street().isBlank() && refs.resolveStreet(input.street()) == null) {
            errors.add(new FieldError(line, "street", input.street(), "街镇“" + input.street() + "”不存在，可选：" + refs.allowedStreets()));
        }
        // Single-line fields: no control characters at all (not even line breaks or tabs).
        String[][] texts = {{"uscc", input.uscc()}, {"name", input.name()}, {"address", input.address()}, {"street", input.street()},
                {"contactName", input.contactName()}, {"contactPhone", input.contactPhone()}};
        for (String[] t : texts) {
            int bad = cn.urbanmgmt.risk.common.TextRules.firstControl(t[1], false);
            if (bad >= 0) {
                errors.add(new FieldError(line, t[0], cn.urbanmgmt.risk.common.TextRules.visible(t[1]),
                        cn.urbanmgmt.risk.common.TextRules.controlMessage(t[1], bad)));
            }
        }
        if (Boolean.TRUE.equals(input.keyUnit()) && input.keyUnitType() == null) {
            errors.add(new FieldError(line, "keyUnitType", null, "重点单位必须填写重点单位类型"));
        }
        if (Boolean.FALSE.equals(input.keyUnit()) && input.keyUnitType() != null) {
            errors.add(new FieldError(line, "keyUnitType", input.keyUnitType().name(), "非重点单位不应填写重点单位类型"));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        return errors;
    }

    /** Throws a 400 problem listing every field at fault. */
    public void requireValid(MerchantInput input) {
        List<FieldError> errors = check(input, null);
        if (!errors.isEmpty()) {
            throw ProblemException.validation("商户信息有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
    }

    @Transactional
    public Merchant create(MerchantInput input, Actor actor) {
        MerchantInput in = normalise(input);
        requireValid(in);
        String street = refs.resolveStreet(in.street()).code;
        requireInScope(street, actor);
        if (Merchant.findByUscc(in.uscc()) != null) {
            throw ProblemException.conflict("统一社会信用代码 " + in.uscc() + " 已登记，请改为修改该商户");
        }
        Merchant m = new Merchant();
        Map<String, Map<String, Object>> changes = apply(m, in, street);
        m.updatedAt = OffsetDateTime.now();
        m.persistAndFlush();
        audit(m.id, MerchantAudit.Action.CREATE, actor, changes);
        changed.fire(new MerchantsChanged(List.of(m.id), "登记商户（" + actor.username() + "）"));
        return m;
    }

    @Transactional
    public Merchant update(long id, MerchantInput input, Actor actor) {
        MerchantInput in = normalise(input);
        requireValid(in);
        // Locked until commit: two changes of one merchant take turns, and the second one, if it names the version
        // the first one replaced, gets the 409 below instead of failing on the optimistic lock at commit.
        Merchant m = getForUpdate(id, actor);
        String street = refs.resolveStreet(in.street()).code;
        requireInScope(street, actor);
        if (in.version() != null && in.version() != m.version) {
            throw ProblemException.conflict("该商户已被他人修改（当前版本 " + m.version + "），请刷新后重试");
        }
        if (!m.uscc.equals(in.uscc())) {
            throw ProblemException.invalidField("uscc", "统一社会信用代码不可修改；如登记有误，请关闭该商户并重新登记");
        }
        Map<String, Map<String, Object>> changes = apply(m, in, street);
        if (!changes.isEmpty()) {
            m.updatedAt = OffsetDateTime.now();
            m.flush();
            audit(m.id, MerchantAudit.Action.UPDATE, actor, changes);
            changed.fire(new MerchantsChanged(List.of(m.id), "修改商户信息（" + actor.username() + "）"));
        }
        return m;
    }

    /** Closing keeps the merchant and its history; there is no hard delete. */
    @Transactional
    public Merchant close(long id, Actor actor) {
        Merchant m = getForUpdate(id, actor);
        if (m.status != MerchantStatus.CLOSED) {
            Map<String, Map<String, Object>> changes = Map.of("status", change(m.status.name(), MerchantStatus.CLOSED.name()));
            m.status = MerchantStatus.CLOSED;
            m.updatedAt = OffsetDateTime.now();
            m.flush();
            audit(m.id, MerchantAudit.Action.CLOSE, actor, changes);
            changed.fire(new MerchantsChanged(List.of(m.id), "关闭商户（" + actor.username() + "）"));
        }
        return m;
    }

    /** A merchant the actor may see; outside their scope it does not exist for them. */
    public Merchant get(long id, Actor actor) {
        Merchant m = Merchant.findById(id);
        if (m == null || !actor.scope().covers(m.streetCode)) throw notFound(id);
        return m;
    }

    /** {@link #get}, with the merchant's row locked until the caller's transaction ends. */
    Merchant getForUpdate(long id, Actor actor) {
        Merchant m = Merchant.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (m == null || !actor.scope().covers(m.streetCode)) throw notFound(id);
        return m;
    }

    /** The one answer for a merchant that does not exist and one outside the caller's streets: nothing leaks. */
    public static ProblemException notFound(long id) {
        return ProblemException.notFound("编号为 " + id + " 的商户不存在或不在您的辖区内");
    }

    public Merchant getByUscc(String uscc, Actor actor) {
        Merchant m = Merchant.findByUscc(Uscc.normalise(uscc));
        if (m == null || !actor.scope().covers(m.streetCode)) {
            throw ProblemException.notFound("统一社会信用代码为 " + uscc + " 的商户不存在或不在您的辖区内");
        }
        return m;
    }

    public PageResult<Merchant> search(MerchantQuery q, Actor actor) {
        MerchantQuery.Where where = q.where(actor.scope(), refs, grades);
        PanacheQuery<Merchant> query = Merchant.find(where.jpql(), Sort.by("id"), where.params());
        int size = Math.min(Math.max(q.size(), 1), MAX_PAGE_SIZE);
        int page = Math.max(q.page(), 0);
        List<Merchant> items = query.page(Page.of(page, size)).list();
        return new PageResult<>(items, page, size, query.count());
    }

    /** Current grade badges for the given merchants (those not graded yet are missing). */
    public Map<Long, MerchantView.GradeBadge> gradeBadges(java.util.Collection<Long> ids) {
        Map<Long, MerchantView.GradeBadge> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Merchant.getEntityManager()
                .createNativeQuery("select merchant_id, grade, score from merchant_grade where merchant_id in (:ids)")
                .setParameter("ids", ids).getResultList();
        for (Object[] r : rows) out.put(((Number) r[0]).longValue(), new MerchantView.GradeBadge((String) r[1], ((Number) r[2]).intValue()));
        return out;
    }

    public List<MerchantAudit> history(long id, Actor actor) {
        get(id, actor);
        return MerchantAudit.list("merchantId = ?1 order by changedAt, id", id);
    }

    public void requireInScope(String streetCode, Actor actor) {
        if (!actor.scope().covers(streetCode)) {
            throw ProblemException.forbidden("您只能登记或修改本中队辖区（" + String.join("、",
                    actor.scope().streets().stream().map(refs::streetName).sorted().toList()) + "）内的商户");
        }
    }

    public static MerchantInput normalise(MerchantInput in) {
        return new MerchantInput(Uscc.normalise(in.uscc()), trim(in.name()), trim(in.address()), trim(in.street()),
                in.category(), in.keyUnit(), in.keyUnitType(), in.status(), in.openedOn(), trim(in.contactName()),
                trim(in.contactPhone()), scale(in.longitude()), scale(in.latitude()), in.version());
    }

    /** Copies the input onto the merchant and returns what changed (field -> old/new). */
    static Map<String, Map<String, Object>> apply(Merchant m, MerchantInput in, String streetCode) {
        Map<String, Object> before = snapshot(m);
        m.uscc = in.uscc();
        m.name = in.name();
        m.address = in.address();
        m.streetCode = streetCode;
        m.category = in.category();
        m.keyUnit = in.isKeyUnit();
        m.keyUnitType = in.keyUnitType();
        m.status = in.statusOrDefault();
        m.openedOn = in.openedOn();
        m.contactName = in.contactName();
        m.contactPhone = in.contactPhone();
        m.longitude = in.longitude();
        m.latitude = in.latitude();
        return diff(before, snapshot(m));
    }

    /** The audited fields of a merchant, as plain values. */
    public static Map<String, Object> snapshot(Merchant m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("uscc", m.uscc);
        s.put("name", m.name);
        s.put("address", m.address);
        s.put("street", m.streetCode);
        s.put("category", m.category == null ? null : m.category.name());
        s.put("keyUnit", m.id == null && m.uscc == null ? null : m.keyUnit);
        s.put("keyUnitType", m.keyUnitType == null ? null : m.keyUnitType.name());
        s.put("status", m.status == null ? null : m.status.name());
        s.put("openedOn", m.openedOn == null ? null : m.openedOn.toString());
        s.put("contactName", m.contactName);
        s.put("contactPhone", m.contactPhone);
        s.put("longitude", m.longitude == null ? null : m.longitude.toPlainString());
        s.put("latitude", m.latitude == null ? null : m.latitude.toPlainString());
        return s;
    }

    public static Map<String, Map<String, Object>> diff(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            Object old = before.get(k);
            if (!Objects.equals(old, v)) changes.put(k, change(old, v));
        });
        return changes;
    }

    static Map<String, Object> change(Object old, Object now) {
        Map<String, Object> c = new HashMap<>();
        c.put("old", old);
        c.put("new", now);
        return c;
    }

    private void audit(Long merchantId, MerchantAudit.Action action, Actor actor, Map<String, Map<String, Object>> changes) {
        MerchantAudit a = new MerchantAudit();
        a.merchantId = merchantId;
        a.action = action;
        a.changedBy = actor.username();
        a.changedAt = OffsetDateTime.now();
        a.changes = changes;
        a.persist();
    }

    private static String trim(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    private static BigDecimal scale(BigDecimal d) {
        return d == null ? null : d.setScale(6, RoundingMode.HALF_UP);
    }
}
