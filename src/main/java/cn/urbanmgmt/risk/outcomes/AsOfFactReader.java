package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.FactRows;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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

    /** The merchants counted as of D: opened before D (?3), of the street (?4, ?5) and category (?6, ?7) when given. */
    private static final String MERCHANTS = """
            select %s from merchant m
            where m.id between ? and ? and m.opened_on < ?
              and (?::varchar is null or m.street_code = ?) and (?::varchar is null or m.category = ?)
            order by m.id""".formatted(FactRows.MERCHANT_COLUMNS);

    // ? 1/2 = id range, 3 = start of D (recorded before), 4 = start of D (happened before), 5 = start of D (look-back),
    // 6 = start of D (correction recorded on or after D), 7.. = the merchant conditions above from ?3
    private static final String EVENTS = """
            select %s from merchant_event e
            left join merchant_event s on s.id = e.superseded_by
            join merchant m on m.id = e.merchant_id
            where e.merchant_id between ? and ?
              and e.recorded_at < ? and e.occurred_at < ?
              and (e.occurred_at >= ?::timestamptz - interval '%d days' or e.type = 'CREDIT')
              and (s.id is null or s.recorded_at >= ?)
              and m.opened_on < ? and (?::varchar is null or m.street_code = ?) and (?::varchar is null or m.category = ?)
            %s""".formatted(FactRows.EVENT_COLUMNS, WINDOW_DAYS, FactRows.EVENT_ORDER);

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
        try (PreparedStatement mps = c.prepareStatement(MERCHANTS);
             PreparedStatement eps = c.prepareStatement(EVENTS)) {
            mps.setLong(1, fromId);
            mps.setLong(2, toId);
            bindMerchantConditions(mps, 3, date, street, category);
            eps.setLong(1, fromId);
            eps.setLong(2, toId);
            for (int i = 3; i <= 6; i++) eps.setObject(i, start);
            bindMerchantConditions(eps, 7, date, street, category);
            mps.setFetchSize(10_000);
            eps.setFetchSize(10_000);
            try (ResultSet merchants = mps.executeQuery(); ResultSet events = eps.executeQuery()) {
                FactRows.stream(merchants, events, date, FactRows.Mode.AS_OF, (facts, dataVersion) -> sink.accept(facts));
            }
        }
    }

    private static void bindMerchantConditions(PreparedStatement ps, int first, LocalDate date, String street, String category) throws SQLException {
        ps.setObject(first, date);
        ps.setString(first + 1, street);
        ps.setString(first + 2, street);
        ps.setString(first + 3, category);
        ps.setString(first + 4, category);
    }
}
