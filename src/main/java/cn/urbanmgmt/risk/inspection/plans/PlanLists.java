package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.tabular.TabularWriter;
import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * A plan's recorded candidate list and drawn list for people: zh-CN headers, CSV with BOM (or XLSX),
 * the same rows as the machine-readable CSVs of /api/v1/inspection/plans/{id}/candidates.csv and
 * draw.csv, whose bytes stay as they are (their SHA-256 is the plan's digest).
 */
@ApplicationScoped
public class PlanLists {

    public static final List<String> CANDIDATE_HEADERS = List.of("事项代码", "分层", "抽查比例（%）", "按周抽查", "统一社会信用代码");
    public static final List<String> DRAW_HEADERS = List.of("事项代码", "分层", "周次", "统一社会信用代码");

    @Inject
    PlanQueries queries;

    /** The plan's recorded candidate list (404 before any byte of a download is sent). */
    public CandidateList candidates(long planId) {
        return CandidateList.fromCompact(queries.recorded(planId).candidates());
    }

    /** The drawn list as stored (the machine-readable CSV's text). */
    public String draw(long planId) {
        return queries.storedDrawCsv(planId);
    }

    public static void writeCandidates(CandidateList list, String format, OutputStream out) {
        try (TabularWriter w = TabularWriter.open(format, out, CANDIDATE_HEADERS)) {
            for (Draw.Stratum s : list.strata()) {
                String percent = CandidateList.percent(s.basisPoints());
                String weekly = s.weekly() ? "是" : "否";
                for (int m : s.members()) w.row(Arrays.asList(s.itemCode(), s.name(), percent, weekly, list.ids()[m]));
            }
        }
    }

    public static void writeDraw(String csv, String format, OutputStream out) {
        try (TabularWriter w = TabularWriter.open(format, out, DRAW_HEADERS)) {
            csv.lines().skip(1).forEach(l -> w.row(Arrays.asList((Object[]) l.split(",", -1))));
        }
    }
}
