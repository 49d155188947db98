package cn.urbanmgmt.risk.inspection.verify;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.matching.MatchVisit;
import cn.urbanmgmt.risk.inspection.matching.Matching;
import cn.urbanmgmt.risk.inspection.matching.Rematch;
import cn.urbanmgmt.risk.inspection.plans.MatchInputs;
import cn.urbanmgmt.risk.inspection.plans.PlanComputation;
import cn.urbanmgmt.risk.inspection.plans.PlanQueries;
import cn.urbanmgmt.risk.inspection.plans.PlanService;
import cn.urbanmgmt.risk.inspection.plans.PlanSummary;
import cn.urbanmgmt.risk.inspection.plans.PlannedVisit;
import cn.urbanmgmt.risk.inspection.plans.VisitBuilder;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.inspection.register.CanonicalJson;
import cn.urbanmgmt.risk.inspection.register.PlanRecord;
import cn.urbanmgmt.risk.inspection.register.PlanRegister;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Re-runs a stored plan from its recorded inputs only (never from today's registry, which has moved
 * on), compares every stored visit with the recomputed one, and every stored field with the digest
 * committed on the public register when the plan was created.
 */
@ApplicationScoped
public class VerifyService {

    private static final int MAX_DIFFERENCES = 40;

    @Inject
    PlanQueries queries;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    PlanRegister register;

