package cn.urbanmgmt.risk.grading.model;

import java.time.LocalDate;

/** The date the grade is computed for. Event facts already carry {@code daysAgo} relative to it. */
public class Evaluation {
    private final LocalDate date;

    public Evaluation(LocalDate date) {
        this.date = date;
    }

    public LocalDate getDate() { return date; }
}
