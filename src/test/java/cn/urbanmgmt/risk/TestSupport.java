package cn.urbanmgmt.risk;

import static io.restassured.RestAssured.given;

import cn.urbanmgmt.risk.common.Uscc;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Shared helpers for the REST tests: demo accounts, valid USCCs, merchant bodies. */
public final class TestSupport {

    public static final String PASSWORD = "demo1234";
    private static final AtomicLong COUNTER = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private TestSupport() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, PASSWORD);
    }

    public static RequestSpecification asJson(String user) {
        return as(user).contentType(ContentType.JSON);
    }

    /**
     * Four eyes for rule changes (issue 14): the author proposes {@code version} of the rule set at
     * {@code apiBase} and a reviewer who is not the author (chen.review, 法制审核) approves it, so that it
     * may be activated. Does nothing for a version already approved.
     */
    public static void approveRules(String apiBase, String version) {
        String state = as("chen.review").get(apiBase + "/versions/" + version + "/review").then().statusCode(200)
                .extract().jsonPath().getString("version.approval");
        if ("APPROVED".equals(state)) return;
        if (!"PROPOSED".equals(state)) {
            asJson("author").body(java.util.Map.of("comment", "提交法制审核")).post(apiBase + "/versions/" + version + "/propose")
                    .then().statusCode(200).body("version.approval", org.hamcrest.Matchers.equalTo("PROPOSED"));
        }
        asJson("chen.review").body(java.util.Map.of("comment", "经审核同意")).post(apiBase + "/versions/" + version + "/approve")
                .then().statusCode(200).body("version.approval", org.hamcrest.Matchers.equalTo("APPROVED"))
                .body("version.reviewedBy", org.hamcrest.Matchers.equalTo("chen.review"));
    }

    /**
     * Four eyes where a grade goes down (issue 14): {@code approver} approves the held item {@code id};
     * returns the answer (the item, now APPROVED, and the merchant's grade after its regrade).
     */
    public static io.restassured.path.json.JsonPath approveHeld(long id, String approver) {
        return asJson(approver).body(java.util.Map.of("comment", "已核实，同意")).post("/api/v1/approvals/" + id + "/approve").then()
                .statusCode(200).body("item.status", org.hamcrest.Matchers.equalTo("APPROVED"))
                .body("item.decidedBy", org.hamcrest.Matchers.equalTo(approver)).extract().jsonPath();
    }

    /** A fresh, valid, unique unified social credit code. */
    public static String uscc() {
        long v = COUNTER.incrementAndGet() * 7_777_777L;
        StringBuilder org = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            org.append(Uscc.ALPHABET.charAt((int) (v % 31)));
            v /= 31;
        }
        String first17 = "92310106" + org;
        return first17 + Uscc.checkChar(first17);
    }

    public static Map<String, Object> merchant(String uscc, String street) {
        Map<String, Object> m = new HashMap<>();
        m.put("uscc", uscc);
        m.put("name", "测试餐厅" + uscc.substring(12));
        m.put("address", "上海市静安区愚园路1号");
        m.put("street", street);
        m.put("category", "CATERING");
        m.put("openedOn", "2020-05-01");
        return m;
    }

    /** Creates a merchant as admin and returns its id. */
    public static long createMerchant(String uscc, String street) {
        return asJson("admin").body(merchant(uscc, street)).post("/api/v1/merchants")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