    public VerifyReport verify(long planId) {
        Map<String, Long> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long cpu0 = PlanService.processCpuNanos();
        PlanQueries.Recorded rec = queries.recorded(planId);
        List<VerifyReport.Difference> diffs = new ArrayList<>();
        boolean seedOk = rec.seed() != null && rec.seed().matches("[0-9a-f]{64}")
                && PlanComputation.seedCommitment(rec.seed()).equals(rec.seedCommitment());
        if (!seedOk) diffs.add(new VerifyReport.Difference(null, "随机种子与其公示的承诺值（SHA-256）不符", rec.seedCommitment(),
                rec.seed() != null && rec.seed().matches("[0-9a-f]{64}") ? PlanComputation.seedCommitment(rec.seed()) : rec.seed(), "seed"));
        byte[] seed = rec.seed() != null && rec.seed().matches("[0-9a-f]{64}") ? HexFormat.of().parseHex(rec.seed()) : new byte[32];

        CandidateList candidates = CandidateList.fromCompact(rec.candidates());
        String candidatesSha = candidates.sha256();
        boolean candidatesOk = candidatesSha.equals(rec.candidatesSha256());
        if (!candidatesOk) diffs.add(new VerifyReport.Difference(null, "候选名单与记录的摘要不符", rec.candidatesSha256(), candidatesSha, "candidates"));
        byte[] inputsJson = PlanService.gunzip(rec.matchInputs());
        String inputsSha = PlanComputation.inputsSha256(candidatesSha, inputsJson, rec.periodStart(), rec.periodEnd());
        boolean inputsOk = inputsSha.equals(rec.inputsSha256());
        if (!inputsOk) diffs.add(new VerifyReport.Difference(null, "匹配输入（人员名录快照、商户信息）与记录的摘要不符", rec.inputsSha256(), inputsSha,
                "matchInputs"));
        MatchInputs inputs;
        try {
            inputs = json.readValue(inputsJson, MatchInputs.class);
        } catch (IOException e) {
            throw new IllegalStateException("recorded matching inputs of plan " + planId + " are unreadable", e);
        }
        timings.put("readInputs", (System.nanoTime() - t0) / 1_000_000);

        // ---- every stored field against the register ------------------------------------------------
        long t = System.nanoTime();
        PlanRecord row = queries.planRecord(planId, candidatesSha, CandidateList.sha256(inputsJson));
        Map<String, String> digests = row.digests();
        String recordSha = PlanRecord.recordSha256(digests);
        List<PlanRegister.Entry> chain = register.all();
        List<Long> broken = PlanRegister.brokenLinks(chain);
        boolean registerOk = broken.isEmpty();
        if (!registerOk) diffs.add(new VerifyReport.Difference(null, "公示登记册的哈希链在第 " + broken + " 条登记处断开：登记内容被改动过", null, null,
                "register"));
        List<PlanRegister.Entry> own = chain.stream().filter(e -> e.planId() == planId).toList();
        PlanRegister.Entry created = own.stream().filter(e -> PlanRegister.registersPlan(e.kind())).findFirst().orElse(null);
        boolean committedBeforeDraw = created != null && created.kind().equals(PlanRegister.Kind.CREATED.name());
        JsonNode committed = created == null ? null : CanonicalJson.tree(created.body());
        Map<String, String> committedFields = new LinkedHashMap<>();
        if (committed != null) committed.path("fields").fields().forEachRemaining(f -> committedFields.put(f.getKey(), f.getValue().asText()));
        List<String> changed = new ArrayList<>();
        if (created == null) {
            diffs.add(new VerifyReport.Difference(null, "公示登记册上没有本计划生成时的登记", null, null, "register"));
        } else {
            for (String field : PlanRecord.differing(committedFields, digests)) {
                changed.add(field);
                diffs.add(new VerifyReport.Difference(null, "「" + PlanRecord.label(field) + "」与" + (committedBeforeDraw ? "生成时" : "补登时") + "在公示登记册上登记的摘要不符",
                        committedFields.get(field), digests.get(field), field));
            }
        }
        String committedRecord = committed == null ? null : committed.path("recordSha256").asText(null);
        // Cross-checks that name a field even if someone rewrote the register too.
        consistency(rec, row, inputs, changed, diffs);
        timings.put("fields", (System.nanoTime() - t) / 1_000_000);

        // ---- the draw ---------------------------------------------------------------------------------
        t = System.nanoTime();
        PlanComputation.Drawn drawn = PlanComputation.draw(seed, candidates, rec.periodStart(), rec.periodEnd());
        String drawSha = CandidateList.sha256(drawn.drawCsv());
        boolean drawOk = drawSha.equals(rec.drawSha256());
        if (!drawOk) diffs.add(new VerifyReport.Difference(null, "抽取结果与记录的摘要不符", rec.drawSha256(), drawSha, "drawSha256"));
        strataAgainstDraw(row, drawn, changed, diffs);
        if (row.visitCount() != drawn.visits().size()) {
            flag(changed, diffs, "visitCount", String.valueOf(row.visitCount()), String.valueOf(drawn.visits().size()));
        }
        long merchants = drawn.visits().stream().map(PlannedVisit::uscc).distinct().count();
        if (row.merchantCount() != merchants) flag(changed, diffs, "merchantCount", String.valueOf(row.merchantCount()), String.valueOf(merchants));
        timings.put("draw", (System.nanoTime() - t) / 1_000_000);

        // ---- the matching and the recorded replacements ---------------------------------------------------
        t = System.nanoTime();
        Map<Long, String> badges = new HashMap<>();
        for (MatchInspector i : inputs.inspectors()) badges.put(i.id(), i.badgeNo());
        List<String> recomputed = List.of();
        String recomputedSha = null;
        boolean replacementsOk = true;
        List<Rematch.Replacement> replacements = replacements(planId);
        try {
            PlanComputation.Staffed staffed = PlanComputation.staff(seed, drawn.visits(), inputs);
            recomputedSha = staffed.resultSha256();
            if (!staffed.matching().feasible()) {
                diffs.add(new VerifyReport.Difference(null, "按记录的输入无法配齐检查人员", null, staffed.matching().shortfalls().size() + " 户"));
            } else {
                Map<Integer, long[]> teams = new HashMap<>();
                Map<Integer, String> squads = new HashMap<>();
                for (Matching.Assignment a : staffed.matching().assignments().values()) {
                    teams.put(a.visitNo(), a.inspectorIds());
                    squads.put(a.visitNo(), a.squad());
                }
                Map<String, MatchInputs.MerchantInfo> infos = new HashMap<>();
                for (MatchInputs.MerchantInfo m : inputs.merchants()) infos.put(m.uscc(), m);
                Map<Integer, MatchVisit> visits = new HashMap<>();
                for (MatchVisit v : PlanComputation.matchVisits(drawn.visits(), infos)) visits.put(v.visitNo(), v);
                Rematch.Replayed replayed = Rematch.replay(seed, visits, teams, inputs.inspectors(),
                        inputs.crossPoolSquads() == null ? null : new HashSet<>(inputs.crossPoolSquads()), replacements);
                for (String p : replayed.problems()) diffs.add(new VerifyReport.Difference(null, "替换记录：" + p, null, null, "replacements"));
                for (int k = 0; k < replacements.size(); k++) {
                    Rematch.Replacement r = replacements.get(k);
                    Long expected = replayed.expectedNew().get(k);
                    if (!Objects.equals(expected, r.newId())) {
                        replacementsOk = false;
                        diffs.add(new VerifyReport.Difference(r.visitNo(), "替换检查人员的记录与按种子重新随机匹配的结果不同", badges.getOrDefault(r.newId(), "#" + r.newId()),
                                expected == null ? "无符合条件的人员" : badges.getOrDefault(expected, "#" + expected), "replacements"));
                    }
                }
                if (!replayed.problems().isEmpty()) replacementsOk = false;
                List<String> lines = new ArrayList<>(drawn.visits().size());
                for (PlannedVisit v : drawn.visits()) {
                    lines.add(PlanComputation.visitLine(v.visitNo(), v.uscc(), v.windowStart(), v.windowEnd(), v.items(), v.strata(),
                            squads.get(v.visitNo()), replayed.teams().get(v.visitNo()), badges));
                }
                recomputed = lines;
            }
        } catch (IllegalStateException e) {
            diffs.add(new VerifyReport.Difference(null, "记录的匹配输入没有覆盖重新抽取出的全部商户", null, e.getMessage()));
        }
        replacementsOk &= replacementsAgainstRegister(replacements, own, badges, diffs);
        timings.put("match", (System.nanoTime() - t) / 1_000_000);

        t = System.nanoTime();
        Map<String, Long> merchantIds = new HashMap<>();
        for (MatchInputs.MerchantInfo m : inputs.merchants()) merchantIds.put(m.uscc(), m.merchantId());
        TreeMap<Integer, String> stored = storedLines(planId, badges, merchantIds, diffs);
        timings.put("readStored", (System.nanoTime() - t) / 1_000_000);

        Map<Integer, String> byNo = new HashMap<>();
        for (String line : recomputed) byNo.put(Integer.parseInt(line.substring(0, line.indexOf(','))), line);
        boolean visitsOk = true;
        for (Map.Entry<Integer, String> e : stored.entrySet()) {
            String again = byNo.get(e.getKey());
            if (!e.getValue().equals(again)) {
                visitsOk = false;
                diffs.add(new VerifyReport.Difference(e.getKey(), "访问记录与重新计算的结果不同", e.getValue(), again));
            }
        }
        for (Map.Entry<Integer, String> e : byNo.entrySet()) {
            if (!stored.containsKey(e.getKey())) {
                visitsOk = false;
                diffs.add(new VerifyReport.Difference(e.getKey(), "重新计算出的访问在库中不存在", null, e.getValue()));
            }
        }
        boolean resultOk = visitsOk && Objects.equals(recomputedSha, rec.resultSha256());
        if (!Objects.equals(recomputedSha, rec.resultSha256())) {
            diffs.add(new VerifyReport.Difference(null, "重新匹配的结果与计划生成时记录的结果摘要不符", rec.resultSha256(), recomputedSha, "resultSha256"));
        }
        boolean statusOk = statusAgainstRegister(planId, own, diffs);
        boolean fieldsOk = changed.isEmpty() && created != null && Objects.equals(committedRecord, recordSha);
        if (created != null && changed.isEmpty() && !Objects.equals(committedRecord, recordSha)) {
            diffs.add(new VerifyReport.Difference(null, "记录摘要与公示登记册不符", committedRecord, recordSha, "recordSha256"));
        }
        boolean identical = seedOk && candidatesOk && inputsOk && drawOk && resultOk && fieldsOk && registerOk && statusOk && replacementsOk
                && diffs.isEmpty();
        timings.put("total", (System.nanoTime() - t0) / 1_000_000);
        timings.put("jvmCpuTotal", (PlanService.processCpuNanos() - cpu0) / 1_000_000);
        String registeredAt = created == null ? null : created.recordedAt().atZone(EventService.ZONE).toOffsetDateTime().toString();
        String note = created == null || committedBeforeDraw ? null : "登记晚于抽取：本计划抽取于 "
                + row.createdAt().atZone(EventService.ZONE).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "，早于公示登记册启用，于 " + created.recordedAt().atZone(EventService.ZONE).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " 补登；核验只能证明补登之后计划未被改动，不能证明抽取前已公示种子承诺值";
        String summary = (identical ? "一致：按记录的随机种子、候选名单和匹配输入重新计算，结果与库中计划完全相同（" + stored.size() + " 户次"
                + (replacements.isEmpty() ? "" : "，含 " + replacements.size() + " 次人员替换") + "），各项记录与公示登记册上的"
                + (committedBeforeDraw ? "摘要一致" : "补登摘要一致")
                : "不一致：发现 " + diffs.size() + " 处差异" + (diffs.size() > MAX_DIFFERENCES ? "（列出前 " + MAX_DIFFERENCES + " 处）" : "")
                + (changed.isEmpty() ? "" : "；被改动的字段：" + String.join("、", changed.stream().map(f -> f + "（" + PlanRecord.label(f) + "）").toList()))
                + "，计划记录可能被改动") + (note == null ? "" : "。" + note);
        return new VerifyReport(planId, identical, summary, seedOk, candidatesOk, inputsOk, drawOk, resultOk, stored.size(), recomputed.size(),
                diffs.size() > MAX_DIFFERENCES ? diffs.subList(0, MAX_DIFFERENCES) : diffs,
                new VerifyReport.Digests(candidatesSha, drawSha, inputsSha, recomputedSha), timings, fieldsOk, registerOk, statusOk, replacementsOk,
                changed, recordSha, committedRecord, committedBeforeDraw, created == null ? null : created.kind(), registeredAt, note);
    }

