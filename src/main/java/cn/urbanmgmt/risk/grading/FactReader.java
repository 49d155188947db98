package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.engine.LookBack;
import cn.urbanmgmt.risk.grading.model.MerchantFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streams merchants with their events from PostgreSQL as rule facts, one merchant at a time, in id
 * order, events of a merchant by id (rules must not depend on that order, but the order of the reasons
 * does: with a fixed order the same facts give the same reasons, and an unchanged result is not rewritten). Events are read from
 * the look-back of the rules that will grade them ({@link LookBack}; credit records always: a listing stays
 * until it is lifted); superseded events and events after the evaluation date never. The rules apply
 * the same window again ({@link LookBack#window}), so this query only saves reading what they would drop.
 *
 * <p>"As of D" is one calendar, the bureau's: the cut-offs are Shanghai midnights computed here in
 * Java and bound as timestamptz, so the database session's time zone cannot move them.
 */
public final class FactReader {

    /** The default look-back of a rule set that declares none (see {@link LookBack#DEFAULT_DAYS}). */
    public static final int LOAD_WINDOW_DAYS = LookBack.DEFAULT_DAYS;

    private static final String MERCHANTS = """
            select %s, coalesce(f.data_version, 0) as data_version
            from merchant m left join merchant_freshness f on f.merchant_id = m.id
            where %%s order by m.id""".formatted(FactRows.MERCHANT_COLUMNS);

    private static final String EVENTS = """
            select %s from merchant_event e
            where %%s and e.superseded_by is null and e.occurred_at < ? and (e.occurred_at >= ? or e.type = 'CREDIT')
            %s""".formatted(FactRows.EVENT_COLUMNS, FactRows.EVENT_ORDER);

    /**
     * The look-back of the active grading rules (the default before any is active): what the sampling
     * candidates use for "last inspected", so they and the grades see the same events.
     */
    public static int activeLookBackDays() {
        if (io.quarkus.arc.Arc.container() == null) return LOAD_WINDOW_DAYS;
        var engine = io.quarkus.arc.Arc.container().instance(cn.urbanmgmt.risk.grading.engine.GradingEngine.class);
        return engine.isAvailable() && engine.get().hasActive() ? engine.get().active().lookBackDays() : LOAD_WINDOW_DAYS;
    }

    /** One merchant's facts and the data version they were read at (see merchant_freshness). */
    public interface Sink {
        void accept(MerchantFacts facts, long dataVersion);
    }

    private FactReader() {
    }

    /** Reads merchants with {@code fromId <= id <= toId}, events within the default look-back. */
    public static void readRange(Connection c, long fromId, long toId, LocalDate date, Consumer<MerchantFacts> sink) throws SQLException {
        readRange(c, fromId, toId, date, LOAD_WINDOW_DAYS, (f, v) -> sink.accept(f));
    }

    /** Reads merchants with {@code fromId <= id <= toId}, events within {@code lookBackDays}. */
    public static void readRange(Connection c, long fromId, long toId, LocalDate date, int lookBackDays, Sink sink) throws SQLException {
        read(c, "m.id between ? and ?", "e.merchant_id between ? and ?", (ps, i) -> {
            ps.setLong(i, fromId);
            ps.setLong(i + 1, toId);
            return i + 2;
        }, date, lookBackDays, sink);
    }

    /** Reads the listed merchants, events within the default look-back. */
    public static void readIds(Connection c, List<Long> ids, LocalDate date, Consumer<MerchantFacts> sink) throws SQLException {
        readIds(c, ids, date, LOAD_WINDOW_DAYS, (f, v) -> sink.accept(f));
    }

    /** Reads the listed merchants, events within {@code lookBackDays}. */
    public static void readIds(Connection c, List<Long> ids, LocalDate date, int lookBackDays, Sink sink) throws SQLException {
        java.sql.Array array = c.createArrayOf("bigint", ids.toArray());
        read(c, "m.id = any(?)", "e.merchant_id = any(?)", (ps, i) -> {
            ps.setArray(i, array);
            return i + 1;
        }, date, lookBackDays, sink);
    }

    /** Binds a selection's parameters from position {@code first}; returns the next free position. */
    private interface Selection {
        int bind(PreparedStatement ps, int first) throws SQLException;
    }

    /** The merchants first, then their events (see {@link FactRows}: the events are then at least as new as the data version). */
    private static void read(Connection c, String merchantWhere, String eventWhere, Selection selection, LocalDate date, int lookBackDays,
                             Sink sink) throws SQLException {
        try (PreparedStatement mps = c.prepareStatement(MERCHANTS.formatted(merchantWhere));
             PreparedStatement eps = c.prepareStatement(EVENTS.formatted(eventWhere))) {
            selection.bind(mps, 1);
            mps.setFetchSize(FETCH);
            int i = selection.bind(eps, 1);
            eps.setObject(i, endOfDay(date));
            eps.setObject(i + 1, date.minusDays(lookBackDays).atStartOfDay(EventService.ZONE).toOffsetDateTime());
            eps.setFetchSize(FETCH);
            try (ResultSet merchants = mps.executeQuery(); ResultSet events = eps.executeQuery()) {
                FactRows.stream(merchants, events, date, FactRows.Mode.LIVE, sink);
            }
        }
    }

    /** Rows fetched at a time from each stream: the chunk streams while it is graded instead of sitting in memory whole. */
    static final int FETCH = 10_000;

    /**
     * The first date of an event dated after {@code date} (Shanghai), per merchant with such an event, of the
     * merchants with {@code fromId <= id <= toId}: those events start to count on that date. Empty for today's
     * date but for the few minutes of clock skew intake accepts; for a past date, the events that followed it.
     */
    public static java.util.Map<Long, LocalDate> firstEventsAfter(Connection c, long fromId, long toId, LocalDate date) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LATER.formatted("merchant_id between ? and ?"))) {
            ps.setObject(1, endOfDay(date));
            ps.setLong(2, fromId);
            ps.setLong(3, toId);
            return later(ps);
        }
    }

    /** {@link #firstEventsAfter(Connection, long, long, LocalDate)} for the listed merchants. */
    public static java.util.Map<Long, LocalDate> firstEventsAfter(Connection c, List<Long> ids, LocalDate date) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LATER.formatted("merchant_id = any(?)"))) {
            ps.setObject(1, endOfDay(date));
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            return later(ps);
        }
    }

    private static final String LATER = """
            select merchant_id, (min(occurred_at) at time zone 'Asia/Shanghai')::date from merchant_event
            where superseded_by is null and occurred_at >= ? and %s group by merchant_id""";

    private static java.util.Map<Long, LocalDate> later(PreparedStatement ps) throws SQLException {
        java.util.Map<Long, LocalDate> out = new java.util.HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getLong(1), rs.getObject(2, LocalDate.class));
        }
        return out;
    }

    /** The first instant after day {@code date} in Shanghai: events before it happened on or before D. */
    public static java.time.OffsetDateTime endOfDay(LocalDate date) {
        return date.plusDays(1).atStartOfDay(EventService.ZONE).toOffsetDateTime();
    }
}
