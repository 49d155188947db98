package cn.urbanmgmt.risk.security;

import cn.urbanmgmt.risk.common.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Tamper-evident audit trails (see V14_2__audit_chain.sql). {@link #seal} stores the hash of each
 * new audit row and chains the batch to the previous one; {@link #verify} recomputes everything
 * and names the first broken link. Sealing runs every {@code app.audit.seal-interval} on one
 * instance at a time (advisory lock) and at the start of every verification. Rows are sealed
 * within that interval of being written: a change made before a row is sealed cannot be told.
 * Anyone who can rewrite the whole chain can hide a change; keep the head hash that verification
 * reports somewhere else (it is also logged after each sealing batch) and compare.
 */
@ApplicationScoped
public class AuditChain {

    private static final Logger LOG = Logger.getLogger(AuditChain.class);
    /** Rows with ids this far below the highest sealed id are still looked at (ids are not commit-ordered). */
    private static final long ID_SLACK = 1_000_000;
    /**
     * Rows per sealing batch: a bulk import of millions of events is sealed in batches that each finish well within
     * the transaction timeout (one statement over 5,000,000 events ran past it, was cancelled, and retried forever).
     */
    static final int BATCH_ROWS = 50_000;
    private volatile int batchRows = BATCH_ROWS;

    /** The audit trails and the columns the service itself updates later (not part of the seal). */
    public static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("merchant_audit", new String[0]);        // registry
        TABLES.put("merchant_event", new String[]{"superseded_by"}); // events and corrections
        TABLES.put("rule_audit", new String[0]);            // both rule-set kinds
        TABLES.put("user_audit", new String[0]);            // users and roles
        TABLES.put("login_audit", new String[0]);           // logins
        TABLES.put("approval_audit", new String[0]);        // four-eyes approvals of events (issue 14)
    }

    @Inject
    EntityManager em;

    public record Link(String table, String kind, Long rowId, Long batchNo, String message) {
    }

    public record TableReport(String table, boolean intact, long sealedRows, long batches, String headHash, Link firstBroken) {
    }

    public record Report(boolean intact, List<TableReport> tables, Link firstBroken) {
    }

    @Scheduled(every = "${app.audit.seal-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "${app.audit.seal-delay:30s}")
    void sealPeriodically() {
        try {
            sealAll();
        } catch (RuntimeException e) {
            LOG.warn("Sealing the audit trails failed; will retry", e);
        }
    }

    public void sealAll() {
        for (String table : TABLES.keySet()) {
            Long after = null;
            while (true) {
                Long from = after;
                Batch batch = QuarkusTransaction.requiringNew().call(() -> seal(table, from));
                if (batch.rows() < batchRows) break;
                // A full batch: more rows may be waiting. The first batch looked back ID_SLACK ids and took the lowest
                // unsealed ones, so the next starts after its last; rows committed late below it wait for the next run.
                after = batch.lastId();
            }
        }
    }

    /** A sealed batch: how many rows, and the highest row id in it. */
    record Batch(int rows, long lastId) {
    }

    /** For tests: a small batch size shows a backlog sealed batch by batch. */
    void batchRows(int rows) {
        this.batchRows = rows;
    }

    /**
     * Seals up to {@link #BATCH_ROWS} of the table's unsealed rows with ids above {@code after} (null: above the
     * highest sealed id less {@link #ID_SLACK}), lowest ids first, as one batch (in the caller's transaction).
     */
    Batch seal(String table, Long after) {
        em.createNativeQuery("set local time zone 'UTC'").executeUpdate();
        Object locked = em.createNativeQuery("select pg_try_advisory_xact_lock(hashtext('audit_seal:' || ?1))")
                .setParameter(1, table).getSingleResult();
        if (!Boolean.TRUE.equals(locked)) return new Batch(0, 0); // another instance is sealing it right now
        Object[] head = head(table);
        long batch = head == null ? 1 : ((Number) head[0]).longValue() + 1;
        byte[] prev = head == null ? new byte[32] : (byte[]) head[1];
        long lowest = after != null ? after : ((Number) em.createNativeQuery("select coalesce(max(row_id), 0) from audit_seal where table_name = ?1")
                .setParameter(1, table).getSingleResult()).longValue() - ID_SLACK;
        int rows = em.createNativeQuery("insert into audit_seal (table_name, row_id, batch_no, row_hash) select ?1, t.id, ?2, "
                        + rowHash(table) + " from " + table + " t where t.id > ?3"
                        + " and not exists (select 1 from audit_seal s where s.table_name = ?1 and s.row_id = t.id)"
                        + " order by t.id limit ?4")
                .setParameter(1, table).setParameter(2, batch).setParameter(3, lowest)
                .setParameter(4, batchRows).executeUpdate();
        if (rows == 0) return new Batch(0, 0);
        em.createNativeQuery("insert into audit_seal_batch (table_name, batch_no, row_count, rows_hash, prev_hash, batch_hash)"
                        + " select ?1, ?2, ?3, r.h, ?4, sha256(?4 || r.h || convert_to(cast(?2 as text), 'UTF8'))"
                        + " from (select sha256(string_agg(row_hash, cast('' as bytea) order by row_id)) h from audit_seal"
                        + " where table_name = ?1 and batch_no = ?2) r")
                .setParameter(1, table).setParameter(2, batch).setParameter(3, rows).setParameter(4, prev).executeUpdate();
        Object[] now = head(table);
        LOG.infof("Audit chain %s: batch %s sealed %s rows, head %s", table, String.valueOf(batch), String.valueOf(rows),
                HexFormat.of().formatHex((byte[]) now[1]));
        Number last = (Number) em.createNativeQuery("select max(row_id) from audit_seal where table_name = ?1 and batch_no = ?2")
                .setParameter(1, table).setParameter(2, batch).getSingleResult();
        return new Batch(rows, last.longValue());
    }

    private Object[] head(String table) {
        @SuppressWarnings("unchecked")
        List<Object[]> h = em.createNativeQuery("select batch_no, batch_hash from audit_seal_batch where table_name = ?1"
                + " order by batch_no desc limit 1").setParameter(1, table).getResultList();
        return h.isEmpty() ? null : h.get(0);
    }

    /** The canonical encoding: the row as jsonb text (in UTC), without the columns updated later. */
    private static String rowHash(String table) {
        StringBuilder json = new StringBuilder("to_jsonb(t)");
        for (String column : TABLES.get(table)) json.append(" - '").append(column).append('\'');
        return "sha256(convert_to(cast(" + json + " as text), 'UTF8'))";
    }

    /** Seals what is new, then walks every chain; names the first broken link of each table. */
    public Report verify(String only) {
        if (only != null && !TABLES.containsKey(only)) {
            throw ProblemException.invalidField("table", "没有名为“" + only + "”的审计表，可选：" + String.join("、", TABLES.keySet()));
        }
        sealAll();
        List<TableReport> reports = new ArrayList<>();
        for (String table : TABLES.keySet()) {
            if (only != null && !only.equals(table)) continue;
            reports.add(QuarkusTransaction.requiringNew().call(() -> verifyTable(table)));
        }
        Link first = reports.stream().map(TableReport::firstBroken).filter(l -> l != null).findFirst().orElse(null);
        return new Report(first == null, reports, first);
    }

    private TableReport verifyTable(String table) {
        em.createNativeQuery("set local time zone 'UTC'").executeUpdate();
        // 1. The chain of batches: each links to the one before, and its rows hash to what was sealed.
        @SuppressWarnings("unchecked")
        List<Object[]> batches = em.createNativeQuery("select b.batch_no, b.prev_hash, b.batch_hash, b.rows_hash, b.row_count,"
                + " r.h, coalesce(r.n, 0), sha256(b.prev_hash || b.rows_hash || convert_to(cast(b.batch_no as text), 'UTF8'))"
                + " from audit_seal_batch b left join (select batch_no, sha256(string_agg(row_hash, cast('' as bytea) order by row_id)) h,"
                + " count(*) n from audit_seal where table_name = ?1 group by batch_no) r on r.batch_no = b.batch_no"
                + " where b.table_name = ?1 order by b.batch_no").setParameter(1, table).getResultList();
        byte[] prev = new byte[32];
        long expected = 1;
        long sealed = 0;
        Link broken = null;
        for (Object[] b : batches) {
            long no = ((Number) b[0]).longValue();
            if (no != expected) {
                broken = new Link(table, "BATCH_MISSING", null, expected, "封存批次 " + expected + " 缺失（审计封存记录被删除）");
            } else if (!java.util.Arrays.equals(prev, (byte[]) b[1]) || !java.util.Arrays.equals((byte[]) b[2], (byte[]) b[7])) {
                broken = new Link(table, "CHAIN_BROKEN", null, no, "封存批次 " + no + " 与前一批次的链接不符（封存记录被改动）");
            } else if (!java.util.Arrays.equals((byte[]) b[3], (byte[]) b[5]) || ((Number) b[4]).longValue() != ((Number) b[6]).longValue()) {
                broken = new Link(table, "SEAL_CHANGED", null, no, "封存批次 " + no + " 中的行哈希被改动或删除");
            }
            if (broken != null) break;
            prev = (byte[]) b[2];
            expected = no + 1;
            sealed += ((Number) b[4]).longValue();
        }
        // 2. Every sealed row still hashes to its seal (changed) and still exists (deleted).
        if (broken == null) {
            @SuppressWarnings("unchecked")
            List<Object[]> bad = em.createNativeQuery("select s.row_id, s.batch_no, t.id is null from audit_seal s left join "
                    + table + " t on t.id = s.row_id where s.table_name = ?1 and (t.id is null or s.row_hash <> " + rowHash(table)
                    + ") order by s.row_id limit 1").setParameter(1, table).getResultList();
            if (!bad.isEmpty()) {
                long row = ((Number) bad.get(0)[0]).longValue();
                long no = ((Number) bad.get(0)[1]).longValue();
                boolean deleted = (Boolean) bad.get(0)[2];
                broken = deleted
                        ? new Link(table, "DELETED", row, no, table + " 中 id=" + row + " 的记录已被删除（封存于批次 " + no + "）")
                        : new Link(table, "CHANGED", row, no, table + " 中 id=" + row + " 的记录在封存后被改动（封存于批次 " + no + "）");
            }
        }
        String headHash = batches.isEmpty() ? null : HexFormat.of().formatHex((byte[]) batches.get(batches.size() - 1)[2]);
        return new TableReport(table, broken == null, sealed, batches.size(), headHash, broken);
    }

    /** Records a login attempt (success or failure) in its own transaction. */
    public void login(String username, String address, String outcome) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into login_audit (id, username, address, outcome)"
                        + " values (nextval('login_audit_seq'), ?1, ?2, ?3)")
                .setParameter(1, username.length() > 64 ? username.substring(0, 64) : username)
                .setParameter(2, address).setParameter(3, outcome).executeUpdate());
    }
}
