package cn.urbanmgmt.risk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
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
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.grading.model.Reason;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The benchmark baseline must grade exactly like the DRL it is timed against, or the comparison means
 * nothing. It is checked against the reference policy (the shipped DRL frozen in
 * src/test/resources/reference-policy), so a rule author's threshold change in rules/ does not break the build.
 */
class HandWrittenPolicyParityTest {

    @Test
    void baselineAndRulesAgreeOnRandomMerchants() {
        RuleCompiler.Result compiled = RuleCompiler.compile(RuleSource.fromDirectory(Path.of("src", "test", "resources", "reference-policy"), "grading"));
        assertTrue(compiled.ok(), () -> compiled.problems().toString());
        CompiledRules rules = compiled.rules();
        HandWrittenPolicy baseline = new HandWrittenPolicy();
        LocalDate today = LocalDate.of(2026, 6, 30);
        Random r = new Random(42);
        int nonGreen = 0;
        for (int i = 0; i < 3000; i++) {
            MerchantFacts facts = randomFacts(r, i, today);
            Assessment expected = rules.evaluate(facts);
            Assessment actual = baseline.evaluate(facts);
            assertEquals(expected.getGrade(), actual.getGrade(), "grade of merchant " + i);
            assertEquals(expected.getScore(), actual.getScore(), "score of merchant " + i);
            assertEquals(sorted(expected.getReasons()), sorted(actual.getReasons()), "reasons of merchant " + i);
            if (expected.getGrade() != cn.urbanmgmt.risk.grading.model.Grade.GREEN) nonGreen++;
        }
        assertTrue(nonGreen > 100, "the random sample should exercise YELLOW and RED too, got " + nonGreen);
        rules.release();
    }

    private static List<Reason> sorted(List<Reason> reasons) {
        List<Reason> copy = new ArrayList<>(reasons);
        copy.removeIf(x -> x.rule().startsWith("等级分数线"));
        copy.sort(Comparator.comparing(Reason::rule).thenComparing(Reason::text).thenComparing(x -> x.eventIds().toString()));
        return copy;
    }

    static MerchantFacts randomFacts(Random r, int id, LocalDate today) {
        MerchantCategory category = MerchantCategory.values()[r.nextInt(MerchantCategory.values().length)];
        boolean key = r.nextInt(5) == 0;
        MerchantFact m = new MerchantFact(id, "X", "m", "jingansi", category, key, key ? KeyUnitType.RESTAURANT : null,
                MerchantStatus.OPERATING, today.minusDays(r.nextInt(3000)), today);
        List<EventFact> events = new ArrayList<>();
        int n = r.nextInt(12);
        for (int k = 0; k < n; k++) {
            long eid = id * 100L + k;
            LocalDate on = today.minusDays(r.nextInt(800));
            switch (r.nextInt(5)) {
                case 0 -> events.add(new CaseFact(eid, on, today, "C" + eid, ViolationType.NOISE, Severity.values()[r.nextInt(3)], 100, false, null));
                case 1 -> events.add(new ComplaintFact(eid, on, today, ComplaintChannel.APP, "类别" + r.nextInt(2),
                        r.nextInt(3) == 0 ? null : r.nextBoolean(), null));
                case 2 -> events.add(new InspectionFact(eid, on, today, "GS-01", InspectionOutcome.values()[r.nextInt(5)],
                        r.nextBoolean() ? (double) r.nextInt(100) : null, r.nextBoolean() ? List.of(new Deduction("D" + r.nextInt(3), r.nextInt(15))) : List.of()));
                case 3 -> events.add(new DetectionFact(eid, today.minusDays(r.nextInt(120)), today, DetectionSource.CAMERA, "跨门营业"));
                default -> events.add(new CreditFact(eid, on, today, CreditAction.values()[r.nextInt(3)]));
            }
        }
        return new MerchantFacts(m, events, today);
    }
}
