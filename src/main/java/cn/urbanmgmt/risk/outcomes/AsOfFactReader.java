package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.events.Severity;
import cn.urbanmgmt.risk.events.ViolationType;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.EventFact;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Merchants with their events <em>as the database knew them</em> at the start of day D (00:00
 * Asia/Shanghai), as the rule facts the grading engine evaluates, for the backtest. Unlike the live
 * {@code grading.FactReader} (which reads today's truth), an event counts only if it was recorded
 * before D, happened before D, and had not been superseded by a correction recorded before D; a
 * correction recorded on or after D does not exist yet, so the event it replaces still counts.
 * Merchants count when they opened before D; their registry attributes are today's (the registry
 * keeps no dated copies of them). Look-back: {@link #WINDOW_DAYS} before D (credit records always),
 * the same as the live reader's.
 */
public final class AsOfFactReader {

    /** Longest look-back any rule may use (the live reader's {@code FactReader.LOAD_WINDOW_DAYS}). */
    public static final int WINDOW_DAYS = 3 * 366;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Deduction>> DEDUCTIONS = new TypeReference<>() {
    };

    // ? 1 = start of D, 2 = start of D, 3 = start of D, 4 = start of D, 5/6 = id range, 7 = D, 8 = street, 9 = category
    private static final String SELECT = """
            with ev as (
              select e.* from merchant_event e
              left join merchant_event s on s.id = e.superseded_by
              where e.merchant_id between ? and ?
                and e.recorded_at < ? and e.occurred_at < ?
                and (e.occurred_at >= ?::timestamptz - interval '%d days' or e.type = 'CREDIT')
                and (s.id is null or s.recorded_at >= ?)
            )
            select m.id, m.uscc, m.name, m.street_code, m.category, m.key_unit, m.key_unit_type, m.status, m.opened_on,
                   e.id as event_id, e.type, (e.occurred_at at time zone 'Asia/Shanghai')::date as occurred_on,
                   e.case_no, e.violation_type, e.severity, e.fine_yuan, e.from_complaint, e.closed_on,
                   e.channel, e.complaint_category, e.verified, e.linked_case_no,
                   e.item_code, e.outcome, e.score, e.deductions::text as deductions,
                   e.credit_action, e.detection_source, e.detection_type
            from merchant m
            left join ev e on e.merchant_id = m.id
            where m.id between ? and ? and m.opened_on < ?
              and (?::varchar is null or m.street_code = ?) and (?::varchar is null or m.category = ?)
            order by m.id
            """.formatted(WINDOW_DAYS);

    private static final int EVENT_ID = 10, TYPE = 11, OCCURRED_ON = 12, CASE_NO = 13, VIOLATION_TYPE = 14, SEVERITY = 15,
            FINE_YUAN = 16, FROM_COMPLAINT = 17, CLOSED_ON = 18, CHANNEL = 19, COMPLAINT_CATEGORY = 20, VERIFIED = 21,
            LINKED_CASE_NO = 22, ITEM_CODE = 23, OUTCOME = 24, SCORE = 25, DEDUCTION_LIST = 26, CREDIT_ACTION = 27,
            DETECTION_SOURCE = 28, DETECTION_TYPE = 29;

    private AsOfFactReader() {
    }

    /** The first instant of day {@code d} in Asia/Shanghai. */
    public static OffsetDateTime startOf(LocalDate d) {
        return d.atStartOfDay(EventService.ZONE).toOffsetDateTime();
    }

    /**
     * Reads merchants with {@code fromId <= id <= toId} (of {@code street} and {@code category} when
     * given) as of the start of {@code date}; facts carry {@code date} as their evaluation date.
     */
    public static void readRange(Connection c, long fromId, long toId, LocalDate date, String street, String category,
                                 Consumer<MerchantFacts> sink) throws SQLException {
        OffsetDateTime start = startOf(date);
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            int i = 1;
            ps.setLong(i++, fromId);
            ps.setLong(i++, toId);
            ps.setObject(i++, start);
            ps.setObject(i++, start);
            ps.setObject(i++, start);
            ps.setObject(i++, start);
            ps.setLong(i++, fromId);
            ps.setLong(i++, toId);
            ps.setObject(i++, date);
            ps.setString(i++, street);
            ps.setString(i++, street);
            ps.setString(i++, category);
            ps.setString(i, category);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                MerchantFact current = null;
                List<EventFact> events = new ArrayList<>();
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (current == null || current.getId() != id) {
                        if (current != null) sink.accept(new MerchantFacts(current, events, date));
                        current = merchant(rs, date);
                        events = new ArrayList<>();
                    }
                    long eventId = rs.getLong(EVENT_ID);
                    if (!rs.wasNull()) events.add(event(rs, eventId, date));
                }
                if (current != null) sink.accept(new MerchantFacts(current, events, date));
            }
        }
    }

    private static MerchantFact merchant(ResultSet rs, LocalDate date) throws SQLException {
        String keyType = rs.getString(7);
        return new MerchantFact(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                MerchantCategory.valueOf(rs.getString(5)), rs.getBoolean(6), keyType == null ? null : KeyUnitType.valueOf(keyType),
                MerchantStatus.valueOf(rs.getString(8)), rs.getObject(9, LocalDate.class), date);
    }

    private static EventFact event(ResultSet rs, long id, LocalDate date) throws SQLException {
        LocalDate on = rs.getObject(OCCURRED_ON, LocalDate.class);
        return switch (rs.getString(TYPE)) {
            case "CASE" -> {
                BigDecimal fine = rs.getBigDecimal(FINE_YUAN);
                yield new CaseFact(id, on, date, rs.getString(CASE_NO), ViolationType.valueOf(rs.getString(VIOLATION_TYPE)),
                        Severity.valueOf(rs.getString(SEVERITY)), fine == null ? 0 : fine.doubleValue(),
                        rs.getBoolean(FROM_COMPLAINT), closedAsOf(rs.getObject(CLOSED_ON, LocalDate.class), date));
            }
            case "COMPLAINT" -> {
                String channel = rs.getString(CHANNEL);
                Boolean verified = rs.getObject(VERIFIED, Boolean.class);
                yield new ComplaintFact(id, on, date, channel == null ? null : ComplaintChannel.valueOf(channel),
                        rs.getString(COMPLAINT_CATEGORY), verified, rs.getString(LINKED_CASE_NO));
            }
            case "INSPECTION" -> {
                BigDecimal score = rs.getBigDecimal(SCORE);
                yield new InspectionFact(id, on, date, rs.getString(ITEM_CODE), InspectionOutcome.valueOf(rs.getString(OUTCOME)),
                        score == null ? null : score.doubleValue(), deductions(rs.getString(DEDUCTION_LIST)));
            }
            case "CREDIT" -> new CreditFact(id, on, date, CreditAction.valueOf(rs.getString(CREDIT_ACTION)));
            case "DETECTION" -> new DetectionFact(id, on, date, DetectionSource.valueOf(rs.getString(DETECTION_SOURCE)),
                    rs.getString(DETECTION_TYPE));
            default -> throw new IllegalStateException("unknown event type " + rs.getString(TYPE));
        };
    }

    /** A case closed on or after D was still open at D. */
    private static LocalDate closedAsOf(LocalDate closedOn, LocalDate date) {
        return closedOn != null && closedOn.isBefore(date) ? closedOn : null;
    }

    private static List<Deduction> deductions(String json) {
        if (json == null) return List.of();
        try {
            return JSON.readValue(json, DEDUCTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
