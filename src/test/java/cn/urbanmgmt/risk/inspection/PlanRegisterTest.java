package cn.urbanmgmt.risk.inspection;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.M;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.code;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createInspector;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createItem;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.createPlan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.overlapping;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.plan;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.register;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.staff;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.today;
import static cn.urbanmgmt.risk.inspection.InspectionFixtures.visits;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the seed is the service's and committed on the public register at creation; every executable
 * plan is on the register; overlaps need a reason; cancel, void and inspector replacement are recorded and
 * public; verify names every stored field that was changed, with or without a login.
 */
@QuarkusTest
class PlanRegisterTest {

    static final String STREET = "jiangninglu";
    static final String SQUAD = "sq-jiangninglu";

    @Inject
    AgroalDataSource db;

    record District(String item, List<String> usccs, List<String> staff) {
    }

    /** n merchants opened 20 days ago (all drawn: the new-merchant stratum is 100 %), an own item, k inspectors. */
    District district(int n, int k) {
        String item = code("TG");
        createItem(item, "RISK_BASED");
        List<String> team = staff(k, SQUAD, List.of(item));
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) ms.add(M.of(STREET).opened(today().minusDays(20)));
        register(ms);
        return new District(item, ms.stream().map(M::uscc).toList(), team);
    }

    void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    String one(String query) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static JsonPath verify(long id) {
        return as("planner").get("/api/v1/inspection/plans/" + id + "/verify").then().statusCode(200).extract().jsonPath();
    }

    // ---- 1. commit before draw ----------------------------------------------------------------------

    @Test
    void anExecutablePlanTakesNoSeedFromThePlannerAndIsOnThePublicRegisterFromItsCreation() throws Exception {
        District d = district(3, 3);
        Map<String, Object> withSeed = plan(List.of(d.item()), d.usccs());
        withSeed.put("seed", InspectionFixtures.seed(42));
        asJson("planner").body(withSeed).post("/api/v1/inspection/plans").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("seed")).body("errors[0].message", containsString("dryRun"));
        // a dry run may use it and stores nothing
        asJson("planner").body(withSeed).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(200).body("dryRun", is(true));

        JsonPath p = createPlan(plan(List.of(d.item()), d.usccs()));
        long id = p.getLong("id");
        assertTrue(p.getBoolean("seedGenerated"));
        String seed = p.getString("seed");
        String commitment = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(seed)));
        assertEquals(commitment, p.getString("seedCommitment"));
        String record = p.getString("lifecycle.recordSha256");
        assertEquals(64, record.length());

        // anonymous, before any notice is published: the plan with its commitments, but no seed and no merchant
        String registerText = given().get("/api/v1/public/register").then().statusCode(200).body("chainIntact", is(true))
                .body("plans.planId", hasItem((int) id)).extract().asString();
        JsonPath reg = new JsonPath(registerText);
        Map<String, Object> entry = reg.getMap("plans.find { it.planId == " + id + " }");
        assertEquals(commitment, entry.get("seedCommitment"));
        assertEquals(record, entry.get("recordSha256"));
        assertEquals("ACTIVE", entry.get("status"));
        assertEquals(today().toString(), entry.get("periodStart"));
        assertFalse(registerText.contains(seed), "the seed stays secret until the period ends");
        for (String u : d.usccs()) assertFalse(registerText.contains(u), "no merchant on the register");
        given().get("/api/v1/public/plans/" + id).then().statusCode(404); // the notice is still the planner's to publish

        // the entry is hash-chained and carries the digest of every field
        JsonPath entries = given().get("/api/v1/public/register/entries?planId=" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("CREATED", entries.getString("[0].kind"));
        String prev = entries.getString("[0].prevSha256");
        String body = entries.getString("[0].bodyText");
        assertEquals(VerifyTest.sha256(prev + "\n" + body), entries.getString("[0].entrySha256"));
        Map<String, String> fields = entries.getMap("[0].body.fields");
        assertEquals(commitment, fields.get("seed"), "the digest of the seed field is the commitment");
        StringBuilder text = new StringBuilder("plan-record/1\n");
        for (Map.Entry<String, String> f : fields.entrySet()) text.append(f.getKey()).append(' ').append(f.getValue()).append('\n');
        assertEquals(32, fields.size());
        // the record hash follows from the fields in the documented order (docs/double-random.md)
        List<String> order = List.of("name", "edition", "items", "scope", "periodStart", "periodEnd", "weeks", "evaluationDate", "seed",
                "seedCommitment", "seedGenerated", "inspectorSquads", "inspectorsPerVisit", "samplingRulesVersion", "strata", "exclusions",
                "candidates", "candidatesSha256", "matchInputs", "inputsSha256", "drawSha256", "resultSha256", "visitCount", "merchantCount",
                "pools", "warnings", "overlapReason", "overlaps", "capacity", "capacityReason", "createdBy", "createdAt");
        StringBuilder ordered = new StringBuilder("plan-record/1\n");
        for (String f : order) ordered.append(f).append(' ').append(fields.get(f)).append('\n');
        assertEquals(record, VerifyTest.sha256(ordered.toString()));
        assertEquals(VerifyTest.sha256("\"" + p.getString("name") + "\""), fields.get("name"), "a string field is hashed as a JSON string");
        assertEquals(VerifyTest.sha256(String.valueOf(p.getInt("weeks"))), fields.get("weeks"));
        assertEquals(p.getString("digests.candidates"), fields.get("candidates"));

        // the register cannot be changed in place
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("update plan_register set officer = 'x' where plan_id = " + id);
            org.junit.jupiter.api.Assertions.fail("plan_register must be append-only");
        } catch (java.sql.SQLException e) {
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
    }

    @Test
    void aRewrittenRegisterEntryBreaksTheChain() throws Exception {
        District d = district(2, 3);
        long id = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        String seq = one("select seq from plan_register where plan_id = " + id + " and kind = 'CREATED'");
        String original = one("select body from plan_register where seq = " + seq);
        try {
            sql("alter table plan_register disable trigger plan_register_no_change");
            sql("update plan_register set body = replace(body, '\"inspectorsPerVisit\":2', '\"inspectorsPerVisit\":3') where seq = " + seq);
            verify(id);
            JsonPath v = verify(id);
            assertFalse(v.getBoolean("identical"));
            assertFalse(v.getBoolean("registerIntact"));
            given().get("/api/v1/public/register").then().body("chainIntact", is(false));
        } finally {
            try (Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement("update plan_register set body = ? where seq = ?")) {
                ps.setString(1, original);
                ps.setLong(2, Long.parseLong(seq));
                ps.executeUpdate();
            }
            sql("alter table plan_register enable trigger plan_register_no_change");
        }
        assertTrue(verify(id).getBoolean("identical"));
    }

    @Inject
    cn.urbanmgmt.risk.inspection.plans.RegisterBackfill backfill;

    String columns(String table, String... except) throws Exception {
        return one("select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns where table_name = '" + table
                + "' and column_name not in ('" + String.join("', '", except) + "')");
    }

    @Test
    void aPlanOlderThanTheRegisterIsBackfilledAndVerifiedAsRegisteredAfterTheDraw() throws Exception {
        District d = district(3, 3);
        long source = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        // An old-style plan, as drawn before the register existed (V15_1): the same draw stored under a new number a month
        // earlier, the columns V15_1 added at their defaults, no register entry.
        long old = Long.parseLong(one("select nextval('inspection_plan_seq')"));
        String planColumns = columns("inspection_plan", "id");
        sql("insert into inspection_plan (id, " + planColumns + ") select " + old + ", " + planColumns + " from inspection_plan where id = " + source);
        sql("update inspection_plan set name = '登记册启用前的计划', created_at = created_at - interval '30 days', status = 'ACTIVE', "
                + "record_sha256 = null, capacity = null, capacity_reason = null, overlap_reason = null, overlapping_plans = '[]', "
                + "notice_published_at = null where id = " + old);
        String visitColumns = columns("plan_visit", "id", "plan_id");
        sql("insert into plan_visit (id, plan_id, " + visitColumns + ") select nextval('plan_visit_seq'), " + old + ", " + visitColumns
                + " from plan_visit where plan_id = " + source);
        assertEquals("0", one("select count(*) from plan_register where plan_id = " + old));
        JsonPath before = verify(old);
        assertFalse(before.getBoolean("identical"));
        assertFalse(before.getBoolean("committedBeforeDraw"));
        assertTrue(before.getList("differences.what").contains("公示登记册上没有本计划生成时的登记"), before.prettify());

        // The backfill (run at start-up) enters it once, as BACKFILLED; plans with an entry are left alone.
        List<Long> done = backfill.backfill();
        assertTrue(done.contains(old), done.toString());
        assertFalse(done.contains(source));
        assertFalse(backfill.backfill().contains(old), "idempotent");
        assertEquals("1", one("select count(*) from plan_register where plan_id = " + old));

        JsonPath entries = given().get("/api/v1/public/register/entries?planId=" + old).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("BACKFILLED"), entries.getList("kind"));
        assertEquals("system", entries.getString("[0].officer"));
        assertTrue(entries.getBoolean("[0].body.backfilled"));
        assertEquals("planner", entries.getString("[0].body.createdBy"));

        // On the public register: marked 补登 with the time it was registered, after the draw; the others 生成时登记.
        JsonPath reg = given().get("/api/v1/public/register").then().statusCode(200).extract().jsonPath();
        assertTrue(reg.getBoolean("chainIntact"));
        Map<String, Object> entry = reg.getMap("plans.find { it.planId == " + old + " }");
        assertEquals("补登", entry.get("registration"));
        assertEquals(false, entry.get("committedBeforeDraw"));
        assertEquals("planner", entry.get("createdBy"));
        java.time.Instant drawn = java.time.Instant.parse((String) entry.get("createdAt"));
        java.time.Instant registered = java.time.Instant.parse((String) entry.get("registeredAt"));
        assertTrue(registered.isAfter(drawn.plus(java.time.Duration.ofDays(29))), entry.toString());
        assertTrue(((String) entry.get("registrationNote")).startsWith("登记晚于抽取"), entry.toString());
        Map<String, Object> created = reg.getMap("plans.find { it.planId == " + source + " }");
        assertEquals("生成时登记", created.get("registration"));
        assertEquals(true, created.get("committedBeforeDraw"));

        // The planner's view and the console page say so too.
        assertEquals(registered, java.time.OffsetDateTime.parse(as("planner").get("/api/v1/inspection/plans/" + old).then().statusCode(200)
                .extract().jsonPath().getString("lifecycle.backfilledAt")).toInstant());
        as("planner").get("/api/v1/inspection/plans/" + source).then().statusCode(200).body("lifecycle.backfilledAt", org.hamcrest.Matchers.nullValue());
        Map<String, String> cookies = cn.urbanmgmt.risk.web.WebConsoleSecurityTest.login("planner");
        given().cookies(cookies).get("/console/plans/" + old).then().statusCode(200).body(containsString("id=\"plan-backfilled\">补登：登记晚于抽取"));
        given().cookies(cookies).get("/console/plans/" + source).then().statusCode(200).body(not(containsString("plan-backfilled")));

        // Verify: the plan agrees with its backfilled entry, and says it was registered after the draw.
        JsonPath v = verify(old);
        assertTrue(v.getBoolean("identical"), v.prettify());
        assertFalse(v.getBoolean("committedBeforeDraw"));
        assertEquals("BACKFILLED", v.getString("registration"));
        assertTrue(v.getString("summary").contains("登记晚于抽取"), v.getString("summary"));
        assertTrue(v.getString("registrationNote").startsWith("登记晚于抽取"), v.getString("registrationNote"));
        assertTrue(v.getString("summary").contains("补登摘要一致"), v.getString("summary"));
        JsonPath anonymous = given().get("/api/v1/public/plans/" + old + "/verify").then().statusCode(200).extract().jsonPath();
        assertFalse(anonymous.getBoolean("committedBeforeDraw"));
        assertTrue(anonymous.getString("summary").contains("登记晚于抽取"));
        JsonPath normal = verify(source);
        assertTrue(normal.getBoolean("committedBeforeDraw"));
        assertEquals("CREATED", normal.getString("registration"));
        assertFalse(normal.getString("summary").contains("登记晚于抽取"));
        assertEquals(null, normal.getString("registrationNote"));

        // A change after the backfill is named like any other.
        sql("update inspection_plan set name = '改过的名称' where id = " + old);
        JsonPath changed = verify(old);
        assertFalse(changed.getBoolean("identical"));
        assertEquals(List.of("name"), changed.getList("changedFields"));
        assertTrue(changed.getList("differences.what").contains("「计划名称」与补登时在公示登记册上登记的摘要不符"), changed.prettify());
        assertFalse(changed.getBoolean("committedBeforeDraw"));
        sql("update inspection_plan set name = '登记册启用前的计划' where id = " + old);
    }

    // ---- 2. overlaps ----------------------------------------------------------------------------------

    @Test
    void overlappingPlansAreRefusedWithoutAReasonAndShownOnTheRegisterWithOne() {
        District d = district(4, 3);
        long first = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        // same item, a scope sharing two merchants, overlapping period: refused, nothing stored
        Map<String, Object> second = plan(List.of(d.item()), d.usccs().subList(2, 4));
        second.put("periodStart", today().plusDays(10).toString());
        second.put("periodEnd", today().plusDays(40).toString());
        int before = given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount");
        asJson("planner").body(second).post("/api/v1/inspection/plans").then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("overlapReason")).body("errors[0].value", equalTo(String.valueOf(first)))
                .body("detail", containsString("#" + first));
        assertEquals(before, given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount"));
        // a reason that is too short is named
        second.put("overlapReason", "重复");
        asJson("planner").body(second).post("/api/v1/inspection/plans").then().statusCode(400).body("errors[0].field", equalTo("overlapReason"));
        second.put("overlapReason", "群众投诉集中，加密抽查");
        JsonPath p = createPlan(second);
        assertEquals(List.of((int) first), p.getList("lifecycle.overlaps"));
        Map<String, Object> onRegister = given().get("/api/v1/public/register").then().extract().jsonPath()
                .getMap("plans.find { it.planId == " + p.getLong("id") + " }");
        assertEquals("群众投诉集中，加密抽查", onRegister.get("overlapReason"));
        assertEquals(List.of((int) first), onRegister.get("overlaps"));
        // a period after the first one, or other merchants, do not overlap
        Map<String, Object> later = plan(List.of(d.item()), d.usccs().subList(0, 2));
        later.put("periodStart", today().plusDays(50).toString());
        later.put("periodEnd", today().plusDays(60).toString());
        createPlan(later);
        District other = district(2, 3);
        Map<String, Object> elsewhere = plan(List.of(d.item(), other.item()), other.usccs());
        elsewhere.put("periodStart", today().plusDays(70).toString());
        elsewhere.put("periodEnd", today().plusDays(80).toString());
        // d.item() is applicable to other's merchants, but no other plan of d.item() covers them
        staff(2, SQUAD, List.of(d.item(), other.item()));
        createPlan(elsewhere);
    }

    @Test
    void twoOverlappingPlansSentAtOnceCannotBothPass() throws Exception {
        District d = district(3, 3);
        Map<String, Object> body = plan(List.of(d.item()), d.usccs());
        int before = given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> asJson("planner").body(body).post("/api/v1/inspection/plans").then().extract().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> a : answers) statuses.add(a.get());
            assertEquals(1, statuses.stream().filter(st -> st == 201).count(), "exactly one plan is created: " + statuses);
            assertEquals(3, statuses.stream().filter(st -> st == 409).count(), "the others are refused as overlaps: " + statuses);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 1, given().get("/api/v1/public/register").then().extract().jsonPath().getInt("entryCount"));
    }

    @Test
    void aPeriodStartingInThePastAndNumbersOutOfRangeAreNamed() {
        District d = district(1, 3);
        Map<String, Object> body = plan(List.of(d.item()), d.usccs());
        body.put("periodStart", today().minusDays(1).toString());
        body.put("inspectorsPerVisit", 9);
        asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(400)
                .body("errors.field", hasItems("periodStart", "inspectorsPerVisit"))
                .body("errors.find { it.field == 'periodStart' }.message", containsString("过去"));
        body.put("inspectorsPerVisit", 1);
        body.put("periodStart", today().toString());
        body.put("periodEnd", today().plusDays(400).toString());
        asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(400)
                .body("errors.field", hasItems("periodEnd", "inspectorsPerVisit"));
    }

    @Test
    void numbersThatDoNotFitTheirFieldAndEditionsOutOfRangeAreNamedInPlanWhatIfCapacityAndInspectorRequests() {
        District d = district(1, 3);
        // plan: a JSON number over int, as an integer and as an exponent
        Map<String, Object> body = plan(List.of(d.item()), d.usccs());
        body.put("inspectorsPerVisit", 99999999999L);
        asJson("planner").body(body).post("/api/v1/inspection/plans").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("inspectorsPerVisit")).body("errors[0].value", equalTo("99999999999"))
                .body("errors[0].message", containsString("超出范围")).body("detail", containsString("inspectorsPerVisit"));
        body.put("inspectorsPerVisit", 2);
        body.put("edition", 1e40);
        asJson("planner").body(body).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("edition")).body("errors[0].message", containsString("2147483647"));
        // the edition is a year
        for (int year : List.of(1999, 2101, -5)) {
            body.put("edition", year);
            asJson("planner").body(body).post("/api/v1/inspection/plans?dryRun=true").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("edition")).body("errors.find { it.field == 'edition' }.message", containsString("2000 到 2100"));
        }
        body.remove("edition");

        // what-if: the plan's fields named as in its body, plan.…, for mapping and for checking alike
        Map<String, Object> plan = new LinkedHashMap<>(body);
        plan.put("inspectorsPerVisit", 1e40);
        asJson("planner").body(Map.of("plan", plan, "variants", List.of())).post("/api/v1/inspection/plans/what-if").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("plan.inspectorsPerVisit"));
        plan.put("inspectorsPerVisit", 9);
        plan.put("edition", 1999);
        asJson("planner").body(Map.of("plan", plan, "variants", List.of())).post("/api/v1/inspection/plans/what-if").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItems("plan.inspectorsPerVisit", "plan.edition"))
                .body("detail", containsString("计划有误"));
        plan.remove("edition");
        plan.put("inspectorsPerVisit", 2);
        plan.put("periodEnd", today().minusDays(3).toString());
        asJson("planner").body(Map.of("plan", plan, "variants", List.of())).post("/api/v1/inspection/plans/what-if").then().statusCode(400)
                .body("errors[0].field", equalTo("plan.periodEnd"));
        plan.put("periodEnd", today().plusDays(6).toString());
        asJson("planner").body(Map.of("plan", plan, "variants", List.of(Map.of("periodEnd", today().minusDays(3).toString()))))
                .post("/api/v1/inspection/plans/what-if").then().statusCode(400).body("errors[0].field", equalTo("variants[0].periodEnd"));

        // capacity settings: an element of a list
        asJson("planner").body(Map.of("visitsPerInspectorPerDay", 2, "workingDays", List.of(1, 99999999999L)))
                .put("/api/v1/inspection/capacity/squads/" + SQUAD).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("workingDays[1]"));
        // inspector
        asJson("planner").body(Map.of("badgeNo", "OVER-1", "name", "测试", "squad", SQUAD, "version", 1e40))
                .post("/api/v1/inspection/inspectors").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("version")).body("errors[0].message", containsString("超出范围"));
    }

    // ---- 3. verify names every stored field --------------------------------------------------------------

    /** One SQL change per stored field that influences the draw, the matching or the notice, and the field verify must name. */
    static Map<String, String> tampering(long other) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("name", "name = name || '（改）'");
        t.put("edition", "edition = edition + 1");
        t.put("items", "items = jsonb_set(items, '{0,name}', '\"改过的事项名称\"')");
        t.put("scope", "scope = jsonb_set(scope, '{keyUnitsOnly}', 'true')");
        t.put("periodStart", "period_start = period_start + 1");
        t.put("periodEnd", "period_end = period_end + 7");
        t.put("weeks", "weeks = weeks + 1");
        t.put("evaluationDate", "evaluation_date = evaluation_date - 1");
        t.put("seed", "seed = repeat('1', 64)");
        t.put("seedCommitment", "seed_commitment = repeat('2', 64)");
        t.put("seedGenerated", "seed_generated = not seed_generated");
        t.put("inspectorSquads", "inspector_squads = '[\"sq-mobile\"]'");
        t.put("inspectorsPerVisit", "inspectors_per_visit = 3");
        t.put("samplingRulesVersion", "sampling_rules_version = translate(sampling_rules_version, '0123456789abcdef', '123456789abcdef0')");
        t.put("strata", "strata = jsonb_set(strata, '{0,percent}', '\"5\"')");
        t.put("exclusions", "exclusions = '[{\"item\":\"X\",\"reason\":\"商户已关闭\",\"merchants\":1}]'");
        t.put("candidates", "candidates = (select candidates from inspection_plan where id = " + other + ")");
        t.put("candidatesSha256", "candidates_sha256 = repeat('0', 64)");
        t.put("matchInputs", "match_inputs = (select match_inputs from inspection_plan where id = " + other + ")");
        t.put("inputsSha256", "inputs_sha256 = repeat('0', 64)");
        t.put("drawSha256", "draw_sha256 = repeat('0', 64)");
        t.put("resultSha256", "result_sha256 = repeat('0', 64)");
        t.put("visitCount", "visit_count = visit_count + 1");
        t.put("merchantCount", "merchant_count = merchant_count + 1");
        t.put("pools", "pools = '[]'");
        t.put("warnings", "warnings = '[{\"code\":\"X\",\"message\":\"改\"}]'");
        t.put("overlapReason", "overlap_reason = '后来补写的理由'");
        t.put("overlaps", "overlapping_plans = '[1]'");
        t.put("capacity", "capacity = '{\"overCapacity\":false}'");
        t.put("capacityReason", "capacity_reason = '后来补写的理由'");
        t.put("createdBy", "created_by = 'someone-else'");
        t.put("createdAt", "created_at = created_at - interval '1 hour'");
        return t;
    }

    static final String COLUMNS = "name, edition, items, scope, period_start, period_end, weeks, evaluation_date, seed, seed_commitment, "
            + "seed_generated, inspector_squads, inspectors_per_visit, sampling_rules_version, strata, exclusions, candidates, candidates_sha256, "
            + "match_inputs, inputs_sha256, draw_sha256, result_sha256, visit_count, merchant_count, pools, warnings, overlap_reason, overlapping_plans, "
            + "capacity, capacity_reason, created_by, created_at, status, status_reason, status_by";

    @Test
    void changingAnyStoredFieldIsNamedByVerifyWithAndWithoutALogin() throws Exception {
        District d = district(3, 3);
        long id = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        District o = district(2, 3);
        long other = createPlan(plan(List.of(o.item()), o.usccs())).getLong("id");
        assertTrue(verify(id).getBoolean("identical"));
        given().get("/api/v1/public/plans/" + id + "/verify").then().statusCode(200).body("identical", is(true)).body("fieldsIntact", is(true));
        String backup = "plan_backup_" + id;
        sql("create table " + backup + " as select " + COLUMNS + " from inspection_plan where id = " + id);
        try {
            Map<String, String> tamper = tampering(other);
            assertEquals(32, tamper.size(), "one change per committed field");
            for (Map.Entry<String, String> t : tamper.entrySet()) {
                sql("update inspection_plan set " + t.getValue() + " where id = " + id);
                JsonPath v = verify(id);
                assertFalse(v.getBoolean("identical"), t.getKey());
                assertTrue(v.getList("changedFields").contains(t.getKey()), t.getKey() + " must be named: " + v.getList("changedFields"));
                assertTrue(v.getList("differences.field").contains(t.getKey()), t.getKey());
                assertTrue(v.getString("summary").contains(t.getKey()), v.getString("summary"));
                // anyone, without a login, sees the same field named
                String anonymous = given().get("/api/v1/public/plans/" + id + "/verify").then().statusCode(200).body("identical", is(false))
                        .body("changedFields", hasItem(t.getKey())).extract().asString();
                for (String u : d.usccs()) assertFalse(anonymous.contains(u), "the anonymous report names no merchant");
                restore(id, backup);
            }
            // the status against the register's cancel and void entries
            sql("update inspection_plan set status = 'CANCELLED', status_reason = '伪造', status_by = 'x' where id = " + id);
            JsonPath v = verify(id);
            assertFalse(v.getBoolean("statusIntact"));
            assertTrue(v.getList("differences.field").contains("status"));
            restore(id, backup);
            assertTrue(verify(id).getBoolean("identical"), "restored: identical again");
        } finally {
            sql("drop table " + backup);
        }
    }

    void restore(long id, String backup) throws Exception {
        String[] cols = COLUMNS.split(",\\s*");
        StringBuilder set = new StringBuilder();
        for (String c : cols) set.append(set.length() == 0 ? "" : ", ").append(c).append(" = b.").append(c);
        sql("update inspection_plan p set " + set + " from " + backup + " b where p.id = " + id);
    }

    // ---- 5. lifecycle ------------------------------------------------------------------------------------

    @Test
    void aPlanIsCancelledWithAReasonInPublicAndItsVisitsStop() {
        District d = district(2, 3);
        long id = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        asJson("planner").body(Map.of()).post("/api/v1/inspection/plans/" + id + "/cancel").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        asJson("squad-jiangninglu").body(Map.of("reason", "检查任务调整")).post("/api/v1/inspection/plans/" + id + "/cancel").then().statusCode(403);
        asJson("planner").body(Map.of("reason", "上级部署专项检查，本月计划取消")).post("/api/v1/inspection/plans/" + id + "/cancel").then()
                .statusCode(200).body("lifecycle.status", equalTo("CANCELLED")).body("lifecycle.statusBy", equalTo("planner"));
        Map<String, Object> onRegister = given().get("/api/v1/public/register").then().extract().jsonPath().getMap("plans.find { it.planId == " + id + " }");
        assertEquals("CANCELLED", onRegister.get("status"));
        assertEquals("上级部署专项检查，本月计划取消", onRegister.get("statusReason"));
        assertEquals("planner", onRegister.get("statusBy"));
        List<Map<String, Object>> vs = visits(id);
        assertTrue(vs.stream().allMatch(v -> "CANCELLED".equals(v.get("status"))));
        long visitId = ((Number) vs.get(0).get("id")).longValue();
        asJson("squad-jiangninglu").body(Map.of("results", List.of(Map.of("itemCode", d.item(), "outcome", "NO_PROBLEM"))))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(409);
        asJson("planner").body(Map.of("reason", "再次取消试试")).post("/api/v1/inspection/plans/" + id + "/cancel").then().statusCode(409);
        assertTrue(verify(id).getBoolean("identical"), "a cancelled plan still verifies");
        // a cancelled plan no longer blocks a new plan for the same merchants
        createPlan(plan(List.of(d.item()), d.usccs()));
    }

    @Test
    void aPlanWithResultsCannotBeCancelledButCanBeVoided() {
        District d = district(2, 3);
        long id = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        long visitId = ((Number) visits(id).get(0).get("id")).longValue();
        asJson("squad-jiangninglu").body(Map.of("results", List.of(Map.of("itemCode", d.item(), "outcome", "NO_PROBLEM"))))
                .post("/api/v1/inspection/visits/" + visitId + "/result").then().statusCode(201);
        asJson("planner").body(Map.of("reason", "计划范围有误")).post("/api/v1/inspection/plans/" + id + "/cancel").then().statusCode(409)
                .body("detail", containsString("作废"));
        asJson("planner").body(Map.of("reason", "计划范围有误，作废后重新生成")).post("/api/v1/inspection/plans/" + id + "/void").then().statusCode(200)
                .body("lifecycle.status", equalTo("VOIDED"));
        List<Map<String, Object>> vs = visits(id);
        assertEquals(1, vs.stream().filter(v -> "DONE".equals(v.get("status"))).count(), "the recorded result stays");
        assertEquals(1, vs.stream().filter(v -> "CANCELLED".equals(v.get("status"))).count());
        given().get("/api/v1/public/register/entries?planId=" + id).then().body("kind", equalTo(List.of("CREATED", "VOIDED")));
        assertTrue(verify(id).getBoolean("identical"));
    }

    @Test
    void anInspectorIsReplacedByARecordedRandomReMatchThatVerifyReproduces() throws Exception {
        District d = district(1, 6);
        long id = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        Map<String, Object> visit = visits(id).get(0);
        @SuppressWarnings("unchecked")
        List<String> team = ((List<Map<String, Object>>) visit.get("inspectors")).stream().map(i -> (String) i.get("badgeNo")).toList();
        int visitNo = (Integer) visit.get("visitNo");
        // one of the others has meanwhile declared a conflict with this merchant: ruled out, and recorded
        String conflicted = d.staff().stream().filter(b -> !team.contains(b)).findFirst().orElseThrow();
        long conflictedId = as("planner").get("/api/v1/inspection/inspectors?q=" + conflicted).then().extract().jsonPath().getLong("items[0].id");
        sql("update inspector set conflict_usccs = '[\"" + d.usccs().get(0) + "\"]' where id = " + conflictedId);
        String url = "/api/v1/inspection/plans/" + id + "/visits/" + visitNo + "/replace-inspector";
        asJson("planner").body(Map.of("badgeNo", "NOBODY", "kind", "ILLNESS", "reason", "因病住院")).post(url).then().statusCode(400)
                .body("errors[0].field", equalTo("badgeNo"));
        asJson("planner").body(Map.of("badgeNo", team.get(0), "kind", "FLU", "reason", "因病")).post(url).then().statusCode(400)
                .body("errors.field", hasItems("kind", "reason"));
        JsonPath r = asJson("planner").body(Map.of("badgeNo", team.get(0), "kind", "ILLNESS", "reason", "因病住院，无法到岗"))
                .post(url).then().statusCode(200).extract().jsonPath();
        String replacement = r.getString("replacement");
        assertFalse(team.contains(replacement));
        assertNotEquals(conflicted, replacement);
        assertTrue(d.staff().contains(replacement));
        assertTrue(r.getList("unavailable").contains(conflicted), "the newly declared conflict is recorded with the replacement");
        @SuppressWarnings("unchecked")
        List<String> now = ((List<Map<String, Object>>) visits(id).get(0).get("inspectors")).stream().map(i -> (String) i.get("badgeNo")).toList();
        assertEquals(List.of(replacement, team.get(1)), now, "the new inspector takes the seat");
        JsonPath v = verify(id);
        assertTrue(v.getBoolean("identical"), v.getString("summary"));
        assertTrue(v.getBoolean("replacementsReproduced"));
        assertTrue(v.getString("summary").contains("1 次人员替换"));
        given().get("/api/v1/public/register").then().body("plans.find { it.planId == " + id + " }.inspectorReplacements", is(1));
        given().get("/api/v1/public/register/entries?planId=" + id).then().body("[1].kind", equalTo("INSPECTOR_REPLACED"))
                .body("[1].body.replaced", equalTo(team.get(0))).body("[1].body.replacement", equalTo(replacement));

        // choosing someone else than the re-match gave is detected, even with the visit changed to match
        String other = d.staff().stream().filter(b -> !team.contains(b) && !b.equals(replacement) && !b.equals(conflicted)).findFirst().orElseThrow();
        long otherId = as("planner").get("/api/v1/inspection/inspectors?q=" + other).then().extract().jsonPath().getLong("items[0].id");
        String newId = one("select new_inspector_id from visit_replacement where plan_id = " + id);
        sql("update visit_replacement set new_inspector_id = " + otherId + " where plan_id = " + id);
        sql("update plan_visit set inspector_ids[1] = " + otherId + " where plan_id = " + id);
        JsonPath bad = verify(id);
        assertFalse(bad.getBoolean("identical"));
        assertFalse(bad.getBoolean("replacementsReproduced"));
        assertTrue(bad.getList("differences.field").contains("replacements"));
        sql("update visit_replacement set new_inspector_id = " + newId + " where plan_id = " + id);
        sql("update plan_visit set inspector_ids[1] = " + newId + " where plan_id = " + id);
        assertTrue(verify(id).getBoolean("identical"));
    }

    // ---- 4. grades stay private ---------------------------------------------------------------------------

    @Test
    void thePublicNeverGetsTheStrataTheAuditorDoes() {
        District d = district(2, 3);
        long id = createPlan(plan(List.of(d.item()), d.usccs())).getLong("id");
        as("auditor").get("/api/v1/inspection/plans/" + id + "/candidates.csv").then().statusCode(200).body(containsString("开业 90 天内"));
        as("auditor").get("/api/v1/inspection/plans/" + id + "/verify").then().statusCode(200).body("identical", is(true));
        asJson("auditor").body(Map.of("reason", "审计人员不能取消计划")).post("/api/v1/inspection/plans/" + id + "/cancel").then().statusCode(403);
        as("squad-jiangninglu").get("/api/v1/inspection/plans/" + id + "/candidates.csv").then().statusCode(403);
        String register = given().get("/api/v1/public/register").then().statusCode(200).extract().asString();
        for (String u : d.usccs()) assertFalse(register.contains(u));
        given().get("/api/v1/public/register/entries").then().statusCode(200).body("kind", everyItem(not(equalTo("")))).body("[0].prevSha256",
                equalTo("0".repeat(64))).body("entrySha256", everyItem(notNullValue()));
    }
}
