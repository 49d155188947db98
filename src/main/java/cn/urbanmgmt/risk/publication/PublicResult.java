package cn.urbanmgmt.risk.publication;

import java.time.LocalDate;
import java.util.List;

/** A published inspection result: the merchant, the item, the date and the outcome; inspectors by name and badge only. */
public record PublicResult(String merchantName, String uscc, String itemCode, String itemName, LocalDate inspectedOn, String outcome,
                           String outcomeLabel, List<Officer> inspectors, long planId, String planName) {

    public record Officer(String name, String badgeNo) {
    }
}
