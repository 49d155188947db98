package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import java.time.LocalDate;
import java.util.List;

/**
 * One test scenario from rules/tests/*.yaml: a merchant and its events on an evaluation date, and
 * what the rules must make of them. See rules/README.md for the file format.
 */
public record Scenario(String file, int line, String name, LocalDate evaluationDate, MerchantFact merchant, List<EventFact> events,
                       Expectation expect) {

    /** The grade, and optionally the score and rules that must (or must not) have fired. */
    public record Expectation(Grade grade, Integer score, List<String> reasons, List<String> notReasons) {
    }
}
