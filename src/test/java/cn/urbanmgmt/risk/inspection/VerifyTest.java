package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.makeYellow;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Verify recomputes a stored plan from its recorded inputs and detects tampering; a third party can re-run the draw. */
@QuarkusTest
class VerifyTest {

    static final String STREET = "caojiadu";

    @Inject
    AgroalDataSource db;

    static String riskItem;
    static String weeklyItem;
    static List<String> usccs = new ArrayList<>();

    @BeforeEach
    void district() {
        if (riskItem != null) return;
        riskItem = code("TV");
        createItem(riskItem, "RISK_BASED");
        weeklyItem = code("TW");
        Map<String, Object> weekly = InspectionFixtures.item(weeklyItem, "KEY_UNIT_WEEKLY");
        weekly.put("keyUnitTypes", List.of("RESTAURANT", "STAR_HOTEL"));
        cn.urbanmgmt.risk.TestSupport.asJson("planner").body(weekly).post("/api/v1/inspection/items").then().statusCode(201);
        staff(6, "sq-caojiadu", List.of(riskItem, weeklyItem));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < 60; i++) ms.add(M.of(STREET));
        for (int i = 0; i < 12; i++) ms.add(M.of(STREET).keyUnit("RESTAURANT", "CATERING"));
        Map<String, Long> ids = register(ms);
        for (int i = 0; i < 5; i++) makeYellow(ids.get(ms.get(i).uscc()));
        ms.forEach(m -> usccs.add(m.uscc()));
    }

    JsonPath newPlan(int ignored) {
        return createPlan(InspectionFixtures.overlapping(plan(List.of(riskItem, weeklyItem), usccs)));
    }

    void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    @Test
    void anUntouchedPlanVerifiesIdentical() {
        JsonPath p = newPlan(7);
        as("planner").get("/api/v1/inspection/plans/" + p.getLong("id") + "/verify").then().statusCode(200)
                .body("identical", is(true)).body("seedMatchesCommitment", is(true)).body("candidatesIntact", is(true))
                .body("inputsIntact", is(true)).body("drawIdentical", is(true)).body("resultIdentical", is(true))
                .body("storedVisits", is(p.getInt("visitCount"))).body("recomputedVisits", is(p.getInt("visitCount")))
                .body("recomputed.result", equalTo(p.getString("digests.result")))
                .body("summary", containsString("一致"));
    }

    @Test
    void swappingAnInspectorInTheDatabaseIsDetected() throws Exception {
        JsonPath p = newPlan(8);
        long id = p.getLong("id");
        sql("update plan_visit set inspector_ids = array[inspector_ids[2], inspector_ids[1]] where plan_id = " + id + " and visit_no = 2");
        as("planner").get("/api/v1/inspection/plans/" + id + "/verify").then().statusCode(200)
                .body("identical", is(false)).body("resultIdentical", is(false)).body("drawIdentical", is(true))
                .body("differences.visitNo", hasItem(2)).body("summary", containsString("不一致"));
    }

    @Test
    void replacingADrawnMerchantIsDetected() throws Exception {
        JsonPath p = newPlan(9);
        long id = p.getLong("id");
        String outsider = usccs.stream().filter(u -> !drawnUsccs(id).contains(u)).findFirst().orElseThrow();
        sql("update plan_visit set uscc = '" + outsider + "', merchant_id = (select id from merchant where uscc = '" + outsider + "') "
                + "where plan_id = " + id + " and visit_no = 1");
        as("planner").get("/api/v1/inspection/plans/" + id + "/verify").then().statusCode(200)
                .body("identical", is(false)).body("differences.visitNo", hasItem(1));
    }

    @Test
    void changingTheSeedOrTheCandidateListIsDetected() throws Exception {
        long a = newPlan(10).getLong("id");
        sql("update inspection_plan set seed = '" + InspectionFixtures.seed(11) + "' where id = " + a);
        as("planner").get("/api/v1/inspection/plans/" + a + "/verify").then().statusCode(200)
                .body("identical", is(false)).body("seedMatchesCommitment", is(false)).body("drawIdentical", is(false));
        long b = newPlan(12).getLong("id");
        Map<String, Object> smaller = InspectionFixtures.overlapping(plan(List.of(riskItem, weeklyItem), usccs.subList(30, 72)));
        long c = createPlan(smaller).getLong("id");
        // a shorter candidate list slipped in: its digest no longer matches the recorded one
        sql("update inspection_plan set candidates = (select candidates from inspection_plan where id = " + c + ") where id = " + b);
        as("planner").get("/api/v1/inspection/plans/" + b + "/verify").then().statusCode(200)
                .body("identical", is(false)).body("candidatesIntact", is(false)).body("seedMatchesCommitment", is(true));
        long d = newPlan(14).getLong("id");
        sql("update inspection_plan set inputs_sha256 = repeat('0', 64) where id = " + d);
        as("planner").get("/api/v1/inspection/plans/" + d + "/verify").then().statusCode(200)
                .body("identical", is(false)).body("inputsIntact", is(false));
    }

    List<String> drawnUsccs(long id) {
        return InspectionFixtures.visits(id).stream().map(v -> (String) v.get("uscc")).toList();
    }

    @Test
    void aThirdPartyReRunsTheDrawFromTheSeedAndTheCandidateList() throws Exception {
        JsonPath p = newPlan(15);
        long id = p.getLong("id");
        String candidates = as("planner").get("/api/v1/inspection/plans/" + id + "/candidates.csv").then().statusCode(200).extract().asString();
        String published = as("planner").get("/api/v1/inspection/plans/" + id + "/draw.csv").then().statusCode(200).extract().asString();
        assertEquals(p.getString("digests.candidates"), sha256(candidates));
        String mine = ThirdParty.draw(p.getString("seed"), p.getInt("weeks"), candidates);
        assertEquals(published, mine);
        assertEquals(p.getString("digests.draw"), sha256(mine));
        // the weekly stratum took ceil(10% of 12) = 2 key units in each of the 4 weeks
        long weekly = mine.lines().filter(l -> l.startsWith(weeklyItem + ",")).count();
        assertEquals(8, weekly);
    }

    @Test
    void thePythonScriptPublishedInTheDocsReRunsTheDrawToo() throws Exception {
        java.nio.file.Path script = java.nio.file.Path.of("docs/double-random-rerun.py");
        JsonPath p = newPlan(16);
        long id = p.getLong("id");
        if (!python3()) org.junit.jupiter.api.Assertions.fail("python3 is needed to run docs/double-random-rerun.py; install it (e.g. apt-get install python3)");
        java.nio.file.Path candidates = java.nio.file.Files.createTempFile("candidates", ".csv");
        java.nio.file.Files.write(candidates, as("planner").get("/api/v1/inspection/plans/" + id + "/candidates.csv").then().statusCode(200)
                .extract().asByteArray());
        // the weeks derived from the period, and the seed and candidate list checked against the commitments
        String period = p.getString("periodStart") + ":" + p.getString("periodEnd");
        Process proc = new ProcessBuilder("python3", script.toString(), p.getString("seed"), period, candidates.toString(),
                "--commitment", p.getString("seedCommitment"), "--candidates-digest", p.getString("digests.candidates"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor());
        assertEquals(p.getString("digests.draw"), sha256(out));
        // a seed that does not match the commitment is reported
        Process wrong = new ProcessBuilder("python3", script.toString(), p.getString("seed"), String.valueOf(p.getInt("weeks")), candidates.toString(),
                "--commitment", "0".repeat(64)).start();
        wrong.getInputStream().readAllBytes();
        String err = new String(wrong.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, wrong.waitFor());
        assertTrue(err.contains("commitment"), err);
        java.nio.file.Files.delete(candidates);
    }

    static boolean python3() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * An independent re-implementation of docs/double-random.md, using nothing of the service:
     * rank each stratum by HMAC-SHA256(seed, uscc) and take ceil(size × percent / 100).
     */
    static final class ThirdParty {
        static String draw(String seedHex, int weeks, String candidatesCsv) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(seedHex), "HmacSHA256"));
            Map<String, List<String>> strata = new LinkedHashMap<>();
            candidatesCsv.lines().skip(1).forEach(line -> {
                int cut = line.lastIndexOf(',');
                strata.computeIfAbsent(line.substring(0, cut), k -> new ArrayList<>()).add(line.substring(cut + 1));
            });
            List<String[]> out = new ArrayList<>();
            for (Map.Entry<String, List<String>> s : strata.entrySet()) {
                String[] f = s.getKey().split(",");   // item_code, stratum, percent, weekly
                List<String> ranked = new ArrayList<>(s.getValue());
                Map<String, String> key = new LinkedHashMap<>();
                for (String u : ranked) key.put(u, HexFormat.of().formatHex(mac.doFinal(u.getBytes(StandardCharsets.UTF_8))));
                ranked.sort(Comparator.comparing((String u) -> key.get(u)).thenComparing(u -> u));
                int n = ranked.size();
                int k = (int) (((long) n * new BigDecimal(f[2]).movePointRight(2).intValueExact() + 9999) / 10000);
                boolean weekly = Boolean.parseBoolean(f[3]);
                for (int w = 0; w < (weekly ? weeks : 1); w++) {
                    for (int j = 0; j < k; j++) {
                        out.add(new String[]{f[0], f[1], weekly ? String.valueOf(w + 1) : "", ranked.get((w * k + j) % n)});
                    }
                }
            }
            out.sort(Comparator.<String[], String>comparing(r -> r[0]).thenComparing(r -> r[1])
                    .thenComparingInt(r -> r[2].isEmpty() ? 0 : Integer.parseInt(r[2])).thenComparing(r -> r[3]));
            StringBuilder sb = new StringBuilder("item_code,stratum,week,uscc\n");
            for (String[] r : out) sb.append(String.join(",", r)).append('\n');
            return sb.toString();
        }
    }
}