    private static void flag(List<String> changed, List<VerifyReport.Difference> diffs, String field, String stored, String recomputed) {
        if (!changed.contains(field)) changed.add(field);
        diffs.add(new VerifyReport.Difference(null, "「" + PlanRecord.label(field) + "」与按记录的输入重新计算的值不符", stored, recomputed, field));
    }

    /** Stored fields that must agree with the recorded inputs, whatever the register says. */
    private static void consistency(PlanQueries.Recorded rec, PlanRecord row, MatchInputs inputs, List<String> changed,
                                    List<VerifyReport.Difference> diffs) {
        int weeks = VisitBuilder.weeks(row.periodStart(), row.periodEnd());
        if (row.weeks() != weeks) flag(changed, diffs, "weeks", String.valueOf(row.weeks()), String.valueOf(weeks));
        if (row.inspectorsPerVisit() != inputs.perVisit()) {
            flag(changed, diffs, "inspectorsPerVisit", String.valueOf(row.inspectorsPerVisit()), String.valueOf(inputs.perVisit()));
        }
        String pool = CanonicalJson.ofText(row.inspectorSquadsJson());
        String recorded = inputs.crossPoolSquads() == null ? "null" : CanonicalJson.write(new ObjectMapper().valueToTree(inputs.crossPoolSquads()));
        if (!pool.equals(recorded)) flag(changed, diffs, "inspectorSquads", pool, recorded);
        if (row.seedCommitment() == null || !row.seedCommitment().equals(rec.seedCommitment())) {
            flag(changed, diffs, "seedCommitment", row.seedCommitment(), rec.seedCommitment());
        }
    }

