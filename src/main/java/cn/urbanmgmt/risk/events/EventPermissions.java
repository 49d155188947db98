package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.registry.Merchant;
import cn.urbanmgmt.risk.registry.Squad;
import cn.urbanmgmt.risk.security.AppUser;
import cn.urbanmgmt.risk.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may record what: the one place that decides whether an officer may post an event of a type
 * and whether they may correct (supersede) a given event. Called at the start of event intake
 * ({@code EventService.store}), so single events, bulk imports and inspection results all pass it.
 *
 * <pre>
 * role          posts                                   corrects
 * ADMIN         every type                              any event, of the same type
 * PLANNER       CASE, COMPLAINT, INSPECTION, DETECTION  such events, of the same type
 * SQUAD         CASE, COMPLAINT, INSPECTION, DETECTION  only events its own squad's officers recorded,
 *                                                       of the same type, in its streets
 * CREDIT        CREDIT (listing, delisting, repair)     CREDIT events
 * RULE_AUTHOR, REVIEWER   no events
 * </pre>
 * A correction always supersedes an event of the same type (an "unfounded complaint" cannot
 * supersede a case). Credit listing and repair: only CREDIT or ADMIN.
 */
@ApplicationScoped
public class EventPermissions {

    private static final Set<EventType> FIELD_TYPES = EnumSet.of(EventType.CASE, EventType.COMPLAINT, EventType.INSPECTION,
            EventType.DETECTION);

    /** What each role may post (and correct); the matrix in one table. */
    static final Map<Role, Set<EventType>> MAY_POST = new LinkedHashMap<>();

    static {
        MAY_POST.put(Role.ADMIN, EnumSet.allOf(EventType.class));
        MAY_POST.put(Role.PLANNER, FIELD_TYPES);
        MAY_POST.put(Role.SQUAD, FIELD_TYPES);
        MAY_POST.put(Role.CREDIT, EnumSet.of(EventType.CREDIT));
    }

    /**
     * Refuses (403 or 400, before anything is written) an event the officer may not record.
     *
     * @param recordedBy the user name of the officer recording it
     */
    public void check(EventInput in, long merchantId, String recordedBy) {
        if (in.type() == null) return; // the intake's validation names the missing type
        Officer officer = officer(recordedBy);
        if (officer == null || !officer.enabled()) {
            throw ProblemException.forbidden("只有启用的系统账号才能记录事件（" + recordedBy + "）");
        }
        Set<String> roles = officer.roles();
        if (!mayPost(roles, in.type())) {
            throw ProblemException.forbidden("您的角色无权记录“" + in.type().label() + "”事件"
                    + (in.type() == EventType.CREDIT ? "：信用记录（列入、移出、信用修复）只能由信用管理（CREDIT）或系统管理员登记" : ""));
        }
        MerchantEvent old = superseded(in);
        if (old == null) return;
        String field = in.supersedesId() != null ? "supersedesId" : "supersedesSourceId";
        if (old.type != in.type()) {
            throw ProblemException.invalidField(field, "更正只能替代同一类型的事件：要更正的事件是“" + old.type.label()
                    + "”，本事件是“" + in.type().label() + "”；请提交同类型的更正事件");
        }
        if (roles.contains(Role.ADMIN.name()) || roles.contains(Role.PLANNER.name()) || roles.contains(Role.CREDIT.name())) return;
        // SQUAD: only what its own squad's officers recorded, in its streets.
        Squad squad = officer.squadCode() == null ? null : Squad.findById(officer.squadCode());
        Officer recorder = old.recordedBy == null ? null : officer(old.recordedBy);
        Merchant merchant = Merchant.findById(merchantId);
        boolean ownSquad = squad != null && recorder != null && squad.code.equals(recorder.squadCode());
        boolean ownStreet = squad != null && merchant != null && squad.streetCodes.contains(merchant.streetCode);
        if (!ownSquad || !ownStreet) {
            throw ProblemException.forbidden("执法队只能更正本中队人员在本辖区记录的事件；事件 " + old.id + " 由“"
                    + (old.recordedBy == null ? "外部系统" : old.recordedBy) + "”记录，请由其所属单位或管理员更正");
        }
    }

    /** What the check needs of an account; remembered for two seconds, so that a bulk import reads it once. */
    private record Officer(Set<String> roles, String squadCode, boolean enabled, long readAt) {
    }

    private final Map<String, Officer> officers = new ConcurrentHashMap<>();

    private Officer officer(String username) {
        long now = System.currentTimeMillis();
        Officer o = officers.get(username);
        if (o != null && now - o.readAt() < 2_000) return o;
        AppUser u = AppUser.findByUsername(username);
        if (u == null) return null;
        if (officers.size() > 10_000) officers.clear();
        o = new Officer(Set.copyOf(u.roles()), u.squadCode, u.enabled, now);
        officers.put(username, o);
        return o;
    }

    /**
     * Who may approve a held item (four eyes, see approvals/ApprovalService): 法制审核 REVIEWER and ADMIN
     * approve every kind; CREDIT also approves credit records (a second credit officer). Never the
     * submitter. Refuses with 403 problem+json (zh-CN).
     */
    public void checkApprover(String approver, String submitter, EventType type) {
        if (approver.equals(submitter)) {
            throw ProblemException.forbidden("不能审批自己提交的事项：降低商户等级或撤下公示结果须由另一名人员审批（四眼原则）");
        }
        Officer officer = officer(approver);
        if (officer == null || !officer.enabled() || !mayApprove(officer.roles(), type)) {
            throw ProblemException.forbidden("您的角色无权审批“" + type.label() + "”事项：只有法制审核（REVIEWER）、系统管理员"
                    + (type == EventType.CREDIT ? "或信用管理（CREDIT）" : "") + "可以审批");
        }
    }

    static boolean mayApprove(Set<String> roles, EventType type) {
        return roles.contains(Role.REVIEWER.name()) || roles.contains(Role.ADMIN.name())
                || (type == EventType.CREDIT && roles.contains(Role.CREDIT.name()));
    }

    public static boolean mayPost(Set<String> roles, EventType type) {
        for (Map.Entry<Role, Set<EventType>> e : MAY_POST.entrySet()) {
            if (roles.contains(e.getKey().name()) && e.getValue().contains(type)) return true;
        }
        return false;
    }

    private static MerchantEvent superseded(EventInput in) {
        if (in.supersedesId() != null) return MerchantEvent.findById(in.supersedesId());
        if (in.supersedesSourceId() == null || in.supersedesSourceId().isBlank() || in.source() == null) return null;
        return MerchantEvent.findBySource(in.source().strip(), in.supersedesSourceId().strip());
    }
}
