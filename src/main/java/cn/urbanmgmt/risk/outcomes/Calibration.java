package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.grading.model.Grade;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Thresholds that bring the grade shares closest to a target (docs/outcomes.md, "Calibration"):
 * a what-if over today's scores, with the floors the rules set kept as they are. Pure computation.
 */
public final class Calibration {

    private Calibration() {
    }

    /** Merchants with one score, floor and current grade. */
    public record Cell(int score, Grade floor, Grade current, long merchants) {
    }

    public record Proposal(int yellowAt, int redAt, Map<Grade, Long> counts, Map<Grade, Map<Grade, Long>> matrix, long merchants) {
    }

    /** The grade a score and floor give under thresholds (as Assessment.getGrade). */
    public static Grade grade(int score, Grade floor, int yellowAt, int redAt) {
        Grade byScore = score >= redAt ? Grade.RED : score >= yellowAt ? Grade.YELLOW : Grade.GREEN;
        return byScore.atLeast(floor);
    }

    /**
     * redAt first: of all thresholds 2 … max score + 1, the one whose RED count is closest to the
     * target (ties: the higher threshold, fewer RED); then yellowAt in 1 … redAt − 1 the same way for
     * YELLOW (ties: the higher threshold).
     */
    public static Proposal propose(List<Cell> cells, Map<Grade, Double> targetPercent) {
        long n = cells.stream().mapToLong(Cell::merchants).sum();
        int max = cells.stream().mapToInt(Cell::score).max().orElse(0);
        double redTarget = n * targetPercent.get(Grade.RED) / 100;
        double yellowTarget = n * targetPercent.get(Grade.YELLOW) / 100;
        int bestRed = 2;
        double bestRedGap = Double.MAX_VALUE;
        for (int t = 2; t <= Math.max(2, max + 1); t++) {
            double gap = Math.abs(count(cells, Grade.RED, 1, t) - redTarget);
            if (gap <= bestRedGap) {
                bestRedGap = gap;
                bestRed = t;
            }
        }
        int bestYellow = 1;
        double bestYellowGap = Double.MAX_VALUE;
        for (int y = 1; y < bestRed; y++) {
            double gap = Math.abs(count(cells, Grade.YELLOW, y, bestRed) - yellowTarget);
            if (gap <= bestYellowGap) {
                bestYellowGap = gap;
                bestYellow = y;
            }
        }
        Map<Grade, Long> counts = new EnumMap<>(Grade.class);
        Map<Grade, Map<Grade, Long>> matrix = new EnumMap<>(Grade.class);
        for (Grade g : Grade.values()) {
            counts.put(g, 0L);
            Map<Grade, Long> row = new EnumMap<>(Grade.class);
            for (Grade h : Grade.values()) row.put(h, 0L);
            matrix.put(g, row);
        }
        for (Cell c : cells) {
            Grade to = grade(c.score(), c.floor(), bestYellow, bestRed);
            counts.merge(to, c.merchants(), Long::sum);
            matrix.get(c.current()).merge(to, c.merchants(), Long::sum);
        }
        return new Proposal(bestYellow, bestRed, counts, matrix, n);
    }

    private static long count(List<Cell> cells, Grade g, int yellowAt, int redAt) {
        long k = 0;
        for (Cell c : cells) if (grade(c.score(), c.floor(), yellowAt, redAt) == g) k += c.merchants();
        return k;
    }
}
