package cn.urbanmgmt.risk.inspection.verify;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.plans.MatchInputs;
import cn.urbanmgmt.risk.inspection.plans.PlanComputation;
import cn.urbanmgmt.risk.inspection.plans.PlanQueries;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-runs a stored plan from its recorded inputs only (never from today's registry, which has moved
 * on) and compares every stored visit with the recomputed one.
 */
@ApplicationScoped
public class VerifyService {

    private static final int MAX_DIFFERENCES = 20;

    @Inject
    PlanQueries queries;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    public VerifyReport verify(long planId) {
        Map<String, Long> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long cpu0 = PlanService.processCpuNanos();
        PlanQueries.Recorded rec = queries.recorded(planId);
        List<VerifyReport.Difference> diffs = new ArrayList<>();
        byte[] seed = HexFormat.of().parseHex(rec.seed());
        boolean seedOk = PlanComputation.seedCommitment(rec.seed()).equals(rec.seedCommitment());
        if (!seedOk) diffs.add(new VerifyReport.Difference(null, "随机种子与其公示的承诺值（SHA-256）不符", rec.seedCommitment(),
                PlanComputation.seedCommitment(rec.seed())));

        CandidateList candidates = CandidateList.fromCompact(rec.candidates());
        String candidatesSha = candidates.sha256();
        boolean candidatesOk = candidatesSha.equals(rec.candidatesSha256());
        if (!candidatesOk) diffs.add(new VerifyReport.Difference(null, "候选名单与记录的摘要不符", rec.candidatesSha256(), candidatesSha));
        byte[] inputsJson = PlanService.gunzip(rec.matchInputs());
        String inputsSha = PlanComputation.inputsSha256(candidatesSha, inputsJson, rec.periodStart(), rec.periodEnd());
        boolean inputsOk = inputsSha.equals(rec.inputsSha256());
        if (!inputsOk) diffs.add(new VerifyReport.Difference(null, "匹配输入（人员名录快照、商户信息）与记录的摘要不符", rec.inputsSha256(), inputsSha));
        MatchInputs inputs;
        try {
            inputs = json.readValue(inputsJson, MatchInputs.class);
        } catch (IOException e) {
            throw new IllegalStateException("recorded matching inputs of plan " + planId + " are unreadable", e);
        }
        timings.put("readInputs", (System.nanoTime() - t0) / 1_000_000);

        long t = System.nanoTime();
        PlanComputation.Drawn drawn = PlanComputation.draw(seed, candidates, rec.periodStart(), rec.periodEnd());
        String drawSha = CandidateList.sha256(drawn.drawCsv());
        boolean drawOk = drawSha.equals(rec.drawSha256());
        if (!drawOk) diffs.add(new VerifyReport.Difference(null, "抽取结果与记录的摘要不符", rec.drawSha256(), drawSha));
        timings.put("draw", (System.nanoTime() - t) / 1_000_000);

        t = System.nanoTime();
        List<String> recomputed;
        String recomputedSha = null;
        try {
            PlanComputation.Staffed staffed = PlanComputation.staff(seed, drawn.visits(), inputs);
            recomputed = staffed.matching().feasible() ? staffed.visitLines() : List.of();
            recomputedSha = staffed.resultSha256();
            if (!staffed.matching().feasible()) {
                diffs.add(new VerifyReport.Difference(null, "按记录的输入无法配齐检查人员", null, staffed.matching().shortfalls().size() + " 户"));
            }
        } catch (IllegalStateException e) {
            recomputed = List.of();
            diffs.add(new VerifyReport.Difference(null, "记录的匹配输入没有覆盖重新抽取出的全部商户", null, e.getMessage()));
        }
        timings.put("match", (System.nanoTime() - t) / 1_000_000);

        t = System.nanoTime();
        Map<Long, String> badges = new HashMap<>();
        for (MatchInspector i : inputs.inspectors()) badges.put(i.id(), i.badgeNo());
        Map<String, Long> merchantIds = new HashMap<>();
        for (MatchInputs.MerchantInfo m : inputs.merchants()) merchantIds.put(m.uscc(), m.merchantId());
        TreeMap<Integer, String> stored = storedLines(planId, badges, merchantIds, diffs);
        timings.put("readStored", (System.nanoTime() - t) / 1_000_000);

        Map<Integer, String> byNo = new HashMap<>();
        for (String line : recomputed) byNo.put(Integer.parseInt(line.substring(0, line.indexOf(','))), line);
        for (Map.Entry<Integer, String> e : stored.entrySet()) {
            String again = byNo.get(e.getKey());
            if (!e.getValue().equals(again)) diffs.add(new VerifyReport.Difference(e.getKey(), "访问记录与重新计算的结果不同", e.getValue(), again));
        }
        for (Map.Entry<Integer, String> e : byNo.entrySet()) {
            if (!stored.containsKey(e.getKey())) diffs.add(new VerifyReport.Difference(e.getKey(), "重新计算出的访问在库中不存在", null, e.getValue()));
        }
        String storedSha = PlanComputation.resultSha256(new ArrayList<>(stored.values()));
        boolean resultOk = storedSha.equals(rec.resultSha256()) && storedSha.equals(recomputedSha);
        if (!storedSha.equals(rec.resultSha256())) {
            diffs.add(new VerifyReport.Difference(null, "库中的访问记录与计划生成时记录的结果摘要不符", rec.resultSha256(), storedSha));
        }
        boolean identical = seedOk && candidatesOk && inputsOk && drawOk && resultOk && diffs.isEmpty();
        timings.put("total", (System.nanoTime() - t0) / 1_000_000);
        timings.put("jvmCpuTotal", (PlanService.processCpuNanos() - cpu0) / 1_000_000);
        String summary = identical ? "一致：按记录的随机种子、候选名单和匹配输入重新计算，结果与库中计划完全相同（" + stored.size() + " 户次）"
                : "不一致：发现 " + diffs.size() + " 处差异" + (diffs.size() > MAX_DIFFERENCES ? "（列出前 " + MAX_DIFFERENCES + " 处）" : "")
                + "，计划记录可能被改动";
        return new VerifyReport(planId, identical, summary, seedOk, candidatesOk, inputsOk, drawOk, resultOk, stored.size(), recomputed.size(),
                diffs.size() > MAX_DIFFERENCES ? diffs.subList(0, MAX_DIFFERENCES) : diffs,
                new VerifyReport.Digests(candidatesSha, drawSha, inputsSha, recomputedSha), timings);
    }

