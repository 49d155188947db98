package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Streams the merchants matching a search to CSV or XLSX, in id order, a chunk at a time. */
@ApplicationScoped
public class MerchantExportService {

    private static final int CHUNK = 2000;

    @Inject
    ReferenceData refs;

    @Inject
    GradeFilter grades;

    @Inject
    EntityManager em;

    public void export(MerchantQuery query, Actor actor, String format, OutputStream out) {
        MerchantQuery.Where where = query.where(actor.scope(), refs, grades);
        try (TabularWriter writer = TabularWriter.open(format, out, MerchantColumns.headers())) {
            long after = 0;
            while (true) {
                long from = after;
                List<Merchant> chunk = QuarkusTransaction.requiringNew().call(() -> {
                    Map<String, Object> params = new HashMap<>(where.params());
                    params.put("after", from);
                    List<Merchant> list = Merchant.find("(" + where.jpql() + ") and id > :after", Sort.by("id"), params)
                            .range(0, CHUNK - 1).list();
                    em.clear();
                    return list;
                });
                for (Merchant m : chunk) writer.row(MerchantColumns.values(m, refs));
                if (chunk.size() < CHUNK) break;
                after = chunk.get(chunk.size() - 1).id;
            }
        }
    }
}
