package cn.urbanmgmt.risk.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.engine.CompiledRules;
import cn.urbanmgmt.risk.grading.engine.GradingEngine;
import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.Reason;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import cn.urbanmgmt.risk.rules.Scenario;
import cn.urbanmgmt.risk.rules.ScenarioRunner;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scenarios run through exactly the production evaluation path: a few thousand random merchants with
 * random events (many at day boundaries in Shanghai and at the edge of the look-back, some corrected)
 * are stored in PostgreSQL and graded by the regrade path, and the same merchants and events, as a rule
 * author's scenarios, are run by the scenario runner. Grades, scores and fired rules must be equal.
 */
@QuarkusTest
class ScenarioParityTest {

    static final int MERCHANTS = 3000;

    @Inject
    GradingService grading;

    @Inject
    GradingEngine engine;

    @Inject
    AgroalDataSource dataSource;

    private static final ObjectMapper JSON = new ObjectMapper();

    record Ev(long id, long merchantId, String type, OffsetDateTime at, Object[] fields, boolean superseded) {
    }

    record M(long id, String uscc, String street, MerchantCategory category, boolean keyUnit, KeyUnitType keyType, MerchantStatus status,
             LocalDate openedOn, List<Ev> events) {
    }

    @Test
    void productionAndScenarioRunnerGradeRandomMerchantsAlike() throws Exception {
        LocalDate today = LocalDate.now(EventService.ZONE);
        Random rnd = new Random(20261203);
        long base = 7_000_000_000L + (System.currentTimeMillis() % 100_000) * 100_000;
        List<M> merchants = generate(rnd, base, today);
        List<Long> ids = merchants.stream().map(M::id).toList();
        try {
            store(merchants);
            // 1. The active rules: the real regrade path writes grades; the scenario runner evaluates scenarios.
            for (int i = 0; i < ids.size(); i += 1000) grading.regradeMerchants(ids.subList(i, Math.min(ids.size(), i + 1000)), today, "一致性测试");
            Map<Long, String> stored = storedGrades(ids);
            CompiledRules active = engine.active();
            List<String> mismatches = new ArrayList<>();
            for (M m : merchants) {
                ScenarioRunner.Result r = ScenarioRunner.run(scenario(m, today), active);
                String expected = r.actualGrade() + "/" + r.actualScore() + "/" + r.firedRules().stream().sorted().toList();
                if (!expected.equals(stored.get(m.id()))) mismatches.add(m.id() + ": production " + stored.get(m.id()) + ", scenario " + expected);
            }
            assertEquals(List.of(), mismatches.stream().limit(10).toList(), mismatches.size() + " of " + MERCHANTS + " differ");

            // 2. Rules that count every event they see, so every window edge shows: production fact reading and
            //    evaluation (GradingService.grade) against the scenario runner.
            Map<String, String> files = new HashMap<>(RuleSource.fromDirectory(Path.of("rules"), "grading").files());
            files.put("grading/90-parity.drl", """
                    package grading;
                    import cn.urbanmgmt.risk.grading.model.*;
                    global Assessment assessment;
                    rule "一致性测试：每个计入的事件加 1 分"
                    when
                        $e : EventFact()
                    then
                        assessment.addPoints(1, "事件 " + $e.getEventId());
                    end
                    """);
            RuleCompiler.Result compiled = RuleCompiler.compile(RuleSource.of(files));
            assertTrue(compiled.ok(), compiled.problems().toString());
            CompiledRules counting = compiled.rules();
            try {
                Map<Long, String> production = new HashMap<>();
                grading.readIds(ids, today, counting.lookBackDays(), facts -> {
                    GradeStore.Graded g = GradingService.grade(counting, facts, 0);
                    production.put(g.merchantId(), g.grade() + "/" + g.score() + "/" + g.reasons().stream().map(Reason::text).sorted().toList());
                });
                int counted = 0;
                mismatches.clear();
                for (M m : merchants) {
                    ScenarioRunner.Result r = ScenarioRunner.run(scenario(m, today), counting);
                    String expected = r.actualGrade() + "/" + r.actualScore() + "/" + r.reasons().stream().map(Reason::text).sorted().toList();
                    counted += r.reasons().stream().filter(x -> x.text().startsWith("事件 ")).count();
                    if (!expected.equals(production.get(m.id()))) mismatches.add(m.id() + ": production " + production.get(m.id()) + ", scenario " + expected);
                }
                assertEquals(List.of(), mismatches.stream().limit(10).toList(), mismatches.size() + " of " + MERCHANTS + " differ");
                long all = merchants.stream().mapToLong(m -> m.events().stream().filter(e -> !e.superseded()).count()).sum();
                assertTrue(counted > 0 && counted < all, "the look-back drops some events and keeps others: " + counted + " of " + all);
            } finally {
                counting.release();
            }
        } finally {
            cleanUp(ids);
        }
    }

    // ---- random district ---------------------------------------------------------------------------

