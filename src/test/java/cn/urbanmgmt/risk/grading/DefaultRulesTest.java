package cn.urbanmgmt.risk.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.grading.model.Reason;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference grading policy (a frozen copy of the shipped rules/grading DRL in
 * src/test/resources/reference-policy), compiled by Drools, without the service around it. It pins
 * point values, so it tests its own copy: a rule author's change to rules/ is checked by the author's
 * scenarios in rules/tests/, not here.
 */
class DefaultRulesTest {

    static final Path REFERENCE_POLICY = Path.of("src", "test", "resources", "reference-policy");

    static final LocalDate TODAY = LocalDate.of(2026, 6, 30);
    static CompiledRules rules;

    @BeforeAll
    static void compile() {
        RuleCompiler.Result result = RuleCompiler.compile(RuleSource.fromDirectory(REFERENCE_POLICY, "grading"));
        assertTrue(result.ok(), () -> "default rules must compile: " + result.problems());
        rules = result.rules();
    }

    @AfterAll
    static void dispose() {
        rules.release();
    }

    static MerchantFact retail() {
        return new MerchantFact(1, "91350100M000100Y43", "测试便利店", "jingansi", MerchantCategory.RETAIL, false, null,
                MerchantStatus.OPERATING, TODAY.minusYears(3), TODAY);
    }

    static Assessment grade(MerchantFact m, EventFact... events) {
        return rules.evaluate(new MerchantFacts(m, List.of(events), TODAY));
    }

    static CaseFact caseOf(long id, Severity severity, int daysAgo) {
        return new CaseFact(id, TODAY.minusDays(daysAgo), TODAY, "C" + id, ViolationType.STREET_OCCUPATION, severity, 500, false, null);
    }

    static ComplaintFact complaint(long id, String category, Boolean verified, int daysAgo) {
        return new ComplaintFact(id, TODAY.minusDays(daysAgo), TODAY, null, category, verified, null);
    }

    @Test
    void quietRetailerIsGreenWithNoPoints() {
        Assessment a = grade(retail());
        assertEquals(Grade.GREEN, a.getGrade());
        assertEquals(0, a.getScore());
    }

    @Test
    void seriousCaseMakesYellowAndAgesOut() {
        Assessment recent = grade(retail(), caseOf(10, Severity.SERIOUS, 30));
        assertEquals(Grade.YELLOW, recent.getGrade());
        assertEquals(40, recent.getScore());
        Reason r = recent.getReasons().get(0);
        assertEquals("一年内的严重案件", r.rule());
        assertEquals(List.of(10L), r.eventIds());

        // 200 days ago: still 40 points (>= yellow line) but no floor.
        assertEquals(Grade.YELLOW, grade(retail(), caseOf(10, Severity.SERIOUS, 200)).getGrade());
        // Older than a year: ignored.
        Assessment old = grade(retail(), caseOf(10, Severity.SERIOUS, 400));
        assertEquals(Grade.GREEN, old.getGrade());
        assertEquals(0, old.getScore());
    }

    @Test
    void severalCasesAndComplaintsAddUpToRed() {
        Assessment a = grade(retail(), caseOf(1, Severity.SERIOUS, 10), caseOf(2, Severity.ORDINARY, 20),
                complaint(3, "油烟扰民", true, 5), complaint(4, "噪声", true, 6));
        assertEquals(72, a.getScore());
        assertEquals(Grade.RED, a.getGrade());
    }

    @Test
    void unfoundedComplaintsAreIgnoredAndRepeatedOnesCount() {
        List<EventFact> unfounded = new ArrayList<>();
        for (int i = 0; i < 6; i++) unfounded.add(complaint(100 + i, "油烟扰民", false, i));
        assertEquals(0, grade(retail(), unfounded.toArray(EventFact[]::new)).getScore());

        List<EventFact> repeated = new ArrayList<>();
        for (int i = 0; i < 5; i++) repeated.add(complaint(200 + i, "油烟扰民", null, i));
        Assessment a = grade(retail(), repeated.toArray(EventFact[]::new));
        assertEquals(20, a.getScore());
        assertEquals(5, a.getReasons().get(0).eventIds().size());
    }

    @Test
    void inspectionScoresAndDeductionsCount() {
        InspectionFact failed = new InspectionFact(7, TODAY.minusDays(3), TODAY, "GS-01", InspectionOutcome.ORDERED_TO_RECTIFY,
                55.0, List.of(new Deduction("GS-01-03", 12)));
        Assessment a = grade(retail(), failed);
        assertEquals(15 + 15 + 5, a.getScore());
        assertEquals(Grade.GREEN, a.getGrade());
    }

    @Test
    void seriousDishonestyIsRedUntilRepaired() {
        CreditFact listed = new CreditFact(1, TODAY.minusDays(900), TODAY, CreditAction.LISTED);
        Assessment a = grade(retail(), listed);
        assertEquals(Grade.RED, a.getGrade());
        assertEquals(0, a.getScore());
        CreditFact repaired = new CreditFact(2, TODAY.minusDays(10), TODAY, CreditAction.REPAIRED);
        assertEquals(Grade.GREEN, grade(retail(), listed, repaired).getGrade());
    }

    @Test
    void staticRiskAloneNeverLeavesGreen() {
        MerchantFact ktv = new MerchantFact(2, "91350100M000100Y43", "KTV", "jingansi", MerchantCategory.ENTERTAINMENT, true,
                cn.urbanmgmt.risk.registry.KeyUnitType.STAR_HOTEL, MerchantStatus.OPERATING, TODAY.minusYears(1), TODAY);
        Assessment a = grade(ktv);
        assertEquals(15, a.getScore());
        assertEquals(Grade.GREEN, a.getGrade());
    }
}
