package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.ImportReport;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.common.tabular.ErrorReport;
import cn.urbanmgmt.risk.common.tabular.ImportErrorReports;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bulk import of merchants from CSV/XLSX, upserting by uscc. Rows are validated by the same
 * {@link MerchantService#check} as the API; writes go through JDBC batches in one transaction.
 */
@ApplicationScoped
public class MerchantImportService {

    private static final int CHUNK = 5000;
    private static final Logger LOG = Logger.getLogger(MerchantImportService.class);

    @Inject
    MerchantService merchants;

    @Inject
    ReferenceData refs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    jakarta.enterprise.event.Event<MerchantsChanged> changedEvent;

    @Inject
    ImportErrorReports errorReports;

    @ConfigProperty(name = "app.import.max-rows")
    int maxRows;

    /** A row that passed validation, with the merchant it will become and its changes. */
    private record Planned(int line, Merchant target, Map<String, Map<String, Object>> changes, boolean isNew) {
    }

    /** Counters and ids of one import, filled chunk by chunk. */
    private static final class Run implements AutoCloseable {
        final ErrorReport errors = new ErrorReport(MerchantColumns.labels());
        final UsccLines seen = new UsccLines();
        final List<Map.Entry<Integer, MerchantInput>> chunk = new ArrayList<>(CHUNK);
        final List<Long> changedIds = new ArrayList<>();
        Set<MerchantColumns> absent;
        int created;
        int updated;
        int unchanged;
        int inserted;
        boolean outOfScope;
        boolean rowErrors;

        @Override
        public void close() {
            errors.close();
        }
    }

    /**
     * Reads the file row by row (the header is checked before any row), checks each row and
     * writes the valid ones in chunks of {@value #CHUNK}, all in one transaction: all-or-nothing
     * rolls back what was written once a bad row turns up (and stops writing). Memory does not grow
     * with the number of bad rows: the answer lists the first errors, the full list goes to a
     * downloadable report ({@link ImportErrorReports}).
     */
    @Transactional
    @TransactionConfiguration(timeout = 900) // a million-row file takes minutes, not the default 60 s
    public ImportReport importFile(byte[] bytes, String encoding, ImportMode mode, boolean dryRun, Actor actor) {
        long t0 = System.nanoTime();
        try (Run run = new Run(); Connection c = dataSource.getConnection()) {
            if (!dryRun) {
                // Imports take turns (until commit): a second import of the same file then finds the first one's
                // merchants as they are now and changes nothing, instead of writing audit rows with stale old values.
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("select pg_advisory_xact_lock(hashtext('merchant-import'))");
                }
            }
            TabularFile.Info info = TabularFile.stream(bytes, encoding, maxRows, headers -> {
                requireColumns(headers);
                run.absent = absentColumns(headers);
            }, row -> {
                checkRow(row, actor, run);
                if (run.chunk.size() >= CHUNK) flush(c, run, mode, dryRun, actor);
            });
            flush(c, run, mode, dryRun, actor);
            String report = run.errors.isEmpty() ? null : errorReports.store(run.errors, "merchants", actor);
            if (!run.errors.isEmpty() && mode == ImportMode.ALL_OR_NOTHING) {
                throw run.errors.refusal(run.outOfScope && !run.rowErrors ? "文件中有数据行无权导入，未导入任何数据"
                        : "文件中有 " + run.errors.rejectedLines() + " 行数据有误，未导入任何数据；请更正后重新上传，"
                        + "或选择“只导入正确的行”（mode=PARTIAL）", report);
            }
            if (!dryRun && run.inserted >= 10_000) {
                // Fresh statistics now, rather than whenever autovacuum gets round to it, keep searches well planned.
                try (PreparedStatement analyze = c.prepareStatement("analyze merchant")) {
                    analyze.execute();
                }
            }
            if (!run.changedIds.isEmpty()) changedEvent.fire(new MerchantsChanged(run.changedIds, "批量导入商户（" + actor.username() + "）"));
            LOG.infof("Import by %s: %d rows (%s), %d new, %d changed, %d rejected, %d errors; %d ms",
                    actor.username(), info.rows(), info.format(), run.created, run.updated, run.errors.rejectedLines(),
                    run.errors.count(), ms(System.nanoTime() - t0));
            return new ImportReport(info.format(), info.encoding(), mode, dryRun, info.rows(), run.created, run.updated,
                    run.unchanged, run.errors.rejectedLines(), run.errors.first(), run.errors.count(), report);
        } catch (SQLException e) {
            throw failed(e);
        } catch (ChunkFailed e) {
            throw failed((SQLException) e.getCause());
        }
    }

    private static RuntimeException failed(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return ProblemException.conflict("导入时有其他操作同时登记了相同的商户，请稍后重新导入（本次未写入任何数据）");
        }
        return new IllegalStateException("merchant import failed", e);
    }

    /** Checks one row: its cells, the shared checks of the API, the caller's scope, duplicates in the file. */
    private void checkRow(TabularFile.Row row, Actor actor, Run run) {
        List<FieldError> rowErrors = new ArrayList<>();
        MerchantInput input = MerchantService.normalise(parse(new Cells(row, rowErrors)));
        // A cell that did not parse is null now; its "must not be empty" would only repeat the parse error.
        Set<String> unparsed = new HashSet<>();
        rowErrors.forEach(e -> unparsed.add(e.field()));
        for (FieldError e : merchants.check(input, row.line())) {
            if (!unparsed.contains(e.field())) rowErrors.add(e);
        }
        // Scope and duplicates are checked even on rows with other faults, so that one pass lists everything.
        Street street = refs.resolveStreet(input.street());
        if (street != null && !actor.scope().covers(street.code)) {
            rowErrors.add(new FieldError(row.line(), "street", input.street(), "无权导入本中队辖区以外街镇的商户"));
        }
        if (Uscc.isValid(input.uscc())) {
            int first = run.seen.putIfAbsent(input.uscc(), row.line());
            if (first != 0) {
                rowErrors.add(new FieldError(row.line(), "uscc", input.uscc(), "与第 " + first + " 行的统一社会信用代码重复"));
            }
        }
        if (rowErrors.isEmpty()) {
            run.chunk.add(Map.entry(row.line(), input));
        } else {
            rowErrors.sort(Comparator.comparing(FieldError::field));
            run.errors.addAll(rowErrors);
            run.rowErrors = true;
        }
    }

    /**
     * Plans and writes the rows collected so far. Nothing more is written (only checked) once an
     * all-or-nothing import has an error, or on a dry run.
     */
    private void flush(Connection c, Run run, ImportMode mode, boolean dryRun, Actor actor) {
        List<Map.Entry<Integer, MerchantInput>> valid = run.chunk;
        if (valid.isEmpty()) return;
        try {
            if (mode == ImportMode.ALL_OR_NOTHING && !run.errors.isEmpty()) return; // will be refused; keep checking only
            Map<String, Merchant> existing = loadExisting(c, valid.stream().map(e -> e.getValue().uscc()).toList());
            List<Planned> planned = new ArrayList<>();
            for (Map.Entry<Integer, MerchantInput> e : valid) {
                MerchantInput in = e.getValue();
                Merchant current = existing.get(in.uscc());
                Merchant target = current == null ? new Merchant() : copy(current);
                if (current != null && !actor.scope().covers(current.streetCode)) {
                    run.errors.add(new FieldError(e.getKey(), "uscc", in.uscc(), "该商户属于本中队辖区以外的街镇，无权修改"));
                    run.outOfScope = true;
                    continue;
                }
                if (current != null) in = keepAbsent(in, current, run.absent);
                Map<String, Map<String, Object>> changes = MerchantService.apply(target, in, refs.resolveStreet(in.street()).code);
                planned.add(new Planned(e.getKey(), target, changes, current == null));
            }
            for (Planned p : planned) {
                if (p.isNew()) run.created++;
                else if (!p.changes().isEmpty()) run.updated++;
                else run.unchanged++;
            }
            if (dryRun || (mode == ImportMode.ALL_OR_NOTHING && !run.errors.isEmpty())) return;
            write(c, planned, actor);
            run.inserted += (int) planned.stream().filter(Planned::isNew).count();
            for (Planned p : planned) {
                if (!p.changes().isEmpty()) run.changedIds.add(p.target().id);
            }
        } catch (SQLException e) {
            throw new ChunkFailed(e);
        } finally {
            valid.clear();
        }
    }

    /** An SQL failure inside a chunk, carried out of the row callback. */
    private static final class ChunkFailed extends RuntimeException {
        ChunkFailed(SQLException cause) {
            super(cause);
        }
    }

    private static void requireColumns(List<String> headers) {
        TabularFile.requireColumns(headers, List.of(MerchantColumns.USCC, MerchantColumns.NAME, MerchantColumns.ADDRESS,
                MerchantColumns.STREET, MerchantColumns.CATEGORY, MerchantColumns.OPENED_ON), List.of(MerchantColumns.values()));
    }

    /** Optional columns the file does not have at all: an update leaves those fields as they are. */
    private static Set<MerchantColumns> absentColumns(List<String> headers) {
        Set<MerchantColumns> absent = java.util.EnumSet.noneOf(MerchantColumns.class);
        for (MerchantColumns col : MerchantColumns.values()) {
            if (!TabularFile.has(headers, col)) absent.add(col);
        }
        return absent;
    }

    /**
     * An import file is often a partial extract: a column that is missing keeps the stored value
     * (an empty cell in a present column clears it). The key-unit pair moves together.
     */
    private static MerchantInput keepAbsent(MerchantInput in, Merchant current, Set<MerchantColumns> absent) {
        if (absent.isEmpty()) return in;
        boolean keepKey = absent.contains(MerchantColumns.KEY_UNIT) && absent.contains(MerchantColumns.KEY_UNIT_TYPE);
        return new MerchantInput(in.uscc(), in.name(), in.address(), in.street(), in.category(),
                keepKey ? current.keyUnit : in.keyUnit(),
                keepKey ? current.keyUnitType : in.keyUnitType(),
                absent.contains(MerchantColumns.STATUS) ? current.status : in.status(),
                in.openedOn(),
                absent.contains(MerchantColumns.CONTACT_NAME) ? current.contactName : in.contactName(),
                absent.contains(MerchantColumns.CONTACT_PHONE) ? current.contactPhone : in.contactPhone(),
                absent.contains(MerchantColumns.LONGITUDE) ? current.longitude : in.longitude(),
                absent.contains(MerchantColumns.LATITUDE) ? current.latitude : in.latitude(),
                null);
    }

    private static MerchantInput parse(Cells c) {
        return new MerchantInput(
                Uscc.normalise(c.text("uscc", MerchantColumns.USCC.header)),
                c.text("name", MerchantColumns.NAME.header),
                c.text("address", MerchantColumns.ADDRESS.header),
                c.text("street", MerchantColumns.STREET.header),
                c.label(MerchantCategory.class, "category", MerchantColumns.CATEGORY.header),
                c.bool("keyUnit", MerchantColumns.KEY_UNIT.header),
                c.label(KeyUnitType.class, "keyUnitType", MerchantColumns.KEY_UNIT_TYPE.header),
                c.label(MerchantStatus.class, "status", MerchantColumns.STATUS.header),
                c.date("openedOn", MerchantColumns.OPENED_ON.header),
                c.text("contactName", MerchantColumns.CONTACT_NAME.header),
                c.text("contactPhone", MerchantColumns.CONTACT_PHONE.header),
                c.decimal("longitude", MerchantColumns.LONGITUDE.header),
                c.decimal("latitude", MerchantColumns.LATITUDE.header),
                null);
    }

    private static final String COLUMNS = "id, uscc, name, address, street_code, category, key_unit, key_unit_type, status, "
            + "opened_on, contact_name, contact_phone, longitude, latitude, version";

    private Map<String, Merchant> loadExisting(Connection c, List<String> usccs) throws SQLException {
        Map<String, Merchant> found = new HashMap<>();
        // A join with the unnested codes plans well even when the statistics are stale (e.g. right after a big
        // first import); "uscc = any(?)" then fell back to scanning the table once per code.
        String sql = "select " + COLUMNS.replaceAll("(\\w+)", "m.$1") + " from unnest(?::text[]) as u(uscc) join merchant m on m.uscc = u.uscc";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < usccs.size(); i += CHUNK) {
                ps.setArray(1, c.createArrayOf("text", usccs.subList(i, Math.min(usccs.size(), i + CHUNK)).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Merchant m = read(rs);
                        found.put(m.uscc, m);
                    }
                }
            }
        }
        return found;
    }

    static Merchant read(ResultSet rs) throws SQLException {
        Merchant m = new Merchant();
        m.id = rs.getLong("id");
        m.uscc = rs.getString("uscc");
        m.name = rs.getString("name");
        m.address = rs.getString("address");
        m.streetCode = rs.getString("street_code");
        m.category = MerchantCategory.valueOf(rs.getString("category"));
        m.keyUnit = rs.getBoolean("key_unit");
        String kut = rs.getString("key_unit_type");
        m.keyUnitType = kut == null ? null : KeyUnitType.valueOf(kut);
        m.status = MerchantStatus.valueOf(rs.getString("status"));
        m.openedOn = rs.getObject("opened_on", java.time.LocalDate.class);
        m.contactName = rs.getString("contact_name");
        m.contactPhone = rs.getString("contact_phone");
        m.longitude = rs.getBigDecimal("longitude");
        m.latitude = rs.getBigDecimal("latitude");
        m.version = rs.getInt("version");
        return m;
    }

    private static Merchant copy(Merchant m) {
        Merchant c = new Merchant();
        c.id = m.id;
        c.uscc = m.uscc;
        c.name = m.name;
        c.address = m.address;
        c.streetCode = m.streetCode;
        c.category = m.category;
        c.keyUnit = m.keyUnit;
        c.keyUnitType = m.keyUnitType;
        c.status = m.status;
        c.openedOn = m.openedOn;
        c.contactName = m.contactName;
        c.contactPhone = m.contactPhone;
        c.longitude = m.longitude;
        c.latitude = m.latitude;
        c.version = m.version;
        return c;
    }

    private static final String MERCHANT_COLUMNS = "id, uscc, name, address, street_code, category, key_unit, key_unit_type, "
            + "status, opened_on, contact_name, contact_phone, longitude, latitude";
    /** One array parameter per column; rows travel as parallel arrays, CHUNK rows per statement. */
    private static final String UNNEST = "unnest(?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bool[], "
            + "?::text[], ?::text[], ?::date[], ?::text[], ?::text[], ?::numeric[], ?::numeric[]) as u(" + MERCHANT_COLUMNS + ")";

    /**
     * Writes new and changed merchants and their audit rows as set-based statements over arrays: a
     * handful of round trips instead of one statement per row (100,000 rows: seconds, not minutes).
     */
    private void write(Connection c, List<Planned> planned, Actor actor) throws SQLException {
        List<Planned> inserts = planned.stream().filter(Planned::isNew).toList();
        List<Planned> updates = planned.stream().filter(p -> !p.isNew() && !p.changes().isEmpty()).toList();
        assignIds(c, inserts);
        try (PreparedStatement ins = c.prepareStatement("insert into merchant (" + MERCHANT_COLUMNS + ", updated_at) select "
                + MERCHANT_COLUMNS.replaceAll("(\\w+)", "u.$1") + ", now() from " + UNNEST)) {
            for (int i = 0; i < inserts.size(); i += CHUNK) {
                bind(c, ins, inserts.subList(i, Math.min(inserts.size(), i + CHUNK)));
                ins.executeUpdate();
            }
        }
        try (PreparedStatement upd = c.prepareStatement("update merchant m set name = u.name, address = u.address, "
                + "street_code = u.street_code, category = u.category, key_unit = u.key_unit, key_unit_type = u.key_unit_type, "
                + "status = u.status, opened_on = u.opened_on, contact_name = u.contact_name, contact_phone = u.contact_phone, "
                + "longitude = u.longitude, latitude = u.latitude, updated_at = now(), version = m.version + 1 from " + UNNEST
                + " where m.id = u.id")) {
            for (int i = 0; i < updates.size(); i += CHUNK) {
                bind(c, upd, updates.subList(i, Math.min(updates.size(), i + CHUNK)));
                upd.executeUpdate();
            }
        }
        List<Planned> audited = planned.stream().filter(p -> !p.changes().isEmpty()).toList();
        try (PreparedStatement audit = c.prepareStatement("insert into merchant_audit (id, merchant_id, action, changed_by, "
                + "changed_at, changes) select nextval('merchant_audit_seq'), u.merchant_id, 'IMPORT', ?, now(), u.changes "
                + "from unnest(?::int8[], ?::jsonb[]) as u(merchant_id, changes)")) {
            for (int i = 0; i < audited.size(); i += CHUNK) {
                List<Planned> chunk = audited.subList(i, Math.min(audited.size(), i + CHUNK));
                audit.setString(1, actor.username());
                audit.setArray(2, c.createArrayOf("int8", chunk.stream().map(p -> p.target().id).toArray()));
                audit.setArray(3, c.createArrayOf("text", chunk.stream().map(p -> toJson(p.changes())).toArray()));
                audit.executeUpdate();
            }
        }
    }

    private static void assignIds(Connection c, List<Planned> inserts) throws SQLException {
        if (inserts.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("select nextval('merchant_seq') from generate_series(1, ?)")) {
            ps.setInt(1, inserts.size());
            try (ResultSet rs = ps.executeQuery()) {
                for (Planned p : inserts) {
                    rs.next();
                    p.target().id = rs.getLong(1);
                }
            }
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Planned> rows) throws SQLException {
        int n = rows.size();
        Object[] id = new Object[n], uscc = new Object[n], name = new Object[n], address = new Object[n], street = new Object[n],
                category = new Object[n], keyUnit = new Object[n], keyUnitType = new Object[n], status = new Object[n],
                openedOn = new Object[n], contactName = new Object[n], contactPhone = new Object[n], lon = new Object[n],
                lat = new Object[n];
        for (int i = 0; i < n; i++) {
            Merchant m = rows.get(i).target();
            id[i] = m.id;
            uscc[i] = m.uscc;
            name[i] = m.name;
            address[i] = m.address;
            street[i] = m.streetCode;
            category[i] = m.category.name();
            keyUnit[i] = m.keyUnit;
            keyUnitType[i] = m.keyUnitType == null ? null : m.keyUnitType.name();
            status[i] = m.status.name();
            openedOn[i] = m.openedOn.toString();
            contactName[i] = m.contactName;
            contactPhone[i] = m.contactPhone;
            lon[i] = m.longitude == null ? null : m.longitude.toPlainString();
            lat[i] = m.latitude == null ? null : m.latitude.toPlainString();
        }
        ps.setArray(1, c.createArrayOf("int8", id));
        ps.setArray(2, c.createArrayOf("text", uscc));
        ps.setArray(3, c.createArrayOf("text", name));
        ps.setArray(4, c.createArrayOf("text", address));
        ps.setArray(5, c.createArrayOf("text", street));
        ps.setArray(6, c.createArrayOf("text", category));
        ps.setArray(7, c.createArrayOf("bool", keyUnit));
        ps.setArray(8, c.createArrayOf("text", keyUnitType));
        ps.setArray(9, c.createArrayOf("text", status));
        ps.setArray(10, c.createArrayOf("text", openedOn));
        ps.setArray(11, c.createArrayOf("text", contactName));
        ps.setArray(12, c.createArrayOf("text", contactPhone));
        ps.setArray(13, c.createArrayOf("text", lon));
        ps.setArray(14, c.createArrayOf("text", lat));
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
