package cn.urbanmgmt.risk.grading.model;

import java.time.LocalDate;

/** What every event fact has: its id, when it happened, and how many days before the evaluation date. */
public abstract class EventFact {
    private final long eventId;
    private final LocalDate occurredOn;
    private final int daysAgo;

    protected EventFact(long eventId, LocalDate occurredOn, LocalDate evaluationDate) {
        this.eventId = eventId;
        this.occurredOn = occurredOn;
        this.daysAgo = (int) (evaluationDate.toEpochDay() - occurredOn.toEpochDay());
    }

    public long getEventId() { return eventId; }
    public LocalDate getOccurredOn() { return occurredOn; }
    /** 0 = on the evaluation date, 365 = a year before. */
    public int getDaysAgo() { return daysAgo; }
}
