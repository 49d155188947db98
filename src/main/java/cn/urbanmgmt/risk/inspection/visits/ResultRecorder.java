package cn.urbanmgmt.risk.inspection.visits;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.grading.GradingService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.results.ResultInput;
import cn.urbanmgmt.risk.inspection.results.ResultService;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Recording a visit's result and regrading its merchant at once, for the API and the web console
 * alike: the result is stored (and committed) first, then the merchant is regraded; a failed regrade
 * leaves the result standing and says so.
 */
@ApplicationScoped
public class ResultRecorder {

    private static final Logger LOG = Logger.getLogger(ResultRecorder.class);

    @Inject
    ResultService results;

    @Inject
    VisitService visits;

    @Inject
    GradingService grading;

    /** The merchant's grade right after the result. */
    public record GradeAfter(Grade grade, int score, Grade previousGrade, boolean changed) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Recorded(VisitView visit, List<Long> eventIds, GradeAfter grade, String gradeError) {
    }

    public Recorded recordAndRegrade(long visitId, ResultInput input, Actor actor) {
        return recordAndRegrade(visitId, input, List.of(), actor);
    }

    /** With photos of the visit as evidence (stored with the result, or not at all). */
    public Recorded recordAndRegrade(long visitId, ResultInput input, List<VisitPhotos.Upload> photos, Actor actor) {
        ResultService.Recorded r = results.record(visitId, input, photos, actor);
        GradeAfter after = null;
        String error = null;
        try {
            GradingService.Regraded g = grading.regradeOne(r.merchantId(), "双随机抽查结果（检查任务 " + visitId + "）");
            if (g.grade() != null) after = new GradeAfter(g.grade(), g.score(), g.previousGrade(), g.changed());
            error = g.fault();
        } catch (RuntimeException e) {
            // The result and its "needs regrade" mark stand: the drain grades the merchant within seconds.
            LOG.errorf(e, "Regrade after visit %d failed", visitId);
            error = "结果已登记，但重新评级暂未完成（" + e.getMessage() + "）；系统会在数秒内自动补做评级";
        }
        return new Recorded(visits.get(visitId, actor), r.eventIds(), after, error);
    }
}
