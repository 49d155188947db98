package cn.urbanmgmt.risk.inspection.visits;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** One visit as squads and planners see it: where, when, what, who, and how far it got. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VisitView(long id, long planId, String planName, int visitNo, long merchantId, String uscc, String merchantName,
                        String address, String street, String streetName, String squad, String squadName, LocalDate windowStart,
                        LocalDate windowEnd, Integer week, List<ItemRef> items, List<String> strata, List<InspectorRef> inspectors,
                        String status, boolean overdue, OffsetDateTime doneAt, List<ResultRef> results,
                        List<InspectorRef> presentInspectors) {

    public record ItemRef(String code, String name) {
    }

    /** Only what the merchant may be told: name and badge number (and the squad, for planners). */
    public record InspectorRef(long id, String badgeNo, String name, String squad) {
    }

    public record ResultRef(long id, String itemCode, String outcome, String outcomeLabel, String findings, BigDecimal score,
                            LocalDate inspectedOn, long eventId, OffsetDateTime recordedAt, String recordedBy, LocalDate publishDeadline,
                            OffsetDateTime publishedAt, List<cn.urbanmgmt.risk.events.EventInput.DeductionInput> deductions,
                            /** When an approved correction last changed it (null: as recorded). */
                            OffsetDateTime correctedAt) {
    }
}
