package cn.urbanmgmt.risk.inspection.visits;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** How far a plan has got: visits done, pending and overdue, per squad; results published and overdue for publication. */
@ApplicationScoped
public class ProgressService {

    @Inject
    EntityManager em;

    @Inject
    ReferenceData refs;

    public record SquadProgress(String squad, String squadName, long visits, long done, long pending, long overdue) {
    }

    public record Progress(long planId, LocalDate today, long visits, long done, long pending, long overdue, double percentDone,
                           long resultsRecorded, long resultsPublished, long publicationOverdue, List<SquadProgress> squads) {
    }

    @Transactional
    public Progress progress(long planId) {
        Number exists = (Number) em.createNativeQuery("select count(*) from inspection_plan where id = ?1").setParameter(1, planId).getSingleResult();
        if (exists.longValue() == 0) throw ProblemException.notFound("编号为 " + planId + " 的抽查计划不存在");
        LocalDate today = LocalDate.now(EventService.ZONE);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select squad_code, count(*), count(*) filter (where status = 'DONE'), "
                        + "count(*) filter (where status = 'PENDING' and window_end < ?2) from plan_visit where plan_id = ?1 group by squad_code order by squad_code")
                .setParameter(1, planId).setParameter(2, today).getResultList();
        List<SquadProgress> squads = new ArrayList<>();
        long visits = 0;
        long done = 0;
        long overdue = 0;
        for (Object[] r : rows) {
            long v = ((Number) r[1]).longValue();
            long d = ((Number) r[2]).longValue();
            long o = ((Number) r[3]).longValue();
            Squad s = refs.squad((String) r[0]);
            squads.add(new SquadProgress((String) r[0], s == null ? (String) r[0] : s.name, v, d, v - d, o));
            visits += v;
            done += d;
            overdue += o;
        }
        Object[] res = (Object[]) em.createNativeQuery("select count(*), count(*) filter (where published_at is not null), "
                        + "count(*) filter (where published_at is null and publish_deadline < ?2) from inspection_result where plan_id = ?1")
                .setParameter(1, planId).setParameter(2, today).getSingleResult();
        return new Progress(planId, today, visits, done, visits - done, overdue, visits == 0 ? 0 : Math.round(1000.0 * done / visits) / 10.0,
                ((Number) res[0]).longValue(), ((Number) res[1]).longValue(), ((Number) res[2]).longValue(), squads);
    }
}
