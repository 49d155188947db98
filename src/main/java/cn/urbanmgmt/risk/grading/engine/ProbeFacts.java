package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.InspectionOutcome;
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
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Synthetic merchants every candidate rule set is run over when it is compiled: a quiet one (the
 * rules must set the thresholds), one of each category, and busy ones with every kind of event, so
 * that rules that loop, overrun or throw are caught before they grade a real merchant.
 */
final class ProbeFacts {

    private ProbeFacts() {
    }

    static List<MerchantFacts> all(LocalDate today) {
        List<MerchantFacts> out = new ArrayList<>();
        out.add(new MerchantFacts(merchant(0, MerchantCategory.OTHER, false, null, MerchantStatus.OPERATING, today), List.of(), today));
        long id = 1;
        for (MerchantCategory c : MerchantCategory.values()) {
            out.add(new MerchantFacts(merchant(id++, c, false, null, MerchantStatus.OPERATING, today), List.of(), today));
        }
        out.add(new MerchantFacts(merchant(id++, MerchantCategory.CATERING, true, KeyUnitType.RESTAURANT, MerchantStatus.OPERATING, today),
                busy(today, 1000), today));
        out.add(new MerchantFacts(merchant(id++, MerchantCategory.MARKET, false, null, MerchantStatus.SUSPENDED, today),
                List.of(new CreditFact(2001, today.minusDays(500), today, CreditAction.LISTED),
                        new CreditFact(2002, today.minusDays(30), today, CreditAction.REPAIRED),
                        new CaseFact(2003, today.minusDays(400), today, "P-2003", ViolationType.NOISE, Severity.SERIOUS, 5000, true, today.minusDays(300))),
                today));
        out.add(new MerchantFacts(merchant(id, MerchantCategory.HOTEL, true, KeyUnitType.STAR_HOTEL, MerchantStatus.CLOSED, today),
                List.of(new CreditFact(3001, today.minusDays(10), today, CreditAction.LISTED),
                        new CreditFact(3002, today.minusDays(5), today, CreditAction.DELISTED)), today));
        return out;
    }

    private static MerchantFact merchant(long id, MerchantCategory category, boolean keyUnit, KeyUnitType keyType, MerchantStatus status,
                                         LocalDate today) {
        return new MerchantFact(-1 - id, "000000000000000000", "试运行商户" + id, "jingansi", category, keyUnit, keyType, status,
                today.minusYears(2), today);
    }

    /** Every kind of event, recent and older, with repeated complaints and detections. */
    private static List<EventFact> busy(LocalDate today, long base) {
        List<EventFact> e = new ArrayList<>();
        long id = base;
        int[] ages = {3, 40, 200, 400};
        for (int age : ages) {
            for (Severity s : Severity.values()) {
                e.add(new CaseFact(id, today.minusDays(age), today, "P-" + id, ViolationType.values()[(int) (id % ViolationType.values().length)],
                        s, 1000, age < 100, age > 100 ? today.minusDays(age - 30) : null));
                id++;
            }
        }
        for (int i = 0; i < 6; i++) {
            e.add(new ComplaintFact(id++, today.minusDays(5 + i * 20), today, ComplaintChannel.HOTLINE_12345, "油烟扰民", i % 3 == 0 ? null : Boolean.TRUE, null));
        }
        e.add(new ComplaintFact(id++, today.minusDays(8), today, ComplaintChannel.APP, "噪声扰民", Boolean.FALSE, null));
        e.add(new ComplaintFact(id++, today.minusDays(9), today, ComplaintChannel.OTHER, "占道经营", Boolean.TRUE, "P-" + base));
        for (InspectionOutcome o : InspectionOutcome.values()) {
            e.add(new InspectionFact(id++, today.minusDays(15), today, "GS-01", o, o == InspectionOutcome.NO_PROBLEM ? 95.0 : 50.0,
                    List.of(new Deduction("GS-01-03", 12), new Deduction("GS-01-05", 3))));
        }
        e.add(new InspectionFact(id++, today.minusDays(300), today, "SZ-02", InspectionOutcome.ORDERED_TO_RECTIFY, null, List.of()));
        for (int i = 0; i < 4; i++) {
            e.add(new DetectionFact(id++, today.minusDays(2 + i * 10), today, i % 2 == 0 ? DetectionSource.CAMERA : DetectionSource.BODY_CAMERA, "跨门营业"));
        }
        e.add(new CreditFact(id, today.minusDays(60), today, CreditAction.LISTED));
        return e;
    }
}
