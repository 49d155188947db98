package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.JdbcTransaction;
import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.matching.MatchVisit;
import cn.urbanmgmt.risk.inspection.matching.Rematch;
import cn.urbanmgmt.risk.inspection.register.CanonicalJson;
import cn.urbanmgmt.risk.inspection.register.PlanRegister;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What happens to a plan after it is drawn: cancelled (before any result) or voided (at any time),
 * each with a reason and the officer, entered on the public register; and an inspector of a visit
 * replaced by a recorded random re-match ({@link Rematch}), also on the register and re-run by verify.
 */
@ApplicationScoped
public class PlanLifecycle {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    PlanQueries queries;

    @Schema(description = "取消或作废计划的理由")
    public record StatusChange(@Schema(description = "理由（4 到 500 字），将在公示登记册上公开") String reason) {
    }

    @Schema(description = "替换某户次的一名检查人员")
    public record ReplaceRequest(
            @Schema(description = "被替换人员的执法证号") String badgeNo,
            @Schema(description = "ILLNESS（因病等无法到岗）、CONFLICT（新申报的回避）或 OTHER") String kind,
            @Schema(description = "理由（4 到 500 字），将在公示登记册上公开") String reason,
            @Schema(description = "另外不能参加的人员（执法证号），如同时请假；会记录在替换记录中") List<String> unavailable) {
    }

    public record Replaced(long planId, int visitNo, String replaced, String replacement, String replacementName, int round,
                           List<String> unavailable, String entrySha256) {
    }

    public PlanView cancel(long planId, StatusChange change, Actor actor) {
        return changeStatus(planId, change, actor, PlanRegister.Kind.CANCELLED);
    }

    public PlanView voidPlan(long planId, StatusChange change, Actor actor) {
        return changeStatus(planId, change, actor, PlanRegister.Kind.VOIDED);
    }

