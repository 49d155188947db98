package cn.urbanmgmt.risk.security;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, point 5: every audit trail is hash-chained; a row changed or deleted directly in
 * PostgreSQL (as a database administrator could) is found, and the report names the first broken link.
 */
@QuarkusTest
class AuditChainTest {

    private static final String VERIFY = "/api/v1/audit/verify";

    @Inject
    DataSource ds;

    private int sql(String statement, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }

    private String query(String statement, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Other test classes share this database and remove the merchants they made, audit rows included,
     * directly in SQL, which the chain rightly reports as deletions. Each test here therefore starts a
     * fresh chain: every row present now is sealed anew by the first verification.
     */
    @BeforeEach
    void freshChain() throws SQLException {
        sql("delete from audit_seal");
        sql("delete from audit_seal_batch");
    }

    private static JsonPath verify() {
        return as("admin").get(VERIFY).then().statusCode(200).extract().jsonPath();
    }

    @Inject
    AuditChain chain;

    @Test
    void aBacklogIsSealedInBoundedBatchesThatChainAndVerify() throws SQLException {
        for (int i = 0; i < 3; i++) TestSupport.createMerchant(TestSupport.uscc(), "jingansi");
        long rows = Long.parseLong(query("select count(*) from merchant_audit"));
        assertTrue(rows >= 3, "rows: " + rows);
        chain.batchRows(2);
        try {
            freshChain(); // again, now that the periodic sealer (every 60 s) also seals 2 rows at a time
            JsonPath report = verify();
            assertTrue(report.getBoolean("intact"), report.prettify());
            Map<String, Object> audit = report.getList("tables", Map.class).stream()
                    .filter(t -> "merchant_audit".equals(t.get("table"))).findFirst().orElseThrow();
            assertTrue(((Number) audit.get("sealedRows")).longValue() == rows, audit.toString());
            long batches = ((Number) audit.get("batches")).longValue();
            assertTrue(batches == (rows + 1) / 2, "every batch holds at most 2 rows: " + batches + " batches for " + rows + " rows");
            assertTrue("0".equals(query("select count(*) from audit_seal_batch where table_name = 'merchant_audit' and row_count > 2")));
        } finally {
            chain.batchRows(AuditChain.BATCH_ROWS);
        }
    }

    @Test
    void aRowChangedDirectlyInPostgresqlIsFoundAndNamed() throws SQLException {
        long merchant = TestSupport.createMerchant(TestSupport.uscc(), "jingansi");
        JsonPath ok = verify();
        assertTrue(ok.getBoolean("intact"), ok.prettify());
        as("admin").get(VERIFY).then().body("tables.table", hasItems("merchant_audit", "merchant_event", "rule_audit", "user_audit", "login_audit", "approval_audit"))
                .body("tables.find { it.table == 'merchant_audit' }.headHash", notNullValue());

        long auditId = Long.parseLong(query("select max(id) from merchant_audit where merchant_id = ?", merchant));
        String original = query("select changed_by from merchant_audit where id = ?", auditId);
        sql("update merchant_audit set changed_by = 'mallory' where id = ?", auditId);
        try {
            as("admin").get(VERIFY).then().statusCode(200).body("intact", is(false))
                    .body("firstBroken.table", is("merchant_audit")).body("firstBroken.kind", is("CHANGED"))
                    .body("firstBroken.rowId", is((int) auditId)).body("firstBroken.message", containsString("被改动"));
            as("admin").queryParam("table", "user_audit").get(VERIFY).then().statusCode(200).body("intact", is(true));
        } finally {
            sql("update merchant_audit set changed_by = ? where id = ?", original, auditId);
        }
        as("admin").get(VERIFY).then().statusCode(200).body("intact", is(true));
    }

    @Test
    void aRowDeletedDirectlyIsFoundAndSoIsATamperedSeal() throws SQLException {
        String user = "audit." + TestSupport.uscc().substring(10, 16).toLowerCase();
        long id = asJson("admin").body(Map.of("username", user, "displayName", "审计测试", "roles", List.of("PLANNER")))
                .post("/api/v1/users").then().statusCode(201).extract().jsonPath().getLong("user.id");
        verify(); // seals the new row
        long rowId = Long.parseLong(query("select max(id) from user_audit where user_id = ?", id));
        String json = query("select to_jsonb(u)::text from user_audit u where id = ?", rowId);
        sql("delete from user_audit where id = ?", rowId);
        try {
            as("admin").get(VERIFY).then().statusCode(200).body("intact", is(false))
                    .body("firstBroken.table", is("user_audit")).body("firstBroken.kind", is("DELETED"))
                    .body("firstBroken.rowId", is((int) rowId)).body("firstBroken.message", containsString("已被删除"));
        } finally {
            sql("insert into user_audit select * from jsonb_populate_record(null::user_audit, ?::jsonb)", json);
        }
        as("admin").get(VERIFY).then().statusCode(200).body("intact", is(true));

        // Rewriting the seal to match a changed row breaks the chain of batches instead.
        String seal = query("select encode(row_hash, 'hex') from audit_seal where table_name = 'user_audit' and row_id = ?", rowId);
        sql("update audit_seal set row_hash = sha256('forged'::bytea) where table_name = 'user_audit' and row_id = ?", rowId);
        try {
            as("admin").queryParam("table", "user_audit").get(VERIFY).then().statusCode(200).body("intact", is(false))
                    .body("firstBroken.kind", is("SEAL_CHANGED"));
        } finally {
            sql("update audit_seal set row_hash = decode(?, 'hex') where table_name = 'user_audit' and row_id = ?", seal, rowId);
        }
        as("admin").get(VERIFY).then().statusCode(200).body("intact", is(true));
    }

    @Test
    void correctionsAndLoginsKeepTheChainIntact() throws SQLException {
        long merchant = TestSupport.createMerchant(TestSupport.uscc(), "caojiadu");
        Map<String, Object> e = new java.util.HashMap<>(Map.of("type", "CASE", "source", "audit-test", "sourceId", "A-" + merchant,
                "occurredAt", java.time.LocalDate.now().minusDays(5).toString(), "merchantId", merchant, "caseNo", "JA-A" + merchant,
                "violationType", "STREET_OCCUPATION", "severity", "SERIOUS"));
        asJson("admin").body(e).post("/api/v1/events").then().statusCode(201);
        verify();
        // A correction sets superseded_by on the sealed event: a legitimate change, not a broken link.
        e.put("sourceId", "A2-" + merchant);
        e.put("severity", "MINOR");
        e.put("supersedesSourceId", "A-" + merchant);
        // It lowers the grade: held for a second officer (four eyes), whose approval stores it.
        long held = asJson("admin").body(e).post("/api/v1/events").then().statusCode(202).extract().jsonPath().getLong("pending.id");
        TestSupport.approveHeld(held, "chen.review");
        given().auth().preemptive().basic("planner", "not-the-password").get("/api/v1/merchants").then().statusCode(401);
        as("admin").get(VERIFY).then().statusCode(200).body("intact", is(true));
        assertTrue(Integer.parseInt(query("select count(*) from login_audit where username = 'planner' and outcome = 'FAILED'")) > 0);
    }

    @Test
    void onlyAdminAndReviewersVerify() {
        as("planner").get(VERIFY).then().statusCode(403);
        as("chen.review").get(VERIFY).then().statusCode(200);
        as("admin").queryParam("table", "nope").get(VERIFY).then().statusCode(400).body("errors[0].field", is("table"));
    }
}
