package cn.urbanmgmt.risk.approvals;

import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.FourEyes;
import cn.urbanmgmt.risk.events.HeldEvent;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.model.Grade;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.hibernate.Session;

/**
 * Four eyes at event intake (see {@link FourEyes}): "would lower" is decided by grading the merchant with the
 * active rules through the one fact reader, before and after the event is written inside the intake's
 * transaction; a held event is taken back before commit and kept as a {@link PendingApproval}.
 */
@ApplicationScoped
public class IntakeFourEyes implements FourEyes {

    @Inject
    ApprovalService approvals;

    @Inject
    GradingService grading;

    @Override
    public EventService.Recorded alreadyHeld(EventInput in, MerchantEvent event, long merchantId) {
        PendingApproval open = approvals.openFor(event.source, event.sourceId);
        return open == null ? null : new EventService.Recorded(null, approvals.sameSubmission(open, in, merchantId), open);
    }

    @Override
    public HeldEvent writeOrHold(EventInput in, long merchantId, String recordedBy, MerchantEvent replaced, Write write) {
        Session session = MerchantEvent.getEntityManager().unwrap(Session.class);
        String alwaysHeld = approvals.alwaysHeldReason(in, replaced);
        Grade before = session.doReturningWork(c -> grading.gradeAsSeenBy(c, merchantId));
        write.apply();
        // GREEN is the lowest grade: from there nothing can lower it, so the second evaluation is spared.
        boolean mayLower = alwaysHeld != null || (before != null && before != Grade.GREEN);
        Grade after = mayLower ? session.doReturningWork(c -> grading.gradeAsSeenBy(c, merchantId)) : null;
        boolean lowers = before != null && after != null && after.ordinal() < before.ordinal();
        if (alwaysHeld == null && !lowers) return null;
        // Held for a second officer: undone before commit, so it never counts anywhere.
        write.undo();
        String reason = alwaysHeld != null ? alwaysHeld : "该事件会使商户等级从 " + before.name() + "（" + before.colour() + "）降为 "
                + after.name() + "（" + after.colour() + "）";
        return approvals.submit(in, merchantId, recordedBy, replaced, reason, before, after);
    }

    @Override
    public List<MerchantEvent> heldEvents(long merchantId) {
        return approvals.heldEvents(merchantId);
    }
}
