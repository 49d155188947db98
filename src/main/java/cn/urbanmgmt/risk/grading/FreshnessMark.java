package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.events.RegradeMark;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;

/** Event intake's "needs regrade" mark: {@link Freshness#mark(EntityManager, Collection)}. */
@ApplicationScoped
public class FreshnessMark implements RegradeMark {

    @Override
    public void mark(EntityManager em, Collection<Long> merchantIds) {
        Freshness.mark(em, merchantIds);
    }
}
