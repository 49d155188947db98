package cn.urbanmgmt.risk.inspection.sampling.model;

import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One merchant considered for one inspection item of a plan: what the sampling rules see, and the
 * decisions they make about it. The rules call {@link #exclude}, {@link #mustInclude},
 * {@link #sample} or {@link #sampleWeekly}; the plan resolves them (see {@link #resolve()}).
 * Read-only for the rules otherwise, and never modified or re-inserted, so rules cannot loop.
 */
public class SamplingCandidate {

    // merchant
    private final long merchantId;
    private final String uscc;
    private final String street;
    private final MerchantCategory category;
    private final boolean keyUnit;
    private final KeyUnitType keyUnitType;
    private final MerchantStatus status;
    private final int daysOpen;
    private final Grade grade;
    private final Integer score;
    // item
    private final String itemCode;
    private final InspectionMode itemMode;
    private final String samplingPolicy;
    private final Integer daysSinceInspected;
    // plan
    private final int planDays;
    private final int planWeeks;

    // decisions
    private String excludedBecause;
    private String mustStratum;
    private String sampleStratum;
    private int sampleBasisPoints = -1;
    private boolean sampleWeekly;

    public SamplingCandidate(long merchantId, String uscc, String street, MerchantCategory category, boolean keyUnit,
                             KeyUnitType keyUnitType, MerchantStatus status, int daysOpen, Grade grade, Integer score,
                             String itemCode, InspectionMode itemMode, String samplingPolicy, Integer daysSinceInspected,
                             int planDays, int planWeeks) {
        this.merchantId = merchantId;
        this.uscc = uscc;
        this.street = street;
        this.category = category;
        this.keyUnit = keyUnit;
        this.keyUnitType = keyUnitType;
        this.status = status;
        this.daysOpen = daysOpen;
        this.grade = grade;
        this.score = score;
        this.itemCode = itemCode;
        this.itemMode = itemMode;
        this.samplingPolicy = samplingPolicy;
        this.daysSinceInspected = daysSinceInspected;
        this.planDays = planDays;
        this.planWeeks = planWeeks;
    }

    /** The same merchant and item with no decision yet: to evaluate it with another rule set. */
    public SamplingCandidate copy() {
        return new SamplingCandidate(merchantId, uscc, street, category, keyUnit, keyUnitType, status, daysOpen, grade, score, itemCode,
                itemMode, samplingPolicy, daysSinceInspected, planDays, planWeeks);
    }

    public long getMerchantId() { return merchantId; }
    public String getUscc() { return uscc; }
    /** Street code, e.g. "jingansi". */
    public String getStreet() { return street; }
    public MerchantCategory getCategory() { return category; }
    public boolean isKeyUnit() { return keyUnit; }
    public KeyUnitType getKeyUnitType() { return keyUnitType; }
    public MerchantStatus getStatus() { return status; }
    /** Days from opening to the plan's evaluation date (negative: not open yet). */
    public int getDaysOpen() { return daysOpen; }
    /** Current risk grade; null when the merchant has not been graded. */
    public Grade getGrade() { return grade; }
    public boolean isGraded() { return grade != null; }
    public Integer getScore() { return score; }
    public String getItemCode() { return itemCode; }
    public InspectionMode getItemMode() { return itemMode; }
    /** The item's sampling policy name, e.g. "RISK_BASED" or "KEY_UNIT_WEEKLY". */
    public String getSamplingPolicy() { return samplingPolicy; }
    /** Days since the merchant was last inspected for this item; null when not in the last three years. */
    public Integer getDaysSinceInspected() { return daysSinceInspected; }
    public int getPlanDays() { return planDays; }
    public int getPlanWeeks() { return planWeeks; }

    /** Not a candidate for this item in this plan. Exclusion beats every other decision. */
    public void exclude(String reason) {
        if (excludedBecause == null || reason.compareTo(excludedBecause) < 0) excludedBecause = text(reason, "exclude");
    }

    /** Always inspected (100%), in the stratum named. Beats sampling. */
    public void mustInclude(String stratum) {
        String s = text(stratum, "mustInclude");
        if (mustStratum == null || s.compareTo(mustStratum) < 0) mustStratum = s;
    }

    /** Drawn at random with the others of its stratum: {@code percent} of the stratum once in the plan period. */
    public void sample(String stratum, double percent) {
        offer(text(stratum, "sample"), basisPoints(percent), false);
    }

    /** Drawn at random each week of the plan period: {@code percent} of the stratum every week. */
    public void sampleWeekly(String stratum, double percent) {
        offer(text(stratum, "sampleWeekly"), basisPoints(percent), true);
    }

    /** The highest proportion wins; at equal proportion weekly beats once, then the smaller stratum name. */
    private void offer(String stratum, int bp, boolean weekly) {
        boolean better = sampleStratum == null || bp > sampleBasisPoints
                || (bp == sampleBasisPoints && weekly && !sampleWeekly)
                || (bp == sampleBasisPoints && weekly == sampleWeekly && stratum.compareTo(sampleStratum) < 0);
        if (better) {
            sampleStratum = stratum;
            sampleBasisPoints = bp;
            sampleWeekly = weekly;
        }
    }

    /** The outcome of all decisions for this merchant and item. */
    public Decision resolve() {
        if (excludedBecause != null) return Decision.excluded(excludedBecause);
        if (mustStratum != null) return new Decision(null, mustStratum, 10_000, false);
        if (sampleStratum != null) return new Decision(null, sampleStratum, sampleBasisPoints, sampleWeekly);
        return Decision.excluded("没有适用的抽查规则");
    }

    /** Whether the outcome is a must-include (not a drawn proportion, even one of 100%). Not a property, so rules cannot read it. */
    public boolean decidedMustInclude() {
        return excludedBecause == null && mustStratum != null;
    }

    /** Either an exclusion (with its reason) or a stratum with its proportion in basis points (1/100 of a percent). */
    public record Decision(String excludedBecause, String stratum, int basisPoints, boolean weekly) {
        static Decision excluded(String reason) {
            return new Decision(reason, null, 0, false);
        }

        public boolean excluded() {
            return excludedBecause != null;
        }
    }

    /** Percent with at most two decimals, as an exact integer number of basis points. */
    static int basisPoints(double percent) {
        if (Double.isNaN(percent) || percent < 0 || percent > 100) {
            throw new IllegalArgumentException("抽查比例应在 0 到 100（%）之间，实际为 " + percent);
        }
        double bp = percent * 100;
        long rounded = Math.round(bp);
        if (Math.abs(bp - rounded) > 1e-6) {
            throw new IllegalArgumentException("抽查比例最多保留两位小数（如 2.5 或 12.75），实际为 " + percent);
        }
        return (int) rounded;
    }

    /** Rule texts are few and repeated a million times: check each once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> CHECKED = new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile String[] LAST = {null, null};

    private static String text(String s, String method) {
        // Rules pass the same literal instances: an identity hit avoids even the hash lookup.
        String[] last = LAST;
        if (s == last[0]) return last[1];
        if (s != null) {
            String known = CHECKED.get(s);
            if (known != null) {
                LAST = new String[]{s, known};
                return known;
            }
        }
        String t = check(s, method);
        if (CHECKED.size() < 10_000) CHECKED.put(s, t);
        LAST = new String[]{s, t};
        return t;
    }

    private static String check(String s, String method) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException(method + " 需要非空的说明文字");
        String t = s.strip();
        if (t.length() > 100 || t.chars().anyMatch(ch -> ch < 0x20 || ",;\"\\{}#".indexOf(ch) >= 0)) {
            throw new IllegalArgumentException(method + " 的说明文字不能超过 100 个字符，且不能含换行、制表符或英文符号 , ; \" \\ { } #：" + t);
        }
        return t;
    }

    /** For tests and rule simulations: every decision recorded, for display. */
    public List<String> describeDecisions() {
        List<String> out = new ArrayList<>();
        if (excludedBecause != null) out.add("排除：" + excludedBecause);
        if (mustStratum != null) out.add("必查：" + mustStratum);
        if (sampleStratum != null) out.add((sampleWeekly ? "每周抽取 " : "抽取 ") + sampleBasisPoints / 100.0 + "%：" + sampleStratum);
        return out;
    }
}
