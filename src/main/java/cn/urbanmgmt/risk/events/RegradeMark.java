package cn.urbanmgmt.risk.events;

import jakarta.persistence.EntityManager;
import java.util.Collection;

/**
 * The durable "needs regrade" mark a stored event leaves, committed with it (grading's Freshness keeps the
 * marks and implements this; its drain grades a marked merchant should the caller never get to it).
 */
public interface RegradeMark {

    /** Marks the merchants changed, in the caller's JPA transaction. */
    void mark(EntityManager em, Collection<Long> merchantIds);
}
