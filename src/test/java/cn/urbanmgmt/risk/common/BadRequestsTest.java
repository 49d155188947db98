package cn.urbanmgmt.risk.common;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, points 1 and 2: wrong types, out-of-range pages, control characters and oversized
 * requests are answered with a 400/413/414/431 problem document that names the parameter or the limit.
 */
@QuarkusTest
class BadRequestsTest {

    @Test
    void aControlCharacterInAQueryOrPathParameterIsA400NamingIt() {
        as("admin").urlEncodingEnabled(false).get("/api/v1/merchants?q=%00").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("q")).body("detail", containsString("U+0000"));
        as("admin").urlEncodingEnabled(false).get("/api/v1/merchants/by-uscc/91%0A").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("uscc")).body("detail", containsString("U+000A"));
        // Also anonymous, on the public register.
        given().urlEncodingEnabled(false).get("/api/v1/public/results?q=a%01b").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("q"));
    }

    @Test
    void wrongTypesAreA400NamingTheParameter() {
        as("admin").get("/api/v1/merchants?keyUnit=abc").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("keyUnit")).body("detail", containsString("true 或 false"));
        as("admin").get("/api/v1/merchants?page=abc").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("page")).body("detail", containsString("整数"));
        as("admin").get("/api/v1/merchants?size=1e3").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("size"));
        as("admin").get("/api/v1/merchants/abc").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("id"));
        as("admin").get("/api/v1/merchants/99999999999999999999999").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("id"));
        as("admin").get("/api/v1/inspection/plans?published=maybe").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("published"));
        // Right values still work.
        as("admin").get("/api/v1/merchants?keyUnit=true&page=0&size=5").then().statusCode(200);
    }

    @Test
    void pagesOutOfRangeAreA400NotA500() {
        for (String path : new String[] {"/api/v1/merchants", "/api/v1/inspection/visits", "/api/v1/inspection/inspectors", "/api/v1/inspection/results"}) {
            as("admin").get(path + "?page=2147483647&size=200").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors[0].field", equalTo("page"));
            as("admin").get(path + "?page=-1").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors[0].field", equalTo("page"));
            as("admin").get(path + "?size=0").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors[0].field", equalTo("size"));
        }
        given().get("/api/v1/public/results?page=2147483647&size=200").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        as("admin").get("/api/v1/merchants?page=10737419").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        // Over the documented maximum page size of the merchant search: that maximum is used, and said.
        as("admin").get("/api/v1/merchants?size=201").then().statusCode(200).body("size", is(200));
        as("admin").get("/api/v1/merchants?size=2147483647&page=5000").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("page"));
        // Past the last page: the answer names the last page.
        long total = as("admin").get("/api/v1/merchants?size=200").then().statusCode(200).extract().jsonPath().getLong("total");
        long beyond = total / 200 + 1;
        as("admin").get("/api/v1/merchants?size=200&page=" + beyond).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo("page")).body("detail", containsString("共 " + total + " 条"));
    }

    @Test
    void textFieldsRefuseControlCharactersWithAFieldError() {
        Map<String, Object> body = TestSupport.merchant(TestSupport.uscc(), "jingansi");
        asJson("admin").body(TestSupport.with(body, "name", "测试\u0000餐厅")).post("/api/v1/merchants").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("name")).body("detail", containsString("U+0000"));
        asJson("admin").body(TestSupport.with(body, "address", "愚园路\u00071号")).post("/api/v1/merchants").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("address"));
        // Single-line fields: a line break is refused too.
        asJson("admin").body(TestSupport.with(body, "name", "测试\n餐厅")).post("/api/v1/merchants").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.field", hasItem("name"));
        // An import row with U+0000 in a cell: a field error at its line, nothing imported.
        String csv = "uscc,name,address,street,category,openedOn\n" + TestSupport.uscc() + ",甲\u0000乙,愚园路1号,jingansi,CATERING,2020-01-01\n";
        as("admin").contentType("text/csv").body(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/merchants/import").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].line", is(2)).body("errors[0].field", equalTo("name"));
    }

    @Test
    void aRuleFileWithAControlCharacterIsAFieldErrorAtItsLine() throws java.io.IOException {
        // JSON strings are refused by the JSON reader; a zip upload carries the file's bytes as they are.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("grading/nul.drl"));
            zip.write("package grading;\n\nrule \"x\"\u0000\nwhen\nthen\nend\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        as("author").contentType("application/zip").body(bytes.toByteArray()).post("/api/v1/rules/versions").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("files.grading/nul.drl"))
                .body("errors[0].line", is(3)).body("errors[0].message", containsString("U+0000"));
    }

    @Test
    void oversizedUrisAndHeadersGetAProblemDocumentWithTheLimit() {
        String longSegment = "a".repeat(9000);
        as("admin").get("/api/v1/merchants/by-uscc/" + longSegment).then().statusCode(414).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("8192"));
        given().get("/api/v1/public/results?q=" + longSegment).then().statusCode(414).contentType(Problem.MEDIA_TYPE);
        as("admin").header("X-Filler", "b".repeat(30_000)).get("/api/v1/reference/streets").then()
                .statusCode(431).contentType(Problem.MEDIA_TYPE).body("detail", containsString("20480"));
        // The server is fine afterwards.
        as("admin").get("/api/v1/reference/streets").then().statusCode(200);
    }

    @Test
    void requestsTheHttpDecoderRefusesGetAProblemDocumentToo() throws java.io.IOException {
        // Beyond Netty's own limits (64 KB request line, 64 KB headers) the request never reaches a route.
        given().get("/api/v1/public/results?q=" + "a".repeat(200_000)).then().statusCode(414)
                .contentType(Problem.MEDIA_TYPE).body("title", equalTo("请求地址过长")).body("detail", containsString("65536"));
        given().header("X-Filler", "b".repeat(200_000)).get("/api/v1/public/results").then().statusCode(431)
                .contentType(Problem.MEDIA_TYPE).body("title", equalTo("请求头过大")).body("detail", containsString("65536"));
        // Malformed HTTP (a header line without a colon), sent raw.
        String answer = raw("GET /api/v1/public/results HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n");
        org.hamcrest.MatcherAssert.assertThat(answer, org.hamcrest.Matchers.startsWith("HTTP/1.1 400"));
        org.hamcrest.MatcherAssert.assertThat(answer.toLowerCase(java.util.Locale.ROOT),
                containsString("content-type: application/problem+json"));
        org.hamcrest.MatcherAssert.assertThat(answer, containsString("请求不符合 HTTP 格式"));
        // The server is fine afterwards.
        given().get("/api/v1/public/results").then().statusCode(200);
    }

    private static String raw(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
