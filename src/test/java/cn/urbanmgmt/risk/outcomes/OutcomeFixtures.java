package cn.urbanmgmt.risk.outcomes;

import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.uscc;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Past history for the outcome tests, written straight into the tables with its past timestamps
 * (the API stamps what it records with now).
 */
final class OutcomeFixtures {

    private OutcomeFixtures() {
    }

    /**
     * A retail merchant opened in 2010, registered through the API and closed at once: the tests share
     * one database, and draws and simulations of other tests leave closed merchants out, while the
     * backtest and the outcome measures (past inspections) count them.
     */
    static long retail(String street) {
        long id = openRetail(street);
        cn.urbanmgmt.risk.TestSupport.as("admin").post("/api/v1/merchants/" + id + "/close").then().statusCode(200);
        return id;
    }

    /** As {@link #retail} but left open (close it when done). */
    static long openRetail(String street) {
        Map<String, Object> m = cn.urbanmgmt.risk.TestSupport.merchant(uscc(), street);
        m.put("category", "RETAIL");
        m.put("openedOn", "2010-01-01");
        return asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Logs in through the console's login form (the console takes no HTTP Basic). */
    static Map<String, String> consoleLogin(String user) {
        io.restassured.response.Response loginPage = io.restassured.RestAssured.given().redirects().follow(false).get("/login");
        Map<String, String> cookies = new java.util.HashMap<>(loginPage.getCookies());
        io.restassured.response.Response r = io.restassured.RestAssured.given().redirects().follow(false).cookies(cookies)
                .formParam("j_username", user).formParam("j_password", cn.urbanmgmt.risk.TestSupport.PASSWORD)
                .post("/j_security_check?csrf-token=" + cookies.get("console-csrf"));
        r.then().statusCode(302);
        cookies.putAll(r.getCookies());
        return cookies;
    }

    static long caseEvent(AgroalDataSource ds, long merchant, String occurred, String recorded, String severity, boolean fromComplaint,
                          int fine, Long supersedes) throws SQLException {
        return insert(ds, merchant, "CASE", occurred, recorded, supersedes,
                "case_no, violation_type, severity, fine_yuan, from_complaint", "?, 'STREET_OCCUPATION', ?, ?::numeric, ?::boolean",
                "JA-T-" + UUID.randomUUID().toString().substring(0, 8), severity, String.valueOf(fine), String.valueOf(fromComplaint));
    }

    static long inspection(AgroalDataSource ds, long merchant, String occurred, String item, String outcome, String inspectors, Long supersedes)
            throws SQLException {
        return insert(ds, merchant, "INSPECTION", occurred, occurred, supersedes, "item_code, outcome, inspectors", "?, ?, ?", item, outcome, inspectors);
    }

    static long complaint(AgroalDataSource ds, long merchant, String occurred, String category, Boolean verified) throws SQLException {
        return insert(ds, merchant, "COMPLAINT", occurred, occurred, null, "channel, complaint_category, verified", "'HOTLINE_12345', ?, ?::boolean",
                category, verified == null ? null : verified.toString());
    }

    static void inspector(AgroalDataSource ds, String badge, String name, String squad) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into inspector (id, badge_no, name, squad_code, updated_by) values (nextval('inspector_seq'), ?, ?, ?, 'test')")) {
            ps.setString(1, badge);
            ps.setString(2, name);
            ps.setString(3, squad);
            ps.executeUpdate();
        }
    }

    static void gradeHistory(AgroalDataSource ds, long merchant, String grade, String changedAt) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into grade_history (merchant_id, old_grade, new_grade, old_score, new_score, changed_at, rule_set_version, cause, reasons)
                values (?, null, ?, null, 0, ?::timestamptz, 'test', 'test', '[]'::jsonb)""")) {
            ps.setLong(1, merchant);
            ps.setString(2, grade);
            ps.setString(3, changedAt + " 12:00:00+08");
            ps.executeUpdate();
        }
    }

    /** One event at 10:00 Shanghai time of {@code occurred}, recorded at 18:00 of {@code recorded}; a correction marks the one it replaces. */
    static long insert(AgroalDataSource ds, long merchant, String type, String occurred, String recorded, Long supersedes, String columns,
                       String values, String... args) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            long id;
            try (PreparedStatement ps = conn.prepareStatement("select nextval('merchant_event_seq')"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement ps = conn.prepareStatement("insert into merchant_event (id, merchant_id, type, source, source_id, occurred_at, "
                    + "recorded_at, recorded_by, supersedes_id, " + columns + ") values (?, ?, ?, 'outcome-test', ?, ?::timestamptz, ?::timestamptz, "
                    + "'test', ?, " + values + ")")) {
                ps.setLong(1, id);
                ps.setLong(2, merchant);
                ps.setString(3, type);
                ps.setString(4, UUID.randomUUID().toString());
                ps.setString(5, occurred + " 10:00:00+08");
                ps.setString(6, recorded + " 18:00:00+08");
                ps.setObject(7, supersedes);
                for (int i = 0; i < args.length; i++) ps.setString(8 + i, args[i]);
                ps.executeUpdate();
            }
            if (supersedes != null) {
                try (PreparedStatement ps = conn.prepareStatement("update merchant_event set superseded_by = ? where id = ?")) {
                    ps.setLong(1, id);
                    ps.setLong(2, supersedes);
                    ps.executeUpdate();
                }
            }
            return id;
        }
    }
}
