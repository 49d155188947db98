package cn.urbanmgmt.risk.grading.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What the rules build up for one merchant. Rules call {@link #addPoints}, {@link #floor} and
 * {@link #setThresholds}; the engine records which rule and which events each call came from.
 * Grade = the higher of the score's grade (by the thresholds) and the highest floor.
 */
public class Assessment {

    private final List<Reason> reasons = new ArrayList<>();
    private int score;
    private Grade floorGrade = Grade.GREEN;
    private Integer yellowAt;
    private Integer redAt;

    // Set by the engine before each rule's consequence runs.
    private String currentRule;
    private List<Long> currentEvents = List.of();

    /** Adds (or, if negative, removes) risk points, with a reason shown to squads. */
    public void addPoints(int points, String reason) {
        score += points;
        reasons.add(new Reason(currentRule, points, null, reason, currentEvents));
    }

    /** The grade is at least {@code grade}, whatever the score. */
    public void floor(Grade grade, String reason) {
        floorGrade = floorGrade.atLeast(grade);
        reasons.add(new Reason(currentRule, null, grade, reason, currentEvents));
    }

    /** Score from which the grade is YELLOW and RED. Exactly one rule of the rule set sets these. */
    public void setThresholds(int yellowAt, int redAt) {
        if (yellowAt <= 0 || redAt <= yellowAt) {
            throw new IllegalArgumentException("thresholds must satisfy 0 < yellowAt < redAt, got " + yellowAt + " and " + redAt);
        }
        this.yellowAt = yellowAt;
        this.redAt = redAt;
    }

    public int getScore() { return score; }
    public Grade getFloorGrade() { return floorGrade; }
    public Integer getYellowAt() { return yellowAt; }
    public Integer getRedAt() { return redAt; }
    public boolean hasThresholds() { return yellowAt != null; }
    public List<Reason> getReasons() { return List.copyOf(reasons); }

    /** The grade the score and floors give; thresholds must have been set. */
    public Grade getGrade() {
        if (yellowAt == null) throw new IllegalStateException("no rule set the grade thresholds (setThresholds)");
        Grade byScore = score >= redAt ? Grade.RED : score >= yellowAt ? Grade.YELLOW : Grade.GREEN;
        return byScore.atLeast(floorGrade);
    }

    /** Engine hook: which rule fires next and the events it matched. */
    public void beginRule(String rule, List<Long> eventIds) {
        this.currentRule = rule;
        this.currentEvents = eventIds;
    }
}
