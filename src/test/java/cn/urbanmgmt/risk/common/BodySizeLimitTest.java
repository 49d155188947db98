package cn.urbanmgmt.risk.common;

import static cn.urbanmgmt.risk.TestSupport.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Bodies over quarkus.http.limits.max-body-size are refused with a 413 problem document; on the console
 * (a person's browser) with the zh-CN error page naming the limit instead.
 */
@QuarkusTest
class BodySizeLimitTest {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    @TestHTTPResource("/api/v1/merchants/import")
    URI importUri;

    private byte[] justOverTheLimit() {
        byte[] body = new byte[(int) limit.asLongValue() + 1];
        java.util.Arrays.fill(body, (byte) 'a');
        return body;
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() {
        byte[] body = justOverTheLimit();
        as("admin").contentType("text/csv").body(body).post("/api/v1/merchants/import").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE).body("status", is(413))
                .body("detail", containsString("上限"));
        // Also for anonymous callers and JSON endpoints, and the connection stays usable afterwards.
        given().contentType("application/json").body(body).post("/api/v1/merchants").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE);
        as("admin").get("/api/v1/reference/streets").then().statusCode(200);
    }

    /** Posts the body chunked: an input stream of unknown length goes out without a Content-Length. */
    private HttpResponse<String> postChunked(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(importUri)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:demo1234".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
        String uscc = TestSupport.uscc();
        String csv = "统一社会信用代码,名称,地址,街镇,行业类别,开业日期\n" + uscc + ",分块上传商户,上海市静安区1号,北站街道,零售,2021-02-03\n";
        HttpResponse<String> response = postChunked(csv.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"created\":1"), response.body());
        as("admin").get("/api/v1/merchants/by-uscc/" + uscc).then().statusCode(200);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedToo() throws Exception {
        HttpResponse<String> response = postChunked(justOverTheLimit());
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"status\":413"), response.body());
    }

    @Test
    void aConsoleUploadOverTheLimitGetsTheZhCnPageNamingTheLimit() {
        java.util.Map<String, String> cookies = cn.urbanmgmt.risk.web.WebConsoleSecurityTest.login("admin");
        String mb = limit.asLongValue() / (1024 * 1024) + " MB";
        // an import file (multipart) on the office pages
        given().cookies(cookies).multiPart("csrf-token", cookies.get("console-csrf"))
                .multiPart("file", "merchants.csv", justOverTheLimit(), "text/csv").multiPart("mode", "UPSERT")
                .post("/console/office/merchants/import").then().statusCode(413).contentType(containsString("text/html"))
                .body(containsString("上传内容过大")).body(containsString("超过了 " + mb + " 的上限")).body(containsString("lang=\"zh-CN\""))
                .body(org.hamcrest.Matchers.not(containsString("\"status\"")));
        // a form post (photos of a result) on a visit
        given().cookies(cookies).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .body(new String(justOverTheLimit(), StandardCharsets.US_ASCII))
                .post("/console/visits/1/result").then().statusCode(413).contentType(containsString("text/html"))
                .body(containsString("超过了 " + mb + " 的上限"));
        // the API keeps its problem+json
        as("admin").contentType("text/csv").body(justOverTheLimit()).post("/api/v1/merchants/import").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE).body("detail", containsString(mb));
    }
}