    private static final String[] STREETS = {"jingansi", "caojiadu", "jiangninglu", "nanjingxilu", "baoshanlu", "daninglu"};
    private static final String[] COMPLAINTS = {"油烟扰民", "噪声扰民", "占道经营", "垃圾乱堆"};
    private static final String[] ITEMS = {"GS-01", "GS-02", "FS-01", "LJ-01"};
    private static final String[] DETECTIONS = {"占道经营", "乱设摊", "违规广告"};

    List<M> generate(Random rnd, long base, LocalDate today) {
        List<M> out = new ArrayList<>();
        long eventId = base + 10_000;
        int lookBack = engine.active().lookBackDays();
        int[] edges = {0, 1, 2, 364, 365, 366, 729, 730, 731, lookBack - 1, lookBack, lookBack + 1, lookBack + 2};
        for (int i = 0; i < MERCHANTS; i++) {
            long id = base + i;
            MerchantCategory cat = MerchantCategory.values()[rnd.nextInt(MerchantCategory.values().length)];
            boolean key = rnd.nextInt(5) == 0;
            KeyUnitType keyType = key ? KeyUnitType.values()[rnd.nextInt(KeyUnitType.values().length)] : null;
            MerchantStatus status = rnd.nextInt(10) == 0 ? MerchantStatus.SUSPENDED : MerchantStatus.OPERATING;
            List<Ev> events = new ArrayList<>();
            int n = rnd.nextInt(9);
            for (int k = 0; k < n; k++) {
                int daysAgo = rnd.nextInt(3) == 0 ? edges[rnd.nextInt(edges.length)] : rnd.nextInt(lookBack + 60);
                LocalTime time = switch (rnd.nextInt(4)) {
                    case 0 -> LocalTime.MIDNIGHT;
                    case 1 -> LocalTime.of(23, 59, 59);
                    default -> LocalTime.of(rnd.nextInt(24), rnd.nextInt(60));
                };
                OffsetDateTime at = today.minusDays(daysAgo).atTime(time).atZone(EventService.ZONE).toOffsetDateTime();
                String type = new String[]{"CASE", "CASE", "COMPLAINT", "COMPLAINT", "INSPECTION", "CREDIT", "DETECTION"}[rnd.nextInt(7)];
                Object[] f = switch (type) {
                    case "CASE" -> new Object[]{"PA-" + eventId, ViolationType.values()[rnd.nextInt(ViolationType.values().length)],
                            Severity.values()[rnd.nextInt(Severity.values().length)], BigDecimal.valueOf(rnd.nextInt(500_000), 2), rnd.nextBoolean(),
                            rnd.nextBoolean() ? null : today.minusDays(rnd.nextInt(Math.max(1, daysAgo + 1)))};
                    case "COMPLAINT" -> new Object[]{ComplaintChannel.values()[rnd.nextInt(ComplaintChannel.values().length)],
                            COMPLAINTS[rnd.nextInt(COMPLAINTS.length)], rnd.nextInt(3) == 0 ? null : rnd.nextBoolean()};
                    case "INSPECTION" -> new Object[]{ITEMS[rnd.nextInt(ITEMS.length)], InspectionOutcome.values()[rnd.nextInt(InspectionOutcome.values().length)],
                            rnd.nextBoolean() ? null : BigDecimal.valueOf(rnd.nextInt(10_000), 2),
                            rnd.nextBoolean() ? List.of() : List.of(new Deduction(ITEMS[rnd.nextInt(ITEMS.length)], rnd.nextInt(20)))};
                    case "CREDIT" -> new Object[]{CreditAction.values()[rnd.nextInt(CreditAction.values().length)]};
                    default -> new Object[]{DetectionSource.values()[rnd.nextInt(DetectionSource.values().length)], DETECTIONS[rnd.nextInt(DETECTIONS.length)]};
                };
                events.add(new Ev(eventId++, id, type, at, f, rnd.nextInt(20) == 0));
            }
            out.add(new M(id, TestSupport.uscc(), STREETS[rnd.nextInt(STREETS.length)], cat, key, keyType, status,
                    today.minusDays(rnd.nextInt(4000)), events));
        }
        return out;
    }

