package cn.urbanmgmt.risk.grading.model;

import cn.urbanmgmt.risk.events.DetectionSource;
import java.time.LocalDate;

/** A violation found without an officer on site (非现场执法): camera or body camera. */
public class DetectionFact extends EventFact {
    private final DetectionSource source;
    private final String type;

    public DetectionFact(long eventId, LocalDate occurredOn, LocalDate evaluationDate, DetectionSource source, String type) {
        super(eventId, occurredOn, evaluationDate);
        this.source = source;
        this.type = type;
    }

    public DetectionSource getSource() { return source; }
    public String getType() { return type; }
}
