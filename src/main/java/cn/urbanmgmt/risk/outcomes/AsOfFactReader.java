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
            select %s
            from merchant m
            left join ev e on e.merchant_id = m.id
            where m.id between ? and ? and m.opened_on < ?
              and (?::varchar is null or m.street_code = ?) and (?::varchar is null or m.category = ?)
            order by m.id
            """.formatted(WINDOW_DAYS, FactRows.COLUMNS);

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
                FactRows.stream(rs, date, FactRows.Mode.AS_OF, (facts, dataVersion) -> sink.accept(facts));
            }
        }
    }
}
