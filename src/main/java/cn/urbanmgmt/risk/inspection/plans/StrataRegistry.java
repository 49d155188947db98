package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers the strata the rules produce, from several worker threads at once, and checks that one
 * stratum of one item always gets the same proportion. Exclusions are 0% strata named "排除：reason".
 */
final class StrataRegistry {

    record Key(String item, String name) {
    }

    record Meta(String item, String name, int basisPoints, boolean weekly) {
        boolean excluded() {
            return name.startsWith(CandidateList.EXCLUDED_PREFIX);
        }
    }

    private final ConcurrentHashMap<Key, Integer> ids = new ConcurrentHashMap<>();
    private final List<Meta> metas = new ArrayList<>();

    /** The stratum number of a resolved decision. */
    int id(SamplingCandidate fact) {
        SamplingCandidate.Decision d = fact.resolve();
        String name = d.excluded() ? CandidateList.EXCLUDED_PREFIX + d.excludedBecause() : d.stratum();
        if (!d.excluded() && name.startsWith(CandidateList.EXCLUDED_PREFIX)) {
            throw PlanRequests.unmeetable("抽查规则的分层名称不能以“" + CandidateList.EXCLUDED_PREFIX + "”开头：" + name,
                    List.of(FieldError.of("rules/sampling", name)));
        }
        int bp = d.excluded() ? 0 : d.basisPoints();
        boolean weekly = !d.excluded() && d.weekly();
        Key key = new Key(fact.getItemCode(), name);
        Integer id = ids.get(key);
        if (id == null) {
            synchronized (metas) {
                id = ids.get(key);
                if (id == null) {
                    metas.add(new Meta(key.item(), name, bp, weekly));
                    id = metas.size() - 1;
                    ids.put(key, id);
                }
            }
        }
        Meta m = meta(id);
        if (m.basisPoints() != bp || m.weekly() != weekly) {
            throw PlanRequests.unmeetable("抽查规则给事项 " + key.item() + " 的同一分层“" + name + "”设置了不同的抽查比例（"
                    + CandidateList.percent(m.basisPoints()) + "%" + (m.weekly() ? "/周" : "") + " 与 " + CandidateList.percent(bp) + "%"
                    + (weekly ? "/周" : "") + "），请更正规则", List.of(FieldError.of("rules/sampling", name)));
        }
        return id;
    }

    Meta meta(int id) {
        synchronized (metas) {
            return metas.get(id);
        }
    }

    int size() {
        synchronized (metas) {
            return metas.size();
        }
    }
}
