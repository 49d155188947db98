package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.EventType;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.MerchantEvent;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.Reason;
import cn.urbanmgmt.risk.registry.Merchant;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantService;
import cn.urbanmgmt.risk.registry.ReferenceData;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What squads and planners ask of grades: one merchant's explanation and history, and the distribution. */
@ApplicationScoped
public class GradeQueryService {

    @Inject
    MerchantService merchants;

    @Inject
    ReferenceData refs;

    @Inject
    EntityManager em;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .findAndRegisterModules();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventSummary(long id, String type, String typeName, OffsetDateTime occurredAt, String source, String sourceId, String summary) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExplainedReason(String rule, Integer points, Grade floor, String text, List<EventSummary> events) {
    }

    public record Explanation(long merchantId, String uscc, String name, Grade grade, String gradeName, int score,
                              String ruleSetVersion, OffsetDateTime evaluatedAt, LocalDate evaluationDate,
                              List<ExplainedReason> reasons) {
    }

    public record GradeCounts(long total, Map<Grade, Long> counts, Map<Grade, Double> shares) {
    }

    public record Group(String key, String name, GradeCounts grades) {
    }

    public record Distribution(String by, GradeCounts overall, List<Group> groups) {
    }

    public record TrendPoint(LocalDate day, GradeCounts grades) {
    }

