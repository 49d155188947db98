package cn.urbanmgmt.risk.registry;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.createMerchant;
import static cn.urbanmgmt.risk.TestSupport.merchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static cn.urbanmgmt.risk.TestSupport.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MerchantResourceTest {

    @Test
    void createReadUpdateCloseKeepsAnAuditTrail() {
        String code = uscc();
        long id = asJson("planner").body(merchant(code, "静安寺街道")).post("/api/v1/merchants")
                .then().statusCode(201)
                .body("uscc", equalTo(code))
                .body("street", equalTo("jingansi"))
                .body("streetName", equalTo("静安寺街道"))
                .body("categoryName", equalTo("餐饮"))
                .body("status", equalTo("OPERATING"))
                .extract().jsonPath().getLong("id");

        as("author").get("/api/v1/merchants/" + id).then().statusCode(200).body("uscc", equalTo(code));
        as("author").get("/api/v1/merchants/by-uscc/" + code.toLowerCase()).then().statusCode(200).body("id", is((int) id));

        Map<String, Object> changed = with(with(merchant(code, "jingansi"), "name", "改名后的餐厅"), "keyUnit", true);
        changed.put("keyUnitType", "RESTAURANT");
        asJson("admin").body(changed).put("/api/v1/merchants/" + id).then().statusCode(200)
                .body("name", equalTo("改名后的餐厅")).body("keyUnit", is(true)).body("keyUnitTypeName", equalTo("餐饮单位"));

        as("admin").post("/api/v1/merchants/" + id + "/close").then().statusCode(200).body("status", equalTo("CLOSED"));
        as("admin").get("/api/v1/merchants/" + id).then().statusCode(200).body("statusName", equalTo("关闭"));

        as("admin").get("/api/v1/merchants/" + id + "/audit").then().statusCode(200)
                .body("action", equalTo(java.util.List.of("CREATE", "UPDATE", "CLOSE")))
                .body("changedBy", equalTo(java.util.List.of("planner", "admin", "admin")))
                .body("[1].changes.name.old", containsString("测试餐厅"))
                .body("[1].changes.name.new", equalTo("改名后的餐厅"))
                .body("[2].changes.status.new", equalTo("CLOSED"));
    }

    @Test
    void updateWithoutChangesWritesNoAuditAndStaleVersionIsRefused() {
        String code = uscc();
        long id = createMerchant(code, "caojiadu");
        asJson("admin").body(merchant(code, "caojiadu")).put("/api/v1/merchants/" + id).then().statusCode(200);
        as("admin").get("/api/v1/merchants/" + id + "/audit").then().body("$", hasSize(1));

        asJson("admin").body(with(with(merchant(code, "caojiadu"), "name", "新名字"), "version", 99))
                .put("/api/v1/merchants/" + id).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("已被他人修改"));
    }

    @Test
    void duplicateUsccIsAConflict() {
        String code = uscc();
        createMerchant(code, "caojiadu");
        asJson("admin").body(merchant(code, "caojiadu")).post("/api/v1/merchants").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString(code));
    }

    @Test
    void searchFiltersByStreetCategoryKeyUnitStatusTextAndUscc() {
        String code = uscc();
        Map<String, Object> body = with(with(merchant(code, "linfenlu"), "name", "独一无二搜索测试宾馆" + code), "category", "HOTEL");
        body.put("keyUnitType", "STAR_HOTEL");
        asJson("admin").body(body).post("/api/v1/merchants").then().statusCode(201);

        as("planner").queryParam("q", "独一无二搜索测试宾馆" + code).get("/api/v1/merchants").then().statusCode(200)
                .body("total", is(1)).body("items[0].uscc", equalTo(code));
        as("planner").queryParam("street", "linfenlu").queryParam("category", "住宿").queryParam("keyUnit", true)
                .get("/api/v1/merchants").then().statusCode(200)
                .body("items.uscc", hasItem(code)).body("items.street", everyItem(equalTo("linfenlu")))
                .body("items.keyUnit", everyItem(is(true)));
        as("planner").queryParam("uscc", code.substring(0, 14)).get("/api/v1/merchants").then()
                .body("items.uscc", hasItem(code));
        as("planner").queryParam("status", "CLOSED").queryParam("q", "独一无二搜索测试宾馆" + code).get("/api/v1/merchants").then().body("total", is(0));
        as("planner").queryParam("size", 1000).get("/api/v1/merchants").then().statusCode(200).body("size", is(200));
    }

    @Test
    void searchWithUnknownFilterValueSaysWhichFieldAndWhatIsAllowed() {
        as("planner").queryParam("street", "火星街道").get("/api/v1/merchants").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("street"))
                .body("detail", containsString("静安寺街道"));
        as("planner").queryParam("category", "BAKERY").get("/api/v1/merchants").then().statusCode(400)
                .body("errors[0].field", equalTo("category"));
    }

    @Test
    void squadSeesAndChangesOnlyItsOwnStreets() {
        long own = createMerchant(uscc(), "jingansi");
        long other = createMerchant(uscc(), "pengpuzhen");
        as("squad-jingansi").get("/api/v1/merchants/" + own).then().statusCode(200);
        as("squad-jingansi").get("/api/v1/merchants/" + other).then().statusCode(404)
                .contentType("application/problem+json");
        as("squad-jingansi").queryParam("size", 200).get("/api/v1/merchants").then().statusCode(200)
                .body("items.street", everyItem(equalTo("jingansi")));
        // Even an explicit filter on another street shows nothing of it.
        as("squad-jingansi").queryParam("street", "pengpuzhen").get("/api/v1/merchants").then().body("total", is(0));
        as("squad-jingansi").post("/api/v1/merchants/" + other + "/close").then().statusCode(404);
        asJson("squad-jingansi").body(merchant(uscc(), "pengpuzhen")).post("/api/v1/merchants").then().statusCode(403)
                .body("detail", containsString("静安寺街道"));
        asJson("squad-jingansi").body(merchant(uscc(), "jingansi")).post("/api/v1/merchants").then().statusCode(201);
        // The railway-station squad covers two streets.
        as("squad-railway").queryParam("street", "beizhan").get("/api/v1/merchants").then().statusCode(200);
    }

    @Test
    void rolesAreEnforced() {
        long id = createMerchant(uscc(), "beizhan");
        given().get("/api/v1/merchants").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Basic"));
        given().auth().preemptive().basic("admin", "wrong-password").get("/api/v1/merchants").then().statusCode(401)
                .contentType("application/problem+json");
        // Rule authors read but do not change the registry.
        as("author").get("/api/v1/merchants/" + id).then().statusCode(200);
        asJson("author").body(merchant(uscc(), "beizhan")).post("/api/v1/merchants").then().statusCode(403)
                .contentType("application/problem+json");
        as("author").post("/api/v1/merchants/" + id + "/close").then().statusCode(403);
        as("author").contentType("text/csv").body("统一社会信用代码\n").post("/api/v1/merchants/import").then().statusCode(403);
    }

    @Test
    void badInputIsRefusedWithTheFieldAtFault() {
        asJson("admin").body(with(merchant("91350100M000100Y44", "jingansi"), "name", " ")).post("/api/v1/merchants")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("uscc")).body("errors.field", hasItem("name"))
                .body("errors.find { it.field == 'uscc' }.message", containsString("校验位"));
        asJson("admin").body(with(merchant(uscc(), "jingansi"), "category", "BAKERY")).post("/api/v1/merchants").then().log().ifValidationFails()
                .statusCode(400).body("errors[0].field", equalTo("category")).body("detail", containsString("CATERING"));
        asJson("admin").body(with(merchant(uscc(), "jingansi"), "openedOn", "yesterday")).post("/api/v1/merchants")
                .then().statusCode(400).body("errors[0].field", equalTo("openedOn")).body("detail", containsString("yyyy-MM-dd"));
        asJson("admin").body(with(merchant(uscc(), "jingansi"), "longitude", "east")).post("/api/v1/merchants")
                .then().statusCode(400).body("errors[0].field", equalTo("longitude"));
        asJson("admin").body(with(merchant(uscc(), "jingansi"), "openedOn", "2999-01-01")).post("/api/v1/merchants")
                .then().statusCode(400).body("errors[0].field", equalTo("openedOn"));
        asJson("admin").body(with(merchant(uscc(), "jingansi"), "keyUnit", true)).post("/api/v1/merchants")
                .then().statusCode(400).body("errors[0].field", equalTo("keyUnitType"));
        asJson("admin").body("{\"uscc\": ").post("/api/v1/merchants").then().statusCode(400)
                .contentType("application/problem+json").body("detail", notNullValue());
        asJson("admin").body("").post("/api/v1/merchants").then().statusCode(400).contentType("application/problem+json");
        as("admin").contentType(ContentType.XML).body("<merchant/>").post("/api/v1/merchants").then().statusCode(415)
                .contentType("application/problem+json");
        // A path parameter of the wrong type names the parameter (issue 19; it used to be a 404).
        as("admin").get("/api/v1/merchants/not-a-number").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
        as("admin").get("/api/v1/merchants/999999999").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void injectionStringsAreStoredLiterallyAndHarmless() {
        String code = uscc();
        String evil = "'); drop table merchant; -- <script>alert(1)</script>";
        long id = asJson("admin").body(with(merchant(code, "jingansi"), "name", evil)).post("/api/v1/merchants")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        as("admin").get("/api/v1/merchants/" + id).then().body("name", equalTo(evil));
        as("admin").queryParam("q", "%' or 1=1 --").get("/api/v1/merchants").then().statusCode(200).body("total", is(0));
    }

    @Test
    void referenceDataListsTheFourteenStreetsAndSixteenSquads() {
        as("squad-beizhan").get("/api/v1/reference/streets").then().statusCode(200).body("$", hasSize(14))
                .body("name", hasItem("彭浦新村街道"));
        as("squad-beizhan").get("/api/v1/reference/squads").then().statusCode(200).body("$", hasSize(16))
                .body("name", hasItem("铁路上海站执法中队"));
        as("planner").get("/api/v1/reference/code-lists").then().statusCode(200).body("category.name", hasItem("餐饮"));
    }
}