    /** Stored visits rendered as canonical lines; a merchant id that does not belong to the uscc is a difference too. */
    private TreeMap<Integer, String> storedLines(long planId, Map<Long, String> badges, Map<String, Long> merchantIds,
                                                 List<VerifyReport.Difference> diffs) {
        TreeMap<Integer, String> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select visit_no, uscc, window_start, "
                + "window_end, array_to_string(item_codes, ';'), array_to_string(strata, ';'), squad_code, array_to_string(inspector_ids, ';'), "
                + "merchant_id from plan_visit where plan_id = ? order by visit_no")) {
            ps.setLong(1, planId);
            ps.setFetchSize(20_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int no = rs.getInt(1);
                    String uscc = rs.getString(2);
                    long[] ids = rs.getString(8).isEmpty() ? new long[0] : Arrays.stream(rs.getString(8).split(";")).mapToLong(Long::parseLong).toArray();
                    List<String> items = List.of(rs.getString(5).split(";"));
                    List<String> strata = List.of(rs.getString(6).split(";"));
                    out.put(no, PlanComputation.visitLine(no, uscc, rs.getDate(3).toLocalDate(), rs.getDate(4).toLocalDate(), items, strata,
                            rs.getString(7), ids, badges));
                    Long expected = merchantIds.get(uscc);
                    if (expected == null || expected != rs.getLong(9)) {
                        diffs.add(new VerifyReport.Difference(no, "访问记录的商户编号与统一社会信用代码不对应", String.valueOf(rs.getLong(9)),
                                expected == null ? null : expected.toString()));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading stored visits failed: " + e.getMessage(), e);
        }
        return out;
    }
}
