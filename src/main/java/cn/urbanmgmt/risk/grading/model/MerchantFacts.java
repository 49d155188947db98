package cn.urbanmgmt.risk.grading.model;

import java.time.LocalDate;
import java.util.List;

/** Everything the rules see about one merchant on one evaluation date. */
public record MerchantFacts(MerchantFact merchant, List<EventFact> events, LocalDate evaluationDate) {
}
