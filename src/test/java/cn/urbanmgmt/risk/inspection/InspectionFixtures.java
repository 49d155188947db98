package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;

import cn.urbanmgmt.risk.events.EventService;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builders for the inspection tests. Every test brings its own item codes (so only its own inspectors
 * are qualified and only its own events count) and scopes plans to its own merchants by uscc list.
 */
public final class InspectionFixtures {

    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() % 100_000));

    private InspectionFixtures() {
    }

    public static LocalDate today() {
        return LocalDate.now(EventService.ZONE);
    }

    public static String code(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    public static String badge() {
        return "TB" + SEQ.incrementAndGet() + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
    }

    public static Map<String, Object> item(String code, String policy) {
        Map<String, Object> m = new HashMap<>();
        m.put("edition", 2021);
        m.put("code", code);
        m.put("name", "测试事项" + code);
        m.put("legalBasis", "《上海市市容环境卫生管理条例》第二十二条");
        m.put("mode", "ON_SITE");
        m.put("samplingPolicy", policy);
        return m;
    }

    public static long createItem(String code, String policy) {
        return asJson("planner").body(item(code, policy)).post("/api/v1/inspection/items").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /**
     * Runs the simulation a sampling version needs before it may be activated (SimulationGate): the whole
     * district, every active item of the newest item list, as of today; waits for it to end.
     */
    public static JsonPath simulateSamplingWholeDistrict(String version) throws InterruptedException {
        List<Map<String, Object>> items = as("author").queryParam("active", true).get("/api/v1/inspection/items").then().statusCode(200)
                .extract().jsonPath().getList("$");
        int newest = items.stream().mapToInt(i -> ((Number) i.get("edition")).intValue()).max().orElseThrow();
        List<String> codes = items.stream().filter(i -> ((Number) i.get("edition")).intValue() == newest).map(i -> (String) i.get("code")).toList();
        long job = asJson("author").body(Map.of("items", codes, "edition", newest))
                .post("/api/v1/inspection/sampling-rules/versions/" + version + "/simulate").then().statusCode(202).extract().jsonPath().getLong("id");
        for (int i = 0; i < 1200; i++) {
            JsonPath done = as("author").get("/api/v1/jobs/" + job).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(done.getString("status"))) return done;
            Thread.sleep(100);
        }
        throw new AssertionError("sampling simulation " + job + " did not finish in 120 s");
    }

    /** {@link #simulateSamplingWholeDistrict}, checking that the version faulted on no merchant and gave no stratum two proportions. */
    public static JsonPath simulateSamplingClean(String version) throws InterruptedException {
        JsonPath done = simulateSamplingWholeDistrict(version);
        if (!"DONE".equals(done.getString("status")) || !done.getList("result.faults").isEmpty() || !done.getList("result.conflicts").isEmpty()) {
            throw new AssertionError("sampling simulation of " + version + " did not finish cleanly: " + done.prettify());
        }
        return done;
    }

    public static Map<String, Object> inspector(String badge, String squad, List<String> qualified) {
        Map<String, Object> m = new HashMap<>();
        m.put("badgeNo", badge);
        m.put("name", "检查员" + badge.substring(Math.max(0, badge.length() - 4)));
        m.put("squad", squad);
        m.put("qualifiedItems", qualified);
        return m;
    }

    public static long createInspector(Map<String, Object> body) {
        return asJson("planner").body(body).post("/api/v1/inspection/inspectors").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** n inspectors of a squad qualified for the items; returns their badges. */
    public static List<String> staff(int n, String squad, List<String> qualified) {
        List<String> badges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String b = badge();
            createInspector(inspector(b, squad, qualified));
            badges.add(b);
        }
        return badges;
    }

    /** One merchant row for the registry import. */
    public record M(String uscc, String street, String category, boolean keyUnit, String keyUnitType, String status, LocalDate openedOn,
                    String contact) {
        public static M of(String street) {
            return new M(cn.urbanmgmt.risk.TestSupport.uscc(), street, "RETAIL", false, null, "OPERATING", LocalDate.of(2020, 5, 1), null);
        }

        public M opened(LocalDate d) {
            return new M(uscc, street, category, keyUnit, keyUnitType, status, d, contact);
        }

        public M status(String s) {
            return new M(uscc, street, category, keyUnit, keyUnitType, s, openedOn, contact);
        }

        public M keyUnit(String type, String category) {
            return new M(uscc, street, category, true, type, status, openedOn, contact);
        }

        public M contact(String name) {
            return new M(uscc, street, category, keyUnit, keyUnitType, status, openedOn, name);
        }
    }

    /** Registers the merchants with one import; returns their ids by uscc. */
    public static Map<String, Long> register(List<M> merchants) {
        StringBuilder csv = new StringBuilder("uscc,name,address,street,category,keyUnit,keyUnitType,status,openedOn,contactName\n");
        for (M m : merchants) {
            csv.append(m.uscc()).append(",测试商户").append(m.uscc().substring(10)).append(",上海市静安区测试路1号,").append(m.street()).append(',')
                    .append(m.category()).append(',').append(m.keyUnit() ? "是" : "否").append(',').append(m.keyUnitType() == null ? "" : m.keyUnitType())
                    .append(',').append(m.status()).append(',').append(m.openedOn()).append(',').append(m.contact() == null ? "" : m.contact()).append('\n');
        }
        as("admin").contentType("text/csv").body(csv.toString().getBytes(StandardCharsets.UTF_8)).post("/api/v1/merchants/import")
                .then().statusCode(200);
        Map<String, Long> ids = new LinkedHashMap<>();
        for (M m : merchants) {
            ids.put(m.uscc(), as("admin").get("/api/v1/merchants/by-uscc/" + m.uscc()).then().statusCode(200).extract().jsonPath().getLong("id"));
        }
        return ids;
    }

    static Map<String, Object> event(long merchantId, String type, int daysAgo) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", type);
        e.put("source", "test");
        e.put("sourceId", UUID.randomUUID().toString());
        e.put("occurredAt", today().minusDays(daysAgo).toString());
        e.put("merchantId", merchantId);
        return e;
    }

    /** A serious case 10 days ago: 40 points and a YELLOW floor. */
    public static void makeYellow(long merchantId) {
        Map<String, Object> e = event(merchantId, "CASE", 10);
        e.put("caseNo", "T-" + UUID.randomUUID().toString().substring(0, 8));
        e.put("violationType", "STREET_OCCUPATION");
        e.put("severity", "SERIOUS");
        asJson("admin").body(e).post("/api/v1/events").then().statusCode(201);
    }

    /** Listed as seriously dishonest: RED until repaired. */
    public static void makeRed(long merchantId) {
        credit(merchantId, "LISTED", 20);
    }

    public static void credit(long merchantId, String action, int daysAgo) {
        Map<String, Object> e = event(merchantId, "CREDIT", daysAgo);
        e.put("creditAction", action);
        if ("REPAIRED".equals(action)) {
            // Four eyes: a credit repair takes effect once a second officer approves it.
            long held = asJson("admin").body(e).post("/api/v1/events").then().statusCode(202).extract().jsonPath().getLong("pending.id");
            cn.urbanmgmt.risk.TestSupport.approveHeld(held, "chen.review");
            return;
        }
        asJson("admin").body(e).post("/api/v1/events").then().statusCode(201);
    }

    public static void inspected(long merchantId, String item, int daysAgo, List<String> badges) {
        Map<String, Object> e = event(merchantId, "INSPECTION", daysAgo);
        e.put("itemCode", item);
        e.put("outcome", "NO_PROBLEM");
        e.put("inspectors", badges);
        asJson("admin").body(e).post("/api/v1/events").then().statusCode(201);
    }

    public static Map<String, Object> plan(List<String> items, List<String> usccs) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "测试计划");
        p.put("items", items);
        p.put("scope", Map.of("usccs", usccs));
        p.put("periodStart", today().toString());
        p.put("periodEnd", today().plusDays(27).toString());
        return p;
    }

    /** The same plan request with a reason for overlapping earlier plans of the same test (shown on the public register). */
    public static Map<String, Object> overlapping(Map<String, Object> body) {
        Map<String, Object> p = new HashMap<>(body);
        p.put("overlapReason", "测试：同一范围再次生成计划");
        return p;
    }

    public static JsonPath createPlan(Map<String, Object> body) {
        return asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(201).extract().jsonPath();
    }

    public static String seed(int n) {
        return String.format("%064x", n);
    }

    /** All visits of a plan as planner (one page of up to 500). */
    public static List<Map<String, Object>> visits(long planId) {
        return as("planner").get("/api/v1/inspection/plans/" + planId + "/visits?size=500").then().statusCode(200).extract().jsonPath().getList("items");
    }
}