    private PlanView changeStatus(long planId, StatusChange change, Actor actor, PlanRegister.Kind kind) {
        String reason = reason(change == null ? null : change.reason());
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        inTransaction(c -> {
            String status = lockPlan(c, planId);
            if (!status.equals("ACTIVE")) {
                throw ProblemException.conflict("计划 #" + planId + " 已" + ("CANCELLED".equals(status) ? "取消" : "作废") + "，不能再" + verb(kind));
            }
            if (kind == PlanRegister.Kind.CANCELLED) {
                try (PreparedStatement ps = c.prepareStatement("select count(*) from inspection_result where plan_id = ?")) {
                    ps.setLong(1, planId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            throw ProblemException.conflict("计划 #" + planId + " 已登记了 " + rs.getLong(1) + " 条检查结果，不能取消；如计划有误，请作废（void）");
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update inspection_plan set status = ?, status_reason = ?, status_by = ?, status_at = ? "
                    + "where id = ?")) {
                ps.setString(1, kind.name());
                ps.setString(2, reason);
                ps.setString(3, actor.username());
                ps.setTimestamp(4, java.sql.Timestamp.from(at));
                ps.setLong(5, planId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update plan_visit set status = 'CANCELLED' where plan_id = ? and status = 'PENDING'")) {
                ps.setLong(1, planId);
                ps.executeUpdate();
            }
            ObjectNode body = CanonicalJson.object();
            body.put("reason", reason);
            PlanRegister.append(c, planId, kind, actor.username(), at, body);
            return null;
        });
        return queries.view(planId);
    }

    private static String verb(PlanRegister.Kind kind) {
        return kind == PlanRegister.Kind.CANCELLED ? "取消" : "作废";
    }

    public Replaced replaceInspector(long planId, int visitNo, ReplaceRequest req, Actor actor) {
        List<FieldError> errors = new ArrayList<>();
        if (req == null) throw ProblemException.badRequest("请求体不能为空：请提交被替换人员的执法证号（badgeNo）、类型（kind）和理由（reason）");
        String badge = req.badgeNo() == null ? null : req.badgeNo().strip();
        if (badge == null || badge.isEmpty()) errors.add(FieldError.of("badgeNo", "请填写被替换人员的执法证号"));
        String kind = req.kind() == null ? null : req.kind().strip().toUpperCase(Locale.ROOT);
        if (kind == null || !List.of("ILLNESS", "CONFLICT", "OTHER").contains(kind)) {
            errors.add(new FieldError(null, "kind", req.kind(), "替换类型应为 ILLNESS（因病等无法到岗）、CONFLICT（新申报的回避）或 OTHER（其他）"));
        }
        String reason = null;
        try {
            reason = reason(req.reason());
        } catch (ProblemException e) {
            errors.addAll(e.problem().errors());
        }
        if (!errors.isEmpty()) throw ProblemException.validation("替换检查人员的请求有误：" + errors.get(0).message(), errors);
        Set<String> named = new LinkedHashSet<>();
        if (req.unavailable() != null) req.unavailable().stream().filter(u -> u != null && !u.isBlank()).map(String::strip).forEach(named::add);
        String finalReason = reason;
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return inTransaction(c -> {
            String status = lockPlan(c, planId);
            if (!status.equals("ACTIVE")) throw ProblemException.conflict("计划 #" + planId + " 已取消或作废，不能替换检查人员");
            Object[] plan = planInputs(c, planId);
            String seedHex = (String) plan[0];
            MatchInputs inputs = json.readValue(PlanStore.gunzip((byte[]) plan[1]), MatchInputs.class);
            LocalDate periodEnd = (LocalDate) plan[2];
            Map<Integer, long[]> teams = new HashMap<>();
            Map<Integer, Object[]> visits = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select visit_no, uscc, window_start, array_to_string(item_codes, ';'), "
                    + "array_to_string(inspector_ids, ';'), status, id from plan_visit where plan_id = ?")) {
                ps.setLong(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        teams.put(rs.getInt(1), java.util.Arrays.stream(rs.getString(5).split(";")).mapToLong(Long::parseLong).toArray());
                        visits.put(rs.getInt(1), new Object[]{rs.getString(2), rs.getObject(3, LocalDate.class), rs.getString(4), rs.getString(6), rs.getLong(7)});
                    }
                }
            }
            Object[] v = visits.get(visitNo);
            if (v == null) throw ProblemException.notFound("计划 #" + planId + " 没有第 " + visitNo + " 户次");
            if (!"PENDING".equals(v[3])) throw ProblemException.conflict("第 " + visitNo + " 户次已完成，不能再替换检查人员");
            Map<String, MatchInspector> byBadge = new HashMap<>();
            for (MatchInspector i : inputs.inspectors()) byBadge.put(i.badgeNo(), i);
            MatchInspector out = byBadge.get(badge);
            long[] team = teams.get(visitNo);
            if (out == null || java.util.Arrays.stream(team).noneMatch(id -> id == out.id())) {
                throw new ProblemException(Problem.of(400, "输入校验未通过", "执法证号为 " + badge + " 的人员不在第 " + visitNo + " 户次的检查人员中")
                        .withErrors(List.of(new FieldError(null, "badgeNo", badge, "不在该户次的检查人员中"))));
            }
            for (String u : named) {
                if (!byBadge.containsKey(u)) {
                    throw new ProblemException(Problem.of(400, "输入校验未通过", "执法证号 " + u + " 不在本计划的人员池中")
                            .withErrors(List.of(new FieldError(null, "unavailable", u, "不在本计划记录的人员池中"))));
                }
            }
            MatchInputs.MerchantInfo merchant = inputs.merchants().stream().filter(m -> m.uscc().equals(v[0])).findFirst().orElseThrow();
            // The registry as it is now: who has left or declared a conflict since the plan was drawn is ruled out, and recorded.
            Set<String> unavailable = new java.util.TreeSet<>(named);
            unavailable.addAll(nowUnavailable(c, inputs, merchant));
            unavailable.remove(badge);
            List<Rematch.Replacement> earlier = new ArrayList<>();
            Map<Integer, MatchVisit> matchVisits = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select visit_no, replaced_inspector_id, new_inspector_id, unavailable::text "
                    + "from visit_replacement where plan_id = ? order by id")) {
                ps.setLong(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        earlier.add(new Rematch.Replacement(rs.getInt(1), rs.getLong(2), rs.getLong(3),
                                json.readValue(rs.getString(4), new TypeReference<List<String>>() { })));
                    }
                }
            }
            MatchVisit mv = new MatchVisit(visitNo, merchant.uscc(), v[1].toString(), merchant.squad(), merchant.contactName(),
                    List.of(((String) v[2]).split(";")), merchant.previousBadges());
            matchVisits.put(visitNo, mv);
            Set<Long> replacedOut = new HashSet<>();
            for (Rematch.Replacement r : earlier) if (r.visitNo() == visitNo) replacedOut.add(r.replacedId());
            replacedOut.add(out.id());
            int round = (int) earlier.stream().filter(r -> r.visitNo() == visitNo).count() + 1;
            Map<Long, Integer> loads = new HashMap<>();
            for (long[] t : teams.values()) for (long id : t) loads.merge(id, 1, Integer::sum);
            List<MatchInspector> ranked = Rematch.ranked(HexFormat.of().parseHex(seedHex), mv, round, inputs.inspectors(),
                    inputs.crossPoolSquads() == null ? null : new HashSet<>(inputs.crossPoolSquads()), team, replacedOut, unavailable, loads);
            if (ranked.isEmpty()) {
                throw new ProblemException(Problem.of(422, "没有可替换的检查人员", "第 " + visitNo + " 户次在本计划记录的人员池中没有其他符合条件的人员"
                        + "（在岗、具备全部事项资格、无回避、不在该户次、未被替换出该户次" + (unavailable.isEmpty() ? "" : "，且不在不可参加名单 " + unavailable) + "）"
                        + "；请作废本计划后重新生成，或补充人员后重新生成")
                        .withErrors(List.of(new FieldError(null, "badgeNo", badge, "没有符合条件的替换人员"))));
            }
            MatchInspector in = ranked.get(0);
            long[] updated = team.clone();
            for (int s = 0; s < updated.length; s++) if (updated[s] == out.id()) updated[s] = in.id();
            try (PreparedStatement ps = c.prepareStatement("update plan_visit set inspector_ids = ? where plan_id = ? and visit_no = ?")) {
                ps.setArray(1, c.createArrayOf("bigint", java.util.Arrays.stream(updated).boxed().toArray()));
                ps.setLong(2, planId);
                ps.setInt(3, visitNo);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into visit_replacement (id, plan_id, visit_no, replaced_inspector_id, "
                    + "new_inspector_id, kind, reason, unavailable, recorded_by, recorded_at) values (nextval('visit_replacement_seq'), ?, ?, ?, ?, ?, ?, "
                    + "?::jsonb, ?, ?)")) {
                ps.setLong(1, planId);
                ps.setInt(2, visitNo);
                ps.setLong(3, out.id());
                ps.setLong(4, in.id());
                ps.setString(5, kind);
                ps.setString(6, finalReason);
                ps.setString(7, json.writeValueAsString(new ArrayList<>(unavailable)));
                ps.setString(8, actor.username());
                ps.setTimestamp(9, java.sql.Timestamp.from(at));
                ps.executeUpdate();
            }
            ObjectNode body = CanonicalJson.object();
            body.put("visitNo", visitNo);
            body.put("round", round);
            body.put("replaced", out.badgeNo());
            body.put("replacement", in.badgeNo());
            body.put("replacementKind", kind);
            body.put("reason", finalReason);
            unavailable.forEach(body.putArray("unavailable")::add);
            PlanRegister.Entry e = PlanRegister.append(c, planId, PlanRegister.Kind.INSPECTOR_REPLACED, actor.username(), at, body);
            return new Replaced(planId, visitNo, out.badgeNo(), in.badgeNo(), in.name(), round, new ArrayList<>(unavailable), e.entrySha256());
        });
    }

    /** Pool inspectors who are now inactive or have now declared a conflict with the merchant or its contact person. */
    private Set<String> nowUnavailable(Connection c, MatchInputs inputs, MatchInputs.MerchantInfo merchant) throws SQLException, IOException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select badge_no, active, conflict_usccs::text, conflict_persons::text from inspector "
                + "where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", inputs.inspectors().stream().map(MatchInspector::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> usccs = json.readValue(rs.getString(3), PlanService.STRINGS);
                    List<String> persons = json.readValue(rs.getString(4), PlanService.STRINGS);
                    if (!rs.getBoolean(2) || usccs.contains(merchant.uscc())
                            || merchant.contactName() != null && persons.contains(merchant.contactName())) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    private static Object[] planInputs(Connection c, long planId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select seed, match_inputs, period_end from inspection_plan where id = ?")) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Object[]{rs.getString(1), rs.getBytes(2), rs.getObject(3, LocalDate.class)};
            }
        }
    }

    /** Locks the plan row; its status. */
    private static String lockPlan(Connection c, long planId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from inspection_plan where id = ? for update")) {
            ps.setLong(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw ProblemException.notFound("编号为 " + planId + " 的抽查计划不存在");
                return rs.getString(1);
            }
        }
    }

    static String reason(String text) {
        List<FieldError> errors = new ArrayList<>();
        String r = text == null || text.isBlank() ? null : text.strip();
        if (r == null) errors.add(FieldError.of("reason", "请填写理由，它将在公示登记册上公开"));
        else if (r.length() < 4) errors.add(new FieldError(null, "reason", r, "理由太短：请写明原因（至少 4 个字）"));
        else if (r.length() > PlanRequests.MAX_REASON) {
            errors.add(new FieldError(null, "reason", r.substring(0, 20) + "…", "理由不能超过 " + PlanRequests.MAX_REASON + " 个字符（现有 " + r.length() + " 个）"));
        }
        if (!errors.isEmpty()) throw ProblemException.validation(errors.get(0).message(), errors);
        return r;
    }

    private <T> T inTransaction(JdbcTransaction.Work<T> work) {
        return JdbcTransaction.run(dataSource, "changing the plan", work);
    }
}
