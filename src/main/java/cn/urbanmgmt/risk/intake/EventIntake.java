package cn.urbanmgmt.risk.intake;

import cn.urbanmgmt.risk.approvals.PendingApproval;
import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.SqlRetry;
import cn.urbanmgmt.risk.events.EventInput;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.model.Grade;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * One event submitted by a person (API or console): stored through {@link EventService}, then the
 * merchant is regraded at once; or held for a second officer's approval (four eyes) when it would lower
 * the grade or lift a published adverse result. POST /api/v1/events and the console's event form both call this.
 */
@ApplicationScoped
public class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    @Inject
    EventService events;

    @Inject
    GradingService grading;

    /** The merchant's grade right after the event, as stored. */
    public record GradeAfter(Grade grade, int score, Grade previousGrade, boolean changed, String ruleSetVersion) {
    }

    /**
     * {@code gradeError}: the grade could not be recomputed (and why; the merchant keeps its last good
     * grade); {@code notice}: something the sender should know, e.g. that the active rules do not count
     * an event this old.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(MerchantEvent event, boolean duplicate, GradeAfter grade, String gradeError, String notice,
                           PendingApproval pending) {
        Accepted(MerchantEvent event, boolean duplicate, GradeAfter grade, String gradeError, String notice) {
            this(event, duplicate, grade, gradeError, notice, null);
        }
    }

    public Accepted submit(EventInput input, Actor actor) {
        // A twin request racing this one (same source id) makes one of the two fail on the unique key: the
        // retry then finds the twin's event and answers "duplicate".
        EventService.Recorded recorded = SqlRetry.run("event intake", 4, SqlRetry::isRace, () -> events.record(input, actor));
        if (recorded.isPending()) {
            // Four eyes: held, no effect on the grade until a second officer approves it.
            PendingApproval p = (PendingApproval) recorded.pending(); // the held item of approvals' four eyes (IntakeFourEyes)
            return new Accepted(null, recorded.duplicate(), null, null, "该事件已提交审批（待审批事项 " + p.id + "）：" + p.reason
                    + "；在此之前它不影响该商户的等级", p);
        }
        MerchantEvent e = recorded.event();
        String cause = "事件：" + e.type.label() + " " + e.source + "/" + e.sourceId;
        GradeAfter after = null;
        String error = null;
        try {
            GradingService.Regraded g = recorded.duplicate() ? grading.ensureCurrent(e.merchantId, cause) : grading.regradeOne(e.merchantId, cause);
            if (g.grade() != null) after = new GradeAfter(g.grade(), g.score(), g.previousGrade(), g.changed(), g.ruleSetVersion());
            error = g.fault();
        } catch (RuntimeException ex) {
            // The event and its "needs regrade" mark are stored: the drain grades the merchant within seconds.
            LOG.errorf(ex, "Regrade after event %d failed", e.id);
            error = "事件已记录，但重新评级暂未完成（" + ex.getMessage() + "）；系统会在数秒内自动补做评级，可稍后查看该商户的等级";
        }
        String notice = grading.lookBackNotice(e.type == EventType.CREDIT, e.occurredAt);
        return new Accepted(e, recorded.duplicate(), after, error, notice);
    }
}
