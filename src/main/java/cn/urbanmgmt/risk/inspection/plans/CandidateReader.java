package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.grading.FactReader;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.items.InspectionItem;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.registry.KeyUnitType;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the plan's candidates from PostgreSQL in one query: each merchant in scope with its current
 * grade and, per plan item, the date of its last inspection for that item (three years back), in
 * merchant id order (merge joins along the primary keys: no sort). Builds one rule fact per merchant and
 * applicable item.
 */
public final class CandidateReader {

    /**
     * Rows in merchant id order: row i is merchant {@code ids[i]} with code {@code usccs[i]}, its street
     * and contact person (read here so that matching the drawn merchants needs no second query).
     */
    public record Candidates(String[] usccs, long[] ids, String[] streets, String[] contacts) {
    }

    private CandidateReader() {
    }

    private static final MerchantCategory[] CATEGORIES = MerchantCategory.values();
    private static final KeyUnitType[] KEY_UNIT_TYPES = KeyUnitType.values();
    private static final MerchantStatus[] STATUSES = MerchantStatus.values();
    private static final Grade[] GRADES = Grade.values();

    private static final java.util.concurrent.ConcurrentHashMap<String, String> STREETS = new java.util.concurrent.ConcurrentHashMap<>();

    /** One String per street code instead of one per row. */
    private static String canonical(String street) {
        String known = STREETS.putIfAbsent(street, street);
        return known == null ? street : known;
    }

    /** Enum by name with a few equals() instead of hashing a million fresh strings. */
    private static <E extends Enum<E>> E parse(E[] values, String name) {
        for (E e : values) if (e.name().equals(name)) return e;
        throw new IllegalStateException("unknown code " + name);
    }

    /**
     * A batch of facts ready for the rules: rows [fromRow, toRow), their facts and each fact's row.
     * Batches are handed off and forgotten, so their facts die young (no old-generation copying).
     */
    public record Batch(int fromRow, int toRow, String[] usccs, List<SamplingCandidate> facts, int[] factRows) {
    }

    public static final int BATCH_ROWS = 10_000;

    /**
     * Reads the candidates; every {@link #BATCH_ROWS} merchants are handed to {@code onBatch} (e.g. to
     * evaluate the rules on another core while the next rows stream in).
     */
    public static Candidates read(Connection c, PlanSpec spec, LocalDate today, java.util.function.Consumer<Batch> onBatch) throws SQLException {
        return read(c, spec, today, null, null, onBatch);
    }

    /** The candidates with merchant ids in [fromId, toId] only (a sampling-rule simulation reads the registry in chunks). */
    public static Candidates read(Connection c, PlanSpec spec, LocalDate today, long fromId, long toId, java.util.function.Consumer<Batch> onBatch)
            throws SQLException {
        return read(c, spec, today, Long.valueOf(fromId), Long.valueOf(toId), onBatch);
    }