    /** The scenario a rule author would write for this merchant: its (uncorrected) events by date, evaluated today. */
    static Scenario scenario(M m, LocalDate today) {
        MerchantFact mf = new MerchantFact(m.id(), m.uscc(), "一致性测试商户" + m.id(), m.street(), m.category(), m.keyUnit(), m.keyType(), m.status(),
                m.openedOn(), today);
        List<EventFact> events = new ArrayList<>();
        for (Ev e : m.events()) {
            if (e.superseded()) continue;
            LocalDate on = e.at().atZoneSameInstant(EventService.ZONE).toLocalDate();
            Object[] f = e.fields();
            events.add(switch (e.type()) {
                case "CASE" -> new CaseFact(e.id(), on, today, (String) f[0], (ViolationType) f[1], (Severity) f[2], ((BigDecimal) f[3]).doubleValue(),
                        (Boolean) f[4], (LocalDate) f[5]);
                case "COMPLAINT" -> new ComplaintFact(e.id(), on, today, (ComplaintChannel) f[0], (String) f[1], (Boolean) f[2], null);
                case "INSPECTION" -> new InspectionFact(e.id(), on, today, (String) f[0], (InspectionOutcome) f[1],
                        f[2] == null ? null : ((BigDecimal) f[2]).doubleValue(), castDeductions(f[3]));
                case "CREDIT" -> new CreditFact(e.id(), on, today, (CreditAction) f[0]);
                default -> new DetectionFact(e.id(), on, today, (DetectionSource) f[0], (String) f[1]);
            });
        }
        return new Scenario("parity", 0, "一致性测试 " + m.id(), today, mf, events, new Scenario.Expectation(null, null, List.of(), List.of()));
    }

    @SuppressWarnings("unchecked")
    private static List<Deduction> castDeductions(Object o) {
        return (List<Deduction>) o;
    }

    // ---- storage --------------------------------------------------------------------------------------

    void store(List<M> merchants) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement pm = c.prepareStatement("""
                    insert into merchant (id, uscc, name, address, street_code, category, key_unit, key_unit_type, status, opened_on)
                    values (?, ?, ?, '上海市静安区一致性测试路1号', ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement pe = c.prepareStatement("""
                         insert into merchant_event (id, merchant_id, type, source, source_id, occurred_at, recorded_by, case_no, violation_type,
                             severity, fine_yuan, from_complaint, closed_on, channel, complaint_category, verified, item_code, outcome, score,
                             deductions, credit_action, detection_source, detection_type)
                         values (?, ?, ?, 'parity', ?, ?, 'parity-test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")) {
                for (M m : merchants) {
                    pm.setLong(1, m.id());
                    pm.setString(2, m.uscc());
                    pm.setString(3, "一致性测试商户" + m.id());
                    pm.setString(4, m.street());
                    pm.setString(5, m.category().name());
                    pm.setBoolean(6, m.keyUnit());
                    pm.setString(7, m.keyType() == null ? null : m.keyType().name());
                    pm.setString(8, m.status().name());
                    pm.setObject(9, m.openedOn());
                    pm.addBatch();
                    for (Ev e : m.events()) {
                        Object[] v = new Object[15];
                        Object[] f = e.fields();
                        switch (e.type()) {
                            case "CASE" -> {
                                v[0] = f[0]; v[1] = name(f[1]); v[2] = name(f[2]); v[3] = f[3]; v[4] = f[4]; v[5] = f[5];
                            }
                            case "COMPLAINT" -> {
                                v[6] = name(f[0]); v[7] = f[1]; v[8] = f[2];
                            }
                            case "INSPECTION" -> {
                                v[9] = f[0]; v[10] = name(f[1]); v[11] = f[2]; v[12] = JSON.writeValueAsString(f[3]);
                            }
                            case "CREDIT" -> v[13] = name(f[0]);
                            default -> {
                                v[14] = name(f[0]);
                                pe.setObject(21, f[1]);
                            }
                        }
                        pe.setLong(1, e.id());
                        pe.setLong(2, e.merchantId());
                        pe.setString(3, e.type());
                        pe.setString(4, "P" + e.id());
                        pe.setObject(5, e.at());
                        for (int k = 0; k < 15; k++) {
                            int p = 6 + k;
                            if (v[k] == null) pe.setNull(p, Types.NULL);
                            else pe.setObject(p, v[k]);
                        }
                        if (!"DETECTION".equals(e.type())) pe.setNull(21, Types.VARCHAR);
                        pe.addBatch();
                    }
                }
                pm.executeBatch();
                pe.executeBatch();
            }
            // Corrections: a superseded event points at a later one of the same merchant (or itself when it has none).
            try (PreparedStatement ps = c.prepareStatement("update merchant_event set superseded_by = ? where id = ?")) {
                for (M m : merchants) {
                    for (Ev e : m.events()) {
                        if (!e.superseded()) continue;
                        ps.setLong(1, e.id());
                        ps.setLong(2, e.id());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    private static String name(Object o) {
        return o == null ? null : ((Enum<?>) o).name();
    }

    Map<Long, String> storedGrades(List<Long> ids) throws Exception {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select g.merchant_id, g.grade, g.score, coalesce((select array_agg(r->>'rule' order by r->>'rule') from jsonb_array_elements(g.reasons) r), '{}')
                     from merchant_grade g where g.merchant_id = any(?)""")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> rules = new ArrayList<>(List.of((String[]) rs.getArray(4).getArray()));
                    out.put(rs.getLong(1), rs.getString(2) + "/" + rs.getInt(3) + "/" + rules.stream().distinct().sorted().toList());
                }
            }
        }
        return out;
    }

    void cleanUp(List<Long> ids) throws Exception {
        TestMerchants.delete(dataSource, ids);
    }
}