    /** The stored strata (published in the notice) against the strata of the recorded candidate list and the draw. */
    private void strataAgainstDraw(PlanRecord row, PlanComputation.Drawn drawn, List<String> changed, List<VerifyReport.Difference> diffs) {
        List<PlanSummary.StratumCount> storedStrata;
        try {
            storedStrata = json.readValue(row.strataJson(), new TypeReference<List<PlanSummary.StratumCount>>() { });
        } catch (IOException e) {
            flag(changed, diffs, "strata", "unreadable", null);
            return;
        }
        List<String> again = new ArrayList<>();
        for (Draw.Selection s : drawn.selections()) {
            again.add(s.stratum().itemCode() + "|" + s.stratum().name() + "|" + CandidateList.percent(s.stratum().basisPoints()) + "|"
                    + s.stratum().basisPoints() + "|" + s.stratum().weekly() + "|" + s.stratum().members().length + "|" + s.required() + "|" + s.drawn());
        }
        List<String> have = storedStrata.stream().map(s -> s.item() + "|" + s.stratum() + "|" + s.percent() + "|" + s.basisPoints() + "|"
                + s.weekly() + "|" + s.candidates() + "|" + s.required() + "|" + s.drawn()).toList();
        if (!new HashSet<>(have).equals(new HashSet<>(again)) || have.size() != again.size()) {
            List<String> onlyStored = have.stream().filter(h -> !again.contains(h)).toList();
            List<String> onlyAgain = again.stream().filter(a -> !have.contains(a)).toList();
            flag(changed, diffs, "strata", String.join("; ", onlyStored), String.join("; ", onlyAgain));
        }
    }

