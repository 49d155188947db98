package cn.urbanmgmt.risk.grading.model;

import cn.urbanmgmt.risk.events.CreditAction;
import java.time.LocalDate;

/** A change to the serious-dishonesty list (严重失信名单) or a credit repair (信用修复). */
public class CreditFact extends EventFact {
    private final CreditAction action;

    public CreditFact(long eventId, LocalDate occurredOn, LocalDate evaluationDate, CreditAction action) {
        super(eventId, occurredOn, evaluationDate);
        this.action = action;
    }

    public CreditAction getAction() { return action; }
}
