package cn.urbanmgmt.risk.outcomes;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** The outcome measures as an Excel workbook: one sheet per table, zh-CN headers, rates as fractions (0.25 = 25%). */
final class OutcomeWorkbook {

    private OutcomeWorkbook() {
    }

    static void write(OutcomeService.Report r, OutputStream out) {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            sheet(wb, "说明", List.of("项目", "内容"), List.of(
                    List.of("统计期", r.from() + " 至 " + r.to()),
                    List.of("范围", r.streetName() == null ? "全区" : r.streetName()),
                    List.of("行业类别", r.categoryName() == null ? "全部" : r.categoryName()),
                    List.of("等级口径", r.gradeBasis() == OutcomeService.GradeBasis.CURRENT ? "商户当前等级" : "检查当日之前的最新等级"),
                    List.of("一次检查", "同一商户同一天的全部检查结果；任何一项当场整改、责令限期整改或立案查处即为发现问题；未找到商户不计"),
                    List.of("检查次数", r.visits()), List.of("发现问题次数", r.problemVisits()), List.of("全区平均命中率", nz(r.hitRate())),
                    List.of("定义", "见 docs/outcomes.md")));
            List<String> findingsHeader = List.of("分组", "检查次数", "发现问题次数", "当场整改", "责令限期整改", "立案查处", "命中率", "提升度");
            sheet(wb, "按等级", findingsHeader, findings(r.byGrade()));
            sheet(wb, "按抽查分层", findingsHeader, findings(r.byStratum()));
            List<String> people = List.of("编号", "名称", "所属执法队", "检查次数", "发现问题次数", "命中率", "按等级预期发现问题次数", "实际/预期");
            sheet(wb, "按执法队", people, people(r.bySquad()));
            sheet(wb, "按检查人员", people, people(r.byInspector()));
            OutcomeService.Complaints c = r.complaints();
            sheet(wb, "投诉与诉转案", List.of("指标", "数值"), List.of(
                    List.of("投诉数", c.complaints()), List.of("已核实的投诉数", c.checked()), List.of("核实不属实数", c.unfounded()),
                    List.of("不属实占已核实比例", nz(c.unfoundedShare())), List.of("重复投诉数（同一商户同一问题的第二次及以后）", c.repeated()),
                    List.of("重复投诉占比", nz(c.repeatedShare())), List.of("案件数", c.cases()), List.of("由投诉转立的案件数", c.casesFromComplaints()),
                    List.of("诉转案率（由投诉转立的案件数 / 投诉数）", nz(c.complaintToCaseRate())), List.of("罚款合计（元）", c.fineYuan())));
            List<List<Object>> cases = new ArrayList<>();
            for (OutcomeService.CasesByStreetMonth x : r.casesByStreetMonth()) cases.add(Arrays.asList(x.streetName(), x.month(), x.cases(), x.fineYuan()));
            sheet(wb, "案件与罚款", List.of("街镇", "月份", "案件数", "罚款（元）"), cases);
            List<List<Object>> plans = new ArrayList<>();
            for (OutcomeService.PlanCompletion p : r.planCompletion()) {
                plans.add(Arrays.asList(p.squadName(), p.visits(), p.done(), p.overdue(), p.completionRate(), p.overdueRate()));
            }
            sheet(wb, "计划完成情况", List.of("执法队", "计划检查户次", "已完成", "逾期未完成", "完成率", "逾期率"), plans);
            List<List<Object>> shares = new ArrayList<>();
            for (OutcomeService.GradeShare g : r.gradeShares()) {
                shares.add(Arrays.asList(g.gradeName(), g.merchants(), g.sharePercent(), g.targetPercent(), g.gapPercent()));
            }
            sheet(wb, "等级占比与目标", List.of("等级", "商户数", "占比（%）", "目标（%）", "差距（百分点）"), shares);
            List<List<Object>> trend = new ArrayList<>();
            for (OutcomeService.SharePoint p : r.gradeShareTrend()) trend.add(Arrays.asList(p.day().toString(), p.green(), p.yellow(), p.red()));
            sheet(wb, "等级占比变化", List.of("日期", "绿色（%）", "黄色（%）", "红色（%）"), trend);
            wb.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object nz(Double d) {
        return d == null ? "" : d;
    }

    private static List<List<Object>> findings(List<OutcomeService.Findings> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (OutcomeService.Findings f : rows) {
            out.add(Arrays.asList(f.name(), f.visits(), f.problemVisits(), f.rectifiedOnSpot(), f.orderedToRectify(), f.caseOpened(), f.hitRate(), f.lift()));
        }
        return out;
    }

    private static List<List<Object>> people(List<OutcomeService.PeopleFindings> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (OutcomeService.PeopleFindings p : rows) {
            out.add(Arrays.asList(p.key(), p.name(), p.squadName(), p.visits(), p.problemVisits(), p.hitRate(), p.expectedProblemVisits(),
                    p.observedToExpected()));
        }
        return out;
    }

    private static void sheet(XSSFWorkbook wb, String name, List<String> header, List<? extends List<?>> rows) {
        Sheet s = wb.createSheet(name);
        Row h = s.createRow(0);
        for (int i = 0; i < header.size(); i++) h.createCell(i).setCellValue(header.get(i));
        int n = 1;
        for (List<?> cells : rows) {
            Row row = s.createRow(n++);
            for (int i = 0; i < cells.size(); i++) {
                Object v = cells.get(i);
                if (v == null) continue;
                if (v instanceof Number num) row.createCell(i).setCellValue(num.doubleValue());
                else row.createCell(i).setCellValue(v.toString());
            }
        }
        s.setColumnWidth(0, 30 * 256);
    }
}
