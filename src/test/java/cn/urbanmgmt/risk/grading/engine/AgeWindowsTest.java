package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The day-windows derived from rule text: the shipped rules, and the forms that must fall back to a full pass. */
class AgeWindowsTest {

    private static final String HEAD = "package grading;\nimport cn.urbanmgmt.risk.grading.model.*;\nglobal Assessment assessment;\n";

    @Test
    void shippedRulesGiveTheirWindowsPerFactType() {
        RuleSource source = RuleSource.fromDirectory(Path.of("rules"), RuleSource.GRADING);
        AgeWindows w = AgeWindows.analyse(source.files(), 1098);
        assertTrue(w.bounded(), w::why);
        assertEquals(List.of(181, 366), w.ages(CaseFact.class));
        assertEquals(List.of(366), w.ages(ComplaintFact.class));
        assertEquals(List.of(366), w.ages(InspectionFact.class));
        assertEquals(List.of(91), w.ages(DetectionFact.class));
        // The credit rule compares two ages with each other: that never flips.
        assertEquals(List.of(), w.ages(CreditFact.class));
    }

    @Test
    void operatorsAndOperandOrderGiveTheDayTheComparisonFlips() {
        AgeWindows w = bounded("""
                rule "a"
                when CaseFact( daysAgo < 10 )
                then
                end
                rule "b"
                when
                    ComplaintFact( 20 >= daysAgo )
                then
                end
                rule "c"
                when
                    InspectionFact( daysAgo > 30 && <= 40 )
                then
                end
                rule "d"
                when
                    DetectionFact( daysAgo == 7 )
                then
                end
                rule "e"
                when
                    $c : CaseFact()
                    CaseFact( $c.daysAgo <= 50 )
                then
                end
                rule "f"
                when
                    MerchantFact( daysOpen >= 100 )
                then
                end
                """);
        // "< 10": true at 9, false at 10; $c.daysAgo (a variable) applies to every event type.
        assertEquals(List.of(10, 51), w.ages(CaseFact.class));
        assertEquals(List.of(21, 51), w.ages(ComplaintFact.class));
        assertEquals(List.of(31, 41, 51), w.ages(InspectionFact.class));
        assertEquals(List.of(7, 8, 51), w.ages(DetectionFact.class));

        LocalDate day = LocalDate.of(2026, 6, 1);
        MerchantFact m = new MerchantFact(1, "x", "x", "jingansi", MerchantCategory.RETAIL, false, null, MerchantStatus.values()[0],
                day.minusDays(95), day);
        CaseFact c = new CaseFact(1, day.minusDays(3), day, "A", ViolationType.values()[0], Severity.MINOR, 0, false, null);
        // Case 3 days old: flips at age 10 (7 days on); the merchant's daysOpen reaches 100 five days on.
        assertEquals(day.plusDays(5), w.nextChange(new MerchantFacts(m, List.of(c), day), null));
        MerchantFact old = new MerchantFact(1, "x", "x", "jingansi", MerchantCategory.RETAIL, false, null, MerchantStatus.values()[0],
                day.minusDays(500), day);
        assertEquals(day.plusDays(7), w.nextChange(new MerchantFacts(old, List.of(c), day), null));
        // An event dated after the evaluation date counts from its date.
        assertEquals(day.plusDays(2), w.nextChange(new MerchantFacts(old, List.of(c), day), day.plusDays(2)));
    }

    @Test
    void nextChangeIsTheEarliestCrossingOrTheLookBack() {
        RuleSource source = RuleSource.fromDirectory(Path.of("rules"), RuleSource.GRADING);
        AgeWindows w = AgeWindows.analyse(source.files(), 1098);
        LocalDate day = LocalDate.of(2026, 12, 1);
        MerchantFact m = new MerchantFact(1, "x", "x", "jingansi", MerchantCategory.RETAIL, false, null, MerchantStatus.values()[0],
                LocalDate.of(2000, 1, 1), day);
        EventFact detection = new DetectionFact(1, day.minusDays(90), day, DetectionSource.values()[0], "t");
        EventFact oldCase = new CaseFact(2, day.minusDays(400), day, "A", ViolationType.values()[0], Severity.SERIOUS, 0, false, null);
        EventFact listed = new CreditFact(3, day.minusDays(3000), day, CreditAction.LISTED);
        // The detection is 90 days old: tomorrow it no longer counts.
        assertEquals(day.plusDays(1), w.nextChange(new MerchantFacts(m, List.of(detection, oldCase, listed), day), null));
        // The 400-day-old case leaves the look-back at age 1099; credit records never.
        assertEquals(day.plusDays(699), w.nextChange(new MerchantFacts(m, List.of(oldCase, listed), day), null));
        assertEquals(LocalDate.MAX, w.nextChange(new MerchantFacts(m, List.of(listed), day), null));
    }

    @Test
    void agesUsedOtherwiseFallBackToAFullPass() {
        for (String conditions : List.of(
                "CaseFact( daysAgo * 2 <= 365 )",
                "CaseFact( daysAgo in (1, 2, 3) )",
                "CaseFact( $d : daysAgo ) eval( $d < 5 )",
                "CaseFact( daysAgo <= -1 )",
                "CaseFact( daysAgo <= $x.daysAgo + 30 )",
                "Evaluation( date.dayOfWeek == java.time.DayOfWeek.MONDAY )",
                "CaseFact( occurredOn > java.time.LocalDate.now().minusDays(30) )")) {
            AgeWindows w = AgeWindows.analyse(Map.of("grading/x.drl", HEAD + "rule \"r\"\nwhen\n    " + conditions + "\nthen\nend\n"), 1098);
            assertFalse(w.bounded(), conditions);
            assertTrue(w.why().contains("grading/x.drl:") && w.why().contains("规则“r”"), w.why());
        }
        AgeWindows inConsequence = AgeWindows.analyse(Map.of("grading/x.drl", HEAD + """
                rule "r"
                when
                    $c : CaseFact( daysAgo <= 365 )
                then
                    assessment.addPoints(1, "距今 " + $c.getDaysAgo() + " 天");
                end
                """), 1098);
        assertFalse(inConsequence.bounded());
        AgeWindows attribute = AgeWindows.analyse(Map.of("grading/x.drl", HEAD + """
                rule "r"
                    date-effective "1-Jan-2027"
                when
                    CaseFact()
                then
                end
                """), 1098);
        assertFalse(attribute.bounded());
        // Comments and strings do not count.
        assertTrue(bounded("""
                // daysAgo * 2, now()
                rule "r"
                when
                    CaseFact( daysAgo <= 5 ) // daysAgo * 2
                then
                    assessment.addPoints(1, "daysAgo now()");
                end
                """).bounded());
    }

    private static AgeWindows bounded(String rules) {
        AgeWindows w = AgeWindows.analyse(Map.of("grading/x.drl", HEAD + rules), 1098);
        assertTrue(w.bounded(), w::why);
        return w;
    }
}