    private static Candidates read(Connection c, PlanSpec spec, LocalDate today, Long fromId, Long toId,
                                   java.util.function.Consumer<Batch> onBatch) throws SQLException {
        List<PlanSpec.ItemSnapshot> items = spec.items();
        // Day counts are computed by PostgreSQL (a date literal of ours, never user text): an int per cell
        // decodes much faster than a date, for a million rows.
        String day = "date '" + today + "'";
        StringBuilder lastDates = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            lastDates.append(", ").append(day).append(" - (max(occurred_at) filter (where item_code = ?) at time zone 'Asia/Shanghai')::date as d").append(i);
        }
        List<String> where = new ArrayList<>();
        PlanSpec.ScopeSpec scope = spec.scope();
        if (!scope.streets().isEmpty()) where.add("m.street_code = any(?)");
        if (!scope.categories().isEmpty()) where.add("m.category = any(?)");
        if (scope.keyUnitsOnly()) where.add("m.key_unit");
        if (!scope.usccs().isEmpty()) where.add("m.uscc = any(?)");
        if (fromId != null) where.add("m.id between ? and ?");
        StringBuilder select = new StringBuilder("select m.id, m.uscc, m.street_code, m.category, m.key_unit, m.key_unit_type, m.status, " + day + " - m.opened_on, g.grade, g.score");
        for (int i = 0; i < items.size(); i++) select.append(", li.d").append(i);
        select.append(", m.contact_name");
        String sql = select + " from merchant m left join merchant_grade g on g.merchant_id = m.id"
                + " left join (select merchant_id" + lastDates + " from merchant_event where type = 'INSPECTION' and superseded_by is null"
                + " and item_code = any(?) and occurred_at >= ?" + (fromId == null ? "" : " and merchant_id between ? and ?")
                + " group by merchant_id) li on li.merchant_id = m.id"
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + " order by m.id";
        List<String> usccs = new ArrayList<>();
        long[] ids = new long[1024];
        String[] streets = new String[1024];
        String[] contacts = new String[1024];
        int contactColumn = 11 + items.size();
        List<SamplingCandidate> facts = new ArrayList<>(BATCH_ROWS * items.size());
        int[] factRows = new int[BATCH_ROWS * items.size()];
        int days = spec.days();
        int weeks = spec.weeks();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (PlanSpec.ItemSnapshot item : items) ps.setString(p++, item.code());
            ps.setArray(p++, c.createArrayOf("varchar", items.stream().map(PlanSpec.ItemSnapshot::code).toArray()));
            ps.setObject(p++, today.minusDays(FactReader.activeLookBackDays()).atStartOfDay(cn.urbanmgmt.risk.events.EventService.ZONE).toOffsetDateTime());
            if (fromId != null) {
                ps.setLong(p++, fromId);
                ps.setLong(p++, toId);
            }
            if (!scope.streets().isEmpty()) ps.setArray(p++, c.createArrayOf("varchar", scope.streets().toArray()));
            if (!scope.categories().isEmpty()) ps.setArray(p++, c.createArrayOf("varchar", scope.categories().stream().map(Enum::name).toArray()));
            if (!scope.usccs().isEmpty()) ps.setArray(p++, c.createArrayOf("varchar", scope.usccs().toArray()));
            if (fromId != null) {
                ps.setLong(p++, fromId);
                ps.setLong(p++, toId);
            }
            ps.setFetchSize(20_000);
            try (ResultSet rs = ps.executeQuery()) {
                int row = 0;
                int batchRow = 0;
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String uscc = rs.getString(2);
                    String street = canonical(rs.getString(3));
                    MerchantCategory category = parse(CATEGORIES, rs.getString(4));
                    boolean keyUnit = rs.getBoolean(5);
                    String kut = rs.getString(6);
                    KeyUnitType keyUnitType = kut == null ? null : parse(KEY_UNIT_TYPES, kut);
                    MerchantStatus status = parse(STATUSES, rs.getString(7));
                    int daysOpen = rs.getInt(8);
                    String g = rs.getString(9);
                    Grade grade = g == null ? null : parse(GRADES, g);
                    int score = rs.getInt(10);
                    Integer scoreOrNull = rs.wasNull() ? null : score;
                    if (row == ids.length) {
                        ids = java.util.Arrays.copyOf(ids, row * 2);
                        streets = java.util.Arrays.copyOf(streets, row * 2);
                        contacts = java.util.Arrays.copyOf(contacts, row * 2);
                    }
                    ids[row] = id;
                    streets[row] = street;
                    contacts[row] = rs.getString(contactColumn);
                    usccs.add(uscc);
                    for (int i = 0; i < items.size(); i++) {
                        PlanSpec.ItemSnapshot item = items.get(i);
                        if (!InspectionItem.applies(item.categories(), item.keyUnitTypes(), category, keyUnitType)) continue;
                        int daysSince = rs.getInt(11 + i);
                        Integer since = rs.wasNull() ? null : Math.max(0, daysSince);
                        facts.add(new SamplingCandidate(id, uscc, street, category, keyUnit, keyUnitType, status, daysOpen, grade, scoreOrNull,
                                item.code(), item.mode(), item.samplingPolicy(), since, days, weeks));
                        factRows[facts.size() - 1] = row;
                    }
                    row++;
                    if (row - batchRow == BATCH_ROWS) {
                        onBatch.accept(new Batch(batchRow, row, usccs.subList(batchRow, row).toArray(String[]::new), facts,
                                java.util.Arrays.copyOf(factRows, facts.size())));
                        batchRow = row;
                        facts = new ArrayList<>(BATCH_ROWS * items.size());
                    }
                }
                if (row > batchRow) {
                    onBatch.accept(new Batch(batchRow, row, usccs.subList(batchRow, row).toArray(String[]::new), facts,
                            java.util.Arrays.copyOf(factRows, facts.size())));
                }
                ids = java.util.Arrays.copyOf(ids, row);
                streets = java.util.Arrays.copyOf(streets, row);
                contacts = java.util.Arrays.copyOf(contacts, row);
            }
        }
        return new Candidates(usccs.toArray(String[]::new), ids, streets, contacts);
    }
}
