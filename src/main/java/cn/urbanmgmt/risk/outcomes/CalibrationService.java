package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.RuleSetVersion;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.rules.GradingRuleKind;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calibration help: thresholds that bring today's grade shares to a target ({@link Calibration}),
 * the transition matrix that change would cause, and, on request, a candidate version of the active
 * grading rules with those thresholds for the author to test, simulate, backtest and submit.
 */
@ApplicationScoped
public class CalibrationService {

    /** The one thresholds call of a grading rule set, e.g. assessment.setThresholds(40, 70). */
    static final Pattern THRESHOLDS = Pattern.compile("setThresholds\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RuleAuthoringService authoring;

    @Inject
    GradingRuleKind grading;

    public record GradeFigure(Grade grade, long current, double currentPercent, long proposed, double proposedPercent, double targetPercent) {
    }

    public record Result(String activeVersion, Integer currentYellowAt, Integer currentRedAt, int yellowAt, int redAt, long merchants,
                         long gradedByOtherVersions, List<GradeFigure> grades, Map<Grade, Map<Grade, Long>> matrix, long changed,
                         RuleAuthoringService.Stored candidate) {
    }

    public Result calibrate(String target, boolean createCandidate, String comment, String user) {
        if (target == null || target.isBlank()) throw ProblemException.invalidField("target", "请填写目标分布，如 GREEN:90,YELLOW:8,RED:2");
        Map<Grade, Double> targets = OutcomeService.targets(target, false);
        RuleSetVersion active = QuarkusTransaction.requiringNew().call(() -> RuleSetVersion.active(RuleSetService.KIND));
        if (active == null) throw ProblemException.conflict("当前没有生效的评级规则，无法校准分数线");
        List<Cell> read = cells(active.hash);
        List<Calibration.Cell> cells = read.stream().map(Cell::cell).toList();
        long otherVersions = read.stream().filter(c -> !c.byActive()).mapToLong(c -> c.cell().merchants()).sum();
        if (cells.isEmpty()) throw ProblemException.conflict("名录库中还没有已评级的商户，无法校准分数线");
        Calibration.Proposal p = Calibration.propose(cells, targets);
        Map<String, String> files = new LinkedHashMap<>(active.files);
        List<Call> calls = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Matcher m = THRESHOLDS.matcher(f.getValue());
            while (m.find()) calls.add(new Call(f.getKey(), m.start(), m.end(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        Call call = calls.size() == 1 ? calls.get(0) : null;
        Integer currentYellow = call == null ? null : call.yellowAt();
        Integer currentRed = call == null ? null : call.redAt();
        Map<Grade, Long> current = new EnumMap<>(Grade.class);
        for (Grade g : Grade.values()) current.put(g, 0L);
        for (Calibration.Cell c : cells) current.merge(c.current(), c.merchants(), Long::sum);
        List<GradeFigure> grades = new ArrayList<>();
        for (Grade g : List.of(Grade.GREEN, Grade.YELLOW, Grade.RED)) {
            grades.add(new GradeFigure(g, current.get(g), pct(current.get(g), p.merchants()), p.counts().get(g), pct(p.counts().get(g), p.merchants()),
                    targets.get(g)));
        }
        long changed = 0;
        for (Grade from : Grade.values()) for (Grade to : Grade.values()) if (from != to) changed += p.matrix().get(from).get(to);
        RuleAuthoringService.Stored candidate = null;
        if (createCandidate) {
            if (call == null) {
                throw ProblemException.conflict("生效规则中应恰好有一处 setThresholds(黄色分数线, 红色分数线)，现在有 " + calls.size() + " 处：无法自动生成候选版本，请手工修改分数线");
            }
            String text = files.get(call.file());
            files.put(call.file(), text.substring(0, call.start()) + "setThresholds(" + p.yellowAt() + ", " + p.redAt() + ")" + text.substring(call.end()));
            if (active.tests != null) files.putAll(active.tests);
            String why = "校准分数线：目标 " + target + "，黄色 " + currentYellow + "→" + p.yellowAt() + "，红色 " + currentRed + "→" + p.redAt()
                    + (comment == null || comment.isBlank() ? "" : "；" + comment);
            candidate = authoring.upload(grading, files, why, user);
        }
        return new Result(active.hash, currentYellow, currentRed, p.yellowAt(), p.redAt(), p.merchants(), otherVersions, grades, p.matrix(), changed,
                candidate);
    }

    private static double pct(long n, long total) {
        return total == 0 ? 0 : Math.round(n * 10000.0 / total) / 100.0;
    }

    record Cell(Calibration.Cell cell, boolean byActive) {
    }

    /** Where a rule file calls setThresholds, with its arguments. */
    record Call(String file, int start, int end, int yellowAt, int redAt) {
    }

    /** Today's stored grades of merchants not closed: score, the highest floor among their reasons, grade, by the active version or not. */
    private List<Cell> cells(String activeVersion) {
        List<Cell> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select score, floor, grade, rule_set_version = ?, count(*) from (
                  select g.score, g.grade, g.rule_set_version,
                         coalesce((select max(case r->>'floor' when 'RED' then 2 when 'YELLOW' then 1 else 0 end)
                                   from jsonb_array_elements(g.reasons) r), 0) as floor
                  from merchant_grade g join merchant m on m.id = g.merchant_id where m.status <> 'CLOSED') x
                group by 1, 2, 3, 4""")) {
            ps.setString(1, activeVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Cell(new Calibration.Cell(rs.getInt(1), Grade.values()[rs.getInt(2)], Grade.valueOf(rs.getString(3)), rs.getLong(5)),
                            rs.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("grades could not be read: " + e.getMessage(), e);
        }
        return out;
    }
}
