package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.inspection.matching.Matching;
import java.util.List;

/** Counts a plan is published and audited by (stored with the plan as JSON). */
public final class PlanSummary {

    private PlanSummary() {
    }

    /** One stratum of one item: its size, proportion, the count the policy implies and how many were drawn. */
    public record StratumCount(String item, String stratum, String percent, int basisPoints, boolean weekly, int candidates,
                               int required, int drawn) {
    }

    public record ExclusionCount(String item, String reason, int merchants) {
    }

    public record Warning(String code, String message) {
    }

    public record Pools(List<Matching.PoolReport> pools) {
    }
}
