package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.grading.model.Grade;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backtest's figures for one rule-set version, from the horizon's visits and the grades the
 * version gave as of the backtest date. Pure computation (no database); the definitions are those of
 * docs/outcomes.md, section "Backtest".
 */
public final class BacktestMetrics {

    private static final Grade[] GRADES = Grade.values();

    private BacktestMetrics() {
    }

    /** One visit of the horizon (all inspection results of one merchant on one day) with the merchant's grade and score as of D. */
    public record Visit(long merchantId, LocalDate date, boolean problem, Grade grade, int score) {
    }

    /** Figures for one grade. {@code hitRate} and {@code lift} are null when the grade has no visit. */
    public record GradeFigures(Grade grade, long merchants, long visits, long problems, Double hitRate, Double shareOfProblems, Double lift) {
    }

    /** Mean days earlier over the visits with problems and its standard error (null when n &lt; 2). */
    public record DaysSooner(int problemVisits, Double mean, Double standardError) {
    }

    public record Result(long visits, long problems, Double hitRate, List<GradeFigures> byGrade, Double aucScore, Double aucRisk,
                         DaysSooner daysSooner, DaysSooner daysSoonerGradeOnly) {
    }

    /** Risk order: grade (RED first), then score (highest first), ties kept in the real order (date, then merchant id). */
    public static final Comparator<Visit> BY_RISK = Comparator.comparing((Visit v) -> v.grade().ordinal()).reversed()
            .thenComparing(Comparator.comparingInt(Visit::score).reversed())
            .thenComparing(Visit::date).thenComparingLong(Visit::merchantId);

    /** The order the sampling strata use: grade alone, ties kept in the real order. */
    public static final Comparator<Visit> BY_GRADE = Comparator.comparing((Visit v) -> v.grade().ordinal()).reversed()
            .thenComparing(Visit::date).thenComparingLong(Visit::merchantId);

    /** The real order: date, then merchant id. */
    public static final Comparator<Visit> BY_DATE = Comparator.comparing(Visit::date).thenComparingLong(Visit::merchantId);

    /** @param merchantsByGrade merchants graded as of D, per grade (by ordinal) */
    public static Result compute(List<Visit> visits, long[] merchantsByGrade) {
        long n = visits.size();
        long problems = visits.stream().filter(Visit::problem).count();
        Double overall = n == 0 ? null : (double) problems / n;
        List<GradeFigures> byGrade = new ArrayList<>();
        for (Grade g : GRADES) {
            long gv = visits.stream().filter(v -> v.grade() == g).count();
            long gp = visits.stream().filter(v -> v.grade() == g && v.problem()).count();
            Double hit = gv == 0 ? null : (double) gp / gv;
            Double share = problems == 0 ? null : (double) gp / problems;
            Double lift = hit == null || overall == null || overall == 0 ? null : hit / overall;
            byGrade.add(new GradeFigures(g, merchantsByGrade[g.ordinal()], gv, gp, hit, share, lift));
        }
        return new Result(n, problems, overall, byGrade,
                auc(visits, Comparator.comparingInt(Visit::score)),
                auc(visits, Comparator.comparing((Visit v) -> v.grade().ordinal()).thenComparingInt(Visit::score)),
                daysSooner(visits, BY_RISK), daysSooner(visits, BY_GRADE));
    }

    /**
     * Days sooner: the real dates, sorted, are handed out to the visits in {@code order}; for each
     * visit that found a problem, real date minus handed-out date; mean and sd/sqrt(n) (sample sd).
     */
    public static DaysSooner daysSooner(List<Visit> visits, Comparator<Visit> order) {
        long[] dates = visits.stream().mapToLong(v -> v.date().toEpochDay()).sorted().toArray();
        List<Visit> ordered = new ArrayList<>(visits);
        ordered.sort(order);
        List<Long> deltas = new ArrayList<>();
        for (int k = 0; k < ordered.size(); k++) {
            Visit v = ordered.get(k);
            if (v.problem()) deltas.add(v.date().toEpochDay() - dates[k]);
        }
        int m = deltas.size();
        if (m == 0) return new DaysSooner(0, null, null);
        double mean = deltas.stream().mapToLong(Long::longValue).sum() / (double) m;
        if (m < 2) return new DaysSooner(m, mean, null);
        double ss = 0;
        for (long d : deltas) ss += (d - mean) * (d - mean);
        double sd = Math.sqrt(ss / (m - 1));
        return new DaysSooner(m, mean, sd / Math.sqrt(m));
    }

    /**
     * ROC AUC of a risk key: the probability that a visit with a problem has a higher key than one
     * without, ties counting one half (Mann-Whitney U / (positives x negatives)); null without both kinds.
     */
    public static Double auc(List<Visit> visits, Comparator<Visit> key) {
        Visit[] sorted = visits.toArray(Visit[]::new);
        Arrays.sort(sorted, key);
        long pos = 0;
        long neg = 0;
        double rankSumPos = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && key.compare(sorted[j + 1], sorted[i]) == 0) j++;
            double avgRank = (i + 1 + j + 1) / 2.0;
            for (int k = i; k <= j; k++) {
                if (sorted[k].problem()) {
                    pos++;
                    rankSumPos += avgRank;
                } else {
                    neg++;
                }
            }
            i = j + 1;
        }
        if (pos == 0 || neg == 0) return null;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** The result as JSON-friendly maps (grades by name, with zh-CN labels). */
    public static Map<String, Object> toMap(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("visits", r.visits());
        m.put("problemVisits", r.problems());
        m.put("hitRate", r.hitRate());
        List<Map<String, Object>> grades = new ArrayList<>();
        for (GradeFigures g : r.byGrade()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("grade", g.grade().name());
            x.put("gradeName", g.grade().colour() + "（" + g.grade().label() + "）");
            x.put("merchants", g.merchants());
            x.put("visits", g.visits());
            x.put("problemVisits", g.problems());
            x.put("hitRate", g.hitRate());
            x.put("shareOfProblems", g.shareOfProblems());
            x.put("lift", g.lift());
            grades.add(x);
        }
        m.put("byGrade", grades);
        m.put("aucScore", r.aucScore());
        m.put("aucGradeThenScore", r.aucRisk());
        m.put("daysSooner", days(r.daysSooner()));
        m.put("daysSoonerGradeOnly", days(r.daysSoonerGradeOnly()));
        return m;
    }

    private static Map<String, Object> days(DaysSooner d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("problemVisits", d.problemVisits());
        m.put("mean", d.mean());
        m.put("standardError", d.standardError());
        return m;
    }
}
