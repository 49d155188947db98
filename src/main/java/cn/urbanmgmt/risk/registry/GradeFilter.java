package cn.urbanmgmt.risk.registry;

import java.util.Map;

/**
 * The merchant search's filter by current risk grade ({@link MerchantQuery#grade}). Grades are grading's,
 * which implements this, so that the registry need not know them.
 */
public interface GradeFilter {

    /**
     * A JPQL condition over Merchant selecting the merchants whose current grade is {@code grade}, its
     * parameters put into {@code params}; refuses an unknown grade (400 problem+json naming the field "grade").
     */
    String condition(String grade, Map<String, Object> params);
}