    private List<Rematch.Replacement> replacements(long planId) {
        List<Rematch.Replacement> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select visit_no, replaced_inspector_id, "
                + "new_inspector_id, unavailable::text from visit_replacement where plan_id = ? order by id")) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Rematch.Replacement(rs.getInt(1), rs.getLong(2), rs.getLong(3),
                            json.readValue(rs.getString(4), new TypeReference<List<String>>() { })));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading replacements failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** Every stored replacement has its register entry with the same visit, badges and unavailable list, and no entry lacks its row. */
    private static boolean replacementsAgainstRegister(List<Rematch.Replacement> stored, List<PlanRegister.Entry> own, Map<Long, String> badges,
                                                       List<VerifyReport.Difference> diffs) {
        List<String> registered = new ArrayList<>();
        for (PlanRegister.Entry e : own) {
            if (!e.kind().equals("INSPECTOR_REPLACED")) continue;
            JsonNode b = CanonicalJson.tree(e.body());
            List<String> unavailable = new ArrayList<>();
            b.path("unavailable").forEach(u -> unavailable.add(u.asText()));
            registered.add(b.path("visitNo").asInt() + "|" + b.path("replaced").asText() + "|" + b.path("replacement").asText() + "|" + unavailable);
        }
        List<String> rows = stored.stream().map(r -> r.visitNo() + "|" + badges.getOrDefault(r.replacedId(), "#" + r.replacedId()) + "|"
                + badges.getOrDefault(r.newId(), "#" + r.newId()) + "|" + r.unavailableBadges()).toList();
        if (rows.equals(registered)) return true;
        diffs.add(new VerifyReport.Difference(null, "人员替换记录与公示登记册不符", String.join("; ", rows), String.join("; ", registered), "replacements"));
        return false;
    }

    /** The status, its reason and officer, as the register's last cancel or void entry says (ACTIVE without one). */
    private boolean statusAgainstRegister(long planId, List<PlanRegister.Entry> own, List<VerifyReport.Difference> diffs) {
        String expected = "ACTIVE|null|null";
        for (PlanRegister.Entry e : own) {
            if (e.kind().equals("CANCELLED") || e.kind().equals("VOIDED")) {
                expected = e.kind() + "|" + CanonicalJson.tree(e.body()).path("reason").asText() + "|" + e.officer();
            }
        }
        String actual;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select status, status_reason, status_by from inspection_plan where id = ?")) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                actual = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the plan status failed: " + e.getMessage(), e);
        }
        if (expected.equals(actual)) return true;
        diffs.add(new VerifyReport.Difference(null, "「计划状态」（状态、理由、经办人）与公示登记册不符", actual, expected, "status"));
        return false;
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
