package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.events.ComplaintChannel;
import cn.urbanmgmt.risk.events.CreditAction;
import cn.urbanmgmt.risk.events.Deduction;
import cn.urbanmgmt.risk.events.DetectionSource;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The one decoding of merchant-with-events rows into rule facts, shared by the live reader ({@link FactReader})
 * and the backtest's as-of reader: both select {@link #COLUMNS} from {@code merchant m} left-joined to events
 * {@code e}, ordered by merchant, and differ only in which events they join. Columns are read by position (the
 * order of {@link #COLUMNS}): a name lookup per cell costs more than the decoding.
 */
public final class FactRows {

    /** The select list every fact query starts with; {@code f} is merchant_freshness (or any relation with data_version). */
    public static final String COLUMNS = """
            m.id, m.uscc, m.name, m.street_code, m.category, m.key_unit, m.key_unit_type, m.status, m.opened_on,
                   e.id as event_id, e.type, (e.occurred_at at time zone 'Asia/Shanghai')::date as occurred_on,
                   e.case_no, e.violation_type, e.severity, e.fine_yuan, e.from_complaint, e.closed_on,
                   e.channel, e.complaint_category, e.verified, e.linked_case_no,
                   e.item_code, e.outcome, e.score, e.deductions::text as deductions,
                   e.credit_action, e.detection_source, e.detection_type""";

    private static final int EVENT_ID = 10, TYPE = 11, OCCURRED_ON = 12, CASE_NO = 13, VIOLATION_TYPE = 14, SEVERITY = 15,
            FINE_YUAN = 16, FROM_COMPLAINT = 17, CLOSED_ON = 18, CHANNEL = 19, COMPLAINT_CATEGORY = 20, VERIFIED = 21,
            LINKED_CASE_NO = 22, ITEM_CODE = 23, OUTCOME = 24, SCORE = 25, DEDUCTION_LIST = 26, CREDIT_ACTION = 27,
            DETECTION_SOURCE = 28, DETECTION_TYPE = 29;
    /** Position of an optional data_version column right after {@link #COLUMNS}. */
    public static final int DATA_VERSION = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Deduction>> DEDUCTIONS = new TypeReference<>() {
    };

    /** How the rows are read: whether a data_version column follows, and whether a case closed on or after D was open at D. */
    public enum Mode {
        /** Today's truth: the stored closing date stands; data_version follows the columns. */
        LIVE(true, false),
        /** As the database knew it at the start of D: a case closed on or after D was still open; no data_version. */
        AS_OF(false, true);

        final boolean dataVersion;
        final boolean closedBeforeDateOnly;

        Mode(boolean dataVersion, boolean closedBeforeDateOnly) {
            this.dataVersion = dataVersion;
            this.closedBeforeDateOnly = closedBeforeDateOnly;
        }
    }

    private FactRows() {
    }

    /** Hands each merchant's facts (evaluated as of {@code date}) to the sink, in the rows' merchant order. */
    public static void stream(ResultSet rs, LocalDate date, Mode mode, FactReader.Sink sink) throws SQLException {
        MerchantFact current = null;
        long version = 0;
        List<EventFact> events = new ArrayList<>();
        while (rs.next()) {
            long id = rs.getLong(1);
            if (current == null || current.getId() != id) {
                if (current != null) sink.accept(new MerchantFacts(current, events, date), version);
                current = merchant(rs, date);
                version = mode.dataVersion ? rs.getLong(DATA_VERSION) : 0;
                events = new ArrayList<>();
            }
            long eventId = rs.getLong(EVENT_ID);
            if (!rs.wasNull()) events.add(event(rs, eventId, date, mode));
        }
        if (current != null) sink.accept(new MerchantFacts(current, events, date), version);
    }

    private static MerchantFact merchant(ResultSet rs, LocalDate date) throws SQLException {
        String keyType = rs.getString(7);
        return new MerchantFact(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                MerchantCategory.valueOf(rs.getString(5)), rs.getBoolean(6), keyType == null ? null : KeyUnitType.valueOf(keyType),
                MerchantStatus.valueOf(rs.getString(8)), rs.getObject(9, LocalDate.class), date);
    }

    private static EventFact event(ResultSet rs, long id, LocalDate date, Mode mode) throws SQLException {
        LocalDate on = rs.getObject(OCCURRED_ON, LocalDate.class);
        return switch (rs.getString(TYPE)) {
            case "CASE" -> {
                BigDecimal fine = rs.getBigDecimal(FINE_YUAN);
                LocalDate closed = rs.getObject(CLOSED_ON, LocalDate.class);
                if (mode.closedBeforeDateOnly && closed != null && !closed.isBefore(date)) closed = null;
                yield new CaseFact(id, on, date, rs.getString(CASE_NO), ViolationType.valueOf(rs.getString(VIOLATION_TYPE)),
                        Severity.valueOf(rs.getString(SEVERITY)), fine == null ? 0 : fine.doubleValue(),
                        rs.getBoolean(FROM_COMPLAINT), closed);
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

    private static List<Deduction> deductions(String json) {
        if (json == null) return List.of();
        try {
            return JSON.readValue(json, DEDUCTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