    /** Merchant and grade in one round trip: the look-up squads make all day long. */
    private static final String EXPLAIN = """
            select m.uscc, m.name, m.street_code, g.grade, g.score, g.rule_set_version, g.evaluated_at, g.evaluation_date, g.reasons::text
            from merchant m left join merchant_grade g on g.merchant_id = m.id where m.id = ?""";
    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };

    public Explanation explain(long merchantId, Actor actor) {
        String uscc;
        String name;
        Grade grade;
        int score;
        String version;
        OffsetDateTime evaluatedAt;
        LocalDate evaluationDate;
        List<Reason> stored;
        Map<Long, EventSummary> events;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(EXPLAIN)) {
                ps.setLong(1, merchantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !actor.scope().covers(rs.getString(3))) throw MerchantService.notFound(merchantId);
                    uscc = rs.getString(1);
                    name = rs.getString(2);
                    if (rs.getString(4) == null) throw ProblemException.notFound("商户 " + uscc + " 尚未评级");
                    grade = Grade.valueOf(rs.getString(4));
                    score = rs.getInt(5);
                    version = rs.getString(6);
                    evaluatedAt = rs.getObject(7, OffsetDateTime.class);
                    evaluationDate = rs.getObject(8, LocalDate.class);
                    stored = JSON.readValue(rs.getString(9), REASONS);
                }
            }
            Set<Long> ids = stored.stream().flatMap(r -> r.eventIds() == null ? java.util.stream.Stream.<Long>empty() : r.eventIds().stream())
                    .collect(Collectors.toSet());
            events = summaries(c, ids);
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("reading the grade of merchant " + merchantId + " failed: " + e.getMessage(), e);
        }
        List<ExplainedReason> reasons = new ArrayList<>();
        for (Reason r : stored) {
            List<EventSummary> evs = r.eventIds() == null ? List.of() : r.eventIds().stream().map(events::get).filter(java.util.Objects::nonNull).toList();
            reasons.add(new ExplainedReason(r.rule(), r.points(), r.floor(), r.text(), evs));
        }
        return new Explanation(merchantId, uscc, name, grade, gradeName(grade), score, version, evaluatedAt, evaluationDate, reasons);
    }

    public static String gradeName(Grade g) {
        return g.colour() + "色（" + g.label() + "）";
    }

    /** The events behind the reasons, read on the same connection (one round trip; no ORM session per look-up). */
    private static Map<Long, EventSummary> summaries(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, EventSummary> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("""
                select id, type, occurred_at, source, source_id, case_no, violation_type, severity, fine_yuan, complaint_category,
                       verified, item_code, outcome, score, credit_action, detection_source, detection_type
                from merchant_event where id = any(?)""")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MerchantEvent e = new MerchantEvent();
                    e.id = rs.getLong(1);
                    e.type = EventType.valueOf(rs.getString(2));
                    e.occurredAt = rs.getObject(3, OffsetDateTime.class);
                    e.source = rs.getString(4);
                    e.sourceId = rs.getString(5);
                    e.caseNo = rs.getString(6);
                    e.violationType = enumOrNull(ViolationType.class, rs.getString(7));
                    e.severity = enumOrNull(Severity.class, rs.getString(8));
                    e.fineYuan = rs.getBigDecimal(9);
                    e.complaintCategory = rs.getString(10);
                    e.verified = rs.getObject(11, Boolean.class);
                    e.itemCode = rs.getString(12);
                    e.outcome = enumOrNull(InspectionOutcome.class, rs.getString(13));
                    e.score = rs.getBigDecimal(14);
                    e.creditAction = enumOrNull(CreditAction.class, rs.getString(15));
                    e.detectionSource = enumOrNull(DetectionSource.class, rs.getString(16));
                    e.detectionType = rs.getString(17);
                    out.put(e.id, new EventSummary(e.id, e.type.name(), e.type.label(), e.occurredAt, e.source, e.sourceId, summary(e)));
                }
            }
        }
        return out;
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** One line describing an event, as the explanation and the web console show it. */
    public static String summary(MerchantEvent e) {
        return switch (e.type) {
            case CASE -> "案件 " + e.caseNo + "：" + e.violationType.label() + "，" + e.severity.label()
                    + (e.fineYuan == null ? "" : "，罚款 " + e.fineYuan.stripTrailingZeros().toPlainString() + " 元");
            case COMPLAINT -> "投诉（" + e.complaintCategory + "）" + (e.verified == null ? "待核实" : e.verified ? "属实" : "不属实");
            case INSPECTION -> "检查 " + e.itemCode + "：" + e.outcome.label() + (e.score == null ? "" : "，得分 " + e.score.stripTrailingZeros().toPlainString());
            case CREDIT -> e.creditAction.label();
            case DETECTION -> e.detectionSource.label() + "发现：" + e.detectionType;
        };
    }

    public List<GradeHistoryRow> history(long merchantId, Actor actor) {
        merchants.get(merchantId, actor);
        return GradeHistoryRow.list("merchantId = ?1 order by changedAt, id", merchantId);
    }

    /** Counts and shares per grade overall and per street or category; closed merchants excluded. */
    public Distribution distribution(String by, String street, String category, Actor actor) {
        String groupColumn = switch (by == null ? "street" : by) {
            case "street" -> "m.street_code";
            case "category" -> "m.category";
            default -> throw ProblemException.invalidField("by", "分组方式“" + by + "”无效，可选：street（按街镇）、category（按行业）");
        };
        StringBuilder sql = new StringBuilder("select " + groupColumn + ", g.grade, count(*) from merchant m join merchant_grade g "
                + "on g.merchant_id = m.id where m.status <> 'CLOSED'");
        Map<String, Object> params = new LinkedHashMap<>();
        if (actor.scope().streets() != null) {
            sql.append(" and m.street_code in (:scope)");
            params.put("scope", actor.scope().streets());
        }
        if (street != null && !street.isBlank()) {
            var s = refs.resolveStreet(street);
            if (s == null) throw ProblemException.invalidField("street", "街镇“" + street + "”不存在，可选：" + refs.allowedStreets());
            sql.append(" and m.street_code = :street");
            params.put("street", s.code);
        }
        if (category != null && !category.isBlank()) {
            MerchantCategory c = cn.urbanmgmt.risk.common.Labelled.parse(MerchantCategory.class, category);
            if (c == null) throw ProblemException.invalidField("category", "行业类别“" + category + "”不存在");
            sql.append(" and m.category = :category");
            params.put("category", c.name());
        }
        sql.append(" group by 1, 2");
        var q = em.createNativeQuery(sql.toString());
        params.forEach(q::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        Map<String, Map<Grade, Long>> byKey = new TreeMap<>();
        Map<Grade, Long> overall = new EnumMap<>(Grade.class);
        for (Object[] r : rows) {
            Grade g = Grade.valueOf((String) r[1]);
            long n = ((Number) r[2]).longValue();
            byKey.computeIfAbsent((String) r[0], k -> new EnumMap<>(Grade.class)).merge(g, n, Long::sum);
            overall.merge(g, n, Long::sum);
        }
        List<Group> groups = new ArrayList<>();
        if (groupColumn.equals("m.street_code")) {
            for (var s : refs.streets()) {
                if (byKey.containsKey(s.code)) groups.add(new Group(s.code, s.name, counts(byKey.get(s.code))));
            }
        } else {
            for (MerchantCategory c : MerchantCategory.values()) {
                if (byKey.containsKey(c.name())) groups.add(new Group(c.name(), c.label(), counts(byKey.get(c.name()))));
            }
        }
        return new Distribution(by == null ? "street" : by, counts(overall), groups);
    }

    /** Daily counts recorded after each full regrade, within the caller's streets. */
    public List<TrendPoint> trend(LocalDate from, LocalDate to, Actor actor) {
        StringBuilder sql = new StringBuilder("select day, grade, sum(merchants) from grade_daily_count where day between :from and :to");
        if (actor.scope().streets() != null) sql.append(" and street_code in (:scope)");
        sql.append(" group by day, grade order by day");
        var q = em.createNativeQuery(sql.toString()).setParameter("from", from).setParameter("to", to);
        if (actor.scope().streets() != null) q.setParameter("scope", actor.scope().streets());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        Map<LocalDate, Map<Grade, Long>> byDay = new TreeMap<>();
        for (Object[] r : rows) {
            LocalDate day = r[0] instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) r[0];
            byDay.computeIfAbsent(day, k -> new EnumMap<>(Grade.class)).put(Grade.valueOf((String) r[1]), ((Number) r[2]).longValue());
        }
        return byDay.entrySet().stream().map(e -> new TrendPoint(e.getKey(), counts(e.getValue()))).toList();
    }

    /** Counts per grade (every grade present) and shares in percent. */
    public static GradeCounts counts(Map<Grade, Long> raw) {
        Map<Grade, Long> counts = new EnumMap<>(Grade.class);
        long total = 0;
        for (Grade g : Grade.values()) {
            long n = raw.getOrDefault(g, 0L);
            counts.put(g, n);
            total += n;
        }
        Map<Grade, Double> shares = new EnumMap<>(Grade.class);
        for (Grade g : Grade.values()) {
            shares.put(g, total == 0 ? 0.0 : Math.round(counts.get(g) * 100_000.0 / total) / 1000.0);
        }
        return new GradeCounts(total, counts, shares);
    }
}
