package cn.urbanmgmt.risk.publication;

import cn.urbanmgmt.risk.common.PageResult;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.inspection.plans.PlanQueries;
import cn.urbanmgmt.risk.inspection.plans.PlanSpec;
import cn.urbanmgmt.risk.inspection.plans.PlanView;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One public (一公开): only what a planner published, only while it may be public. Plan notices
 * never name merchants before the period ends; results show for the disclosure period (default 3
 * years, the maximum for penalty information) and adverse ones drop out early on credit repair.
 */
@ApplicationScoped
public class PublicationService {

    public static final String METHOD = "docs/double-random.md";

    @Inject
    EntityManager em;

    @Inject
    PlanQueries plans;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "app.publication.result-disclosure-years", defaultValue = "3")
    int disclosureYears;

    public List<PublicNotice> notices() {
        return plans.list(true).stream().map(p -> notice(p.id())).toList();
    }

    /** One page of the published notices, newest plan first. */
    public PageResult<PublicNotice> notices(int page, int size) {
        return plans.page(true, page, size).map(p -> notice(p.id()));
    }

    public PublicNotice notice(long id) {
        PlanView p = publishedPlan(id);
        PlanQueries.Phase phase = PlanQueries.phase(p.periodStart(), p.periodEnd());
        PublicNotice.Reveal reveal = phase == PlanQueries.Phase.ENDED ? new PublicNotice.Reveal(p.seed(),
                "/api/v1/public/plans/" + id + "/draw.csv", "/api/v1/public/plans/" + id + "/candidates.csv", METHOD) : null;
        return new PublicNotice(p.id(), p.name(), p.edition(),
                p.items().stream().map(i -> new PublicNotice.Item(i.code(), i.name(), i.legalBasis(), i.mode().label())).toList(),
                new PublicNotice.Scope(p.scope().streets().stream().map(PlanView.Code::name).toList(),
                        p.scope().categories().stream().map(c -> c.label()).toList(), p.scope().keyUnitsOnly(),
                        p.scope().usccCount() > 0 ? p.scope().usccCount() : null),
                p.periodStart(), p.periodEnd(), phase.name(), p.visitCount(), p.merchantCount(), p.inspectorsPerVisit(),
                p.strata().stream().map(s -> new PublicNotice.Stratum(s.item(), s.stratum(), s.percent(), s.weekly(), s.candidates(), s.drawn())).toList(),
                p.seedCommitment(), new PublicNotice.Digests(p.digests().candidates(), p.digests().draw(), p.digests().result()),
                p.noticePublishedAt(), reveal);
    }

    /** A plan whose notice was published; anything else does not exist for the public. */
    private PlanView publishedPlan(long id) {
        PlanView p;
        try {
            p = plans.view(id);
        } catch (ProblemException e) {
            throw notPublished(id);
        }
        if (p.noticePublishedAt() == null) throw notPublished(id);
        return p;
    }

    private static ProblemException notPublished(long id) {
        return ProblemException.notFound("编号为 " + id + " 的抽查计划不存在或尚未公示");
    }

    /** The plan's drawn list or candidate list: only once its period has ended. */
    public PlanView endedPlan(long id) {
        PlanView p = publishedPlan(id);
        if (PlanQueries.phase(p.periodStart(), p.periodEnd()) != PlanQueries.Phase.ENDED) {
            throw ProblemException.forbidden("检查期（至 " + p.periodEnd() + "）结束后才公开抽取名单和候选名单；现在只公开事项、范围和数量");
        }
        return p;
    }

    /** The drawn list without its stratum column: item_code,week,uscc, sorted by item, week and uscc. */
    public static String withoutStrata(String drawCsv) {
        List<String[]> rows = new ArrayList<>();
        drawCsv.lines().skip(1).forEach(l -> {
            String[] f = l.split(",", -1);
            rows.add(new String[]{f[0], f[2], f[3]});
        });
        rows.sort(java.util.Comparator.<String[], String>comparing(r -> r[0]).thenComparingInt(r -> r[1].isEmpty() ? 0 : Integer.parseInt(r[1]))
                .thenComparing(r -> r[2]));
        StringBuilder sb = new StringBuilder("item_code,week,uscc\n");
        for (String[] r : rows) sb.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append('\n');
        return sb.toString();
    }

    /** Every candidate of every item (drawable or excluded) as item_code,uscc, sorted: who took part, not in which stratum. */
    public static void writeCandidatesWithoutStrata(cn.urbanmgmt.risk.inspection.draw.CandidateList list, java.io.OutputStream out)
            throws java.io.IOException {
        java.util.TreeMap<String, java.util.TreeSet<String>> byItem = new java.util.TreeMap<>();
        for (cn.urbanmgmt.risk.inspection.draw.Draw.Stratum s : list.strata()) {
            java.util.TreeSet<String> set = byItem.computeIfAbsent(s.itemCode(), k -> new java.util.TreeSet<>());
            for (int m : s.members()) set.add(list.ids()[m]);
        }
        java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8));
        w.write("item_code,uscc\n");
        for (Map.Entry<String, java.util.TreeSet<String>> e : byItem.entrySet()) {
            for (String u : e.getValue()) w.write(e.getKey() + "," + u + "\n");
        }
        w.flush();
    }

    @Transactional
    public PageResult<PublicResult> results(String text, String uscc, Long planId, int page, int size) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        clauses.add("r.published_at is not null");
        clauses.add("r.inspected_on > ?" + (params.size() + 1));
        params.add(today.minusYears(disclosureYears));
        // Credit repair takes adverse results off the public record early.
        clauses.add("not (r.outcome <> 'NO_PROBLEM' and exists (select 1 from merchant_event e where e.merchant_id = r.merchant_id "
                + "and e.type = 'CREDIT' and e.credit_action = 'REPAIRED' and e.superseded_by is null "
                + "and (e.occurred_at at time zone 'Asia/Shanghai')::date >= r.inspected_on))");
        if (text != null && !text.isBlank()) {
            clauses.add("m.name like ?" + (params.size() + 1));
            params.add("%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (uscc != null && !uscc.isBlank()) {
            String u = Uscc.normalise(uscc);
            if (!u.matches("[0-9A-Z]{1,18}")) throw ProblemException.invalidField("uscc", "统一社会信用代码只能包含数字和大写字母");
            clauses.add("m.uscc like ?" + (params.size() + 1));
            params.add(u + "%");
        }
        if (planId != null) {
            clauses.add("r.plan_id = ?" + (params.size() + 1));
            params.add(planId);
        }
        String from = " from inspection_result r join merchant m on m.id = r.merchant_id join plan_visit v on v.id = r.visit_id "
                + "join inspection_plan p on p.id = r.plan_id where " + String.join(" and ", clauses);
        int s = Math.min(Math.max(size, 1), 200);
        int pg = Math.max(page, 0);
        Query count = em.createNativeQuery("select count(*)" + from);
        Query q = em.createNativeQuery("select m.name, m.uscc, r.item_code, r.inspected_on, r.outcome, array_to_string(v.inspector_ids, ';'), "
                + "r.plan_id, p.name, p.items::text" + from + " order by r.inspected_on desc, r.id desc offset " + (pg * s) + " limit " + s);
        for (int i = 0; i < params.size(); i++) {
            count.setParameter(i + 1, params.get(i));
            q.setParameter(i + 1, params.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        Set<Long> officerIds = new HashSet<>();
        for (Object[] r : rows) Arrays.stream(((String) r[5]).split(";")).filter(x -> !x.isEmpty()).forEach(x -> officerIds.add(Long.parseLong(x)));
        Map<Long, PublicResult.Officer> officers = new HashMap<>();
        if (!officerIds.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<Object[]> ins = em.createNativeQuery("select id, name, badge_no from inspector where id in (:ids)").setParameter("ids", officerIds).getResultList();
            for (Object[] i : ins) officers.put(((Number) i[0]).longValue(), new PublicResult.Officer((String) i[1], (String) i[2]));
        }
        List<PublicResult> out = new ArrayList<>();
        for (Object[] r : rows) {
            InspectionOutcome o = InspectionOutcome.valueOf((String) r[4]);
            String itemName = itemNames((String) r[8]).get((String) r[2]);
            List<PublicResult.Officer> staff = Arrays.stream(((String) r[5]).split(";")).filter(x -> !x.isEmpty())
                    .map(x -> officers.get(Long.parseLong(x))).filter(java.util.Objects::nonNull).toList();
            out.add(new PublicResult((String) r[0], (String) r[1], (String) r[2], itemName, (r[3] instanceof LocalDate d ? d : ((java.sql.Date) r[3]).toLocalDate()), o.name(), o.label(),
                    staff, ((Number) r[6]).longValue(), (String) r[7]));
        }
        return new PageResult<>(out, pg, s, ((Number) count.getSingleResult()).longValue());
    }

    private Map<String, String> itemNames(String itemsJson) {
        try {
            List<PlanSpec.ItemSnapshot> items = json.readValue(itemsJson, new TypeReference<>() { });
            Map<String, String> names = new HashMap<>();
            for (PlanSpec.ItemSnapshot i : items) names.put(i.code(), i.name());
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
