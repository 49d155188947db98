package cn.urbanmgmt.risk.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, point 6: walks every operation of /q/openapi and sends it malformed values (wrong
 * types, control characters, huge numbers, long strings; malformed JSON bodies), logged in as the
 * administrator and anonymously. No answer may be a 5xx; every error of the API must be
 * application/problem+json, and no error answer may be large. Bounded: a few thousand requests.
 */
@QuarkusTest
class OpenApiFuzzTest {

    private static final String[] ANY = {"%00", "a%00b", "%0D%0A", "%1B%5B31m", "%7F", "%C2%85", "x".repeat(3000),
            "%F0%9D%94%98", "'%3B--", "..%2F..%2Fetc%2Fpasswd", "%25", "%20", "y".repeat(9000)};
    private static final String[] NUMBERS = {"abc", "1e3", "1.5", "2147483648", "-2147483649", "99999999999999999999",
            "-1", "0x10", "", "%2B%2B1", "NaN", "9223372036854775807", "2147483647", "1000000", "10737419"};
    private static final String[] BOOLEANS = {"abc", "1", "yes", "", "TRUE%00"};
    private static final String[] BODIES = {"{", "[]", "null", "\"x\"", "{\"a\":\"\\u0000\"}", "{\"name\":1e999}",
            "{\"id\":99999999999999999999999}", "[" .repeat(5000)};

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String admin = "Basic " + Base64.getEncoder().encodeToString("admin:demo1234".getBytes(StandardCharsets.UTF_8));
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private long largestError;
    private String largestErrorRequest;

    @Test
    void noMalformedRequestGetsA5xxAndEveryApiErrorIsAProblemDocument() throws Exception {
        long t0 = System.nanoTime();
        JsonNode api = new ObjectMapper().readTree(send("GET", "q/openapi?format=json", null, null, true).body());
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) continue;
                operations++;
                fuzz(path.getKey(), method, op.getValue(), path.getValue().path("parameters"));
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        System.out.printf("OpenApiFuzzTest: %d operations, %d requests in %d s; largest error answer %d bytes (%s)%n",
                operations, requests, seconds, largestError, largestErrorRequest);
        assertTrue(operations > 50, "the OpenAPI document lists the API's operations: " + operations);
        assertEquals(List.of(), failures.stream().limit(40).toList(), failures.size() + " requests answered wrongly");
        assertTrue(largestError < 64 * 1024, "error answers stay small: " + largestError + " bytes");
    }

    /** {@code pathParameters}: those declared on the path, which OpenAPI applies to each of its operations. */
    private void fuzz(String template, String method, JsonNode op, JsonNode pathParameters) throws Exception {
        List<JsonNode> params = new ArrayList<>();
        pathParameters.forEach(params::add);
        if (op.has("parameters")) op.get("parameters").forEach(params::add);
        boolean hasBody = op.has("requestBody");
        String validPath = fill(template, params, null, null);
        // Anonymous: 401 (or the public answer), never a 5xx.
        check(method, validPath, hasBody ? "{" : null, false);
        // Each parameter in turn gets each malformed value; the others stay valid.
        for (JsonNode p : params) {
            String in = p.path("in").asText();
            if (!in.equals("query") && !in.equals("path")) continue;
            String name = p.path("name").asText();
            String type = p.path("schema").path("type").asText("string");
            List<String> values = new ArrayList<>(List.of(ANY));
            if (type.equals("integer") || type.equals("number")) values.addAll(List.of(NUMBERS));
            if (type.equals("boolean")) values.addAll(List.of(BOOLEANS));
            for (String v : values) {
                if (in.equals("path") && (v.isEmpty() || v.equals("%20"))) continue; // another route, not this parameter
                String url = in.equals("path") ? fill(template, params, name, v) : validPath + (validPath.contains("?") ? "&" : "?") + name + "=" + v;
                // A body that does not parse, so that no fuzzed request can change anything.
                check(method, url, hasBody ? "{" : null, true);
            }
        }
        if (hasBody) {
            for (String body : BODIES) check(method, validPath, body, true);
        }
    }

    /** The path with every path parameter set to a harmless valid value (or the fuzzed one). */
    private static String fill(String template, List<JsonNode> params, String fuzzed, String value) {
        String path = template.startsWith("/") ? template.substring(1) : template;
        for (JsonNode p : params) {
            if (!p.path("in").asText().equals("path")) continue;
            String name = p.path("name").asText();
            String v = name.equals(fuzzed) ? value : p.path("schema").path("type").asText().equals("integer") ? "1" : "x1";
            path = path.replace("{" + name + "}", v);
        }
        return path;
    }

    private void check(String method, String url, String body, boolean loggedIn) throws Exception {
        HttpResponse<String> r = send(method, url, body, loggedIn ? admin : null, false);
        requests++;
        int status = r.statusCode();
        String type = r.headers().firstValue("Content-Type").orElse("");
        String what = method + " /" + shorten(url) + (body == null ? "" : " body " + shorten(body)) + (loggedIn ? "" : " (anonymous)");
        if (status >= 500) failures.add(what + " -> " + status + " " + shorten(r.body()));
        if (status >= 400) {
            boolean api = url.startsWith("api/");
            if (api && !type.startsWith(Problem.MEDIA_TYPE)) failures.add(what + " -> " + status + " " + type);
            if (r.body().length() > largestError) {
                largestError = r.body().getBytes(StandardCharsets.UTF_8).length;
                largestErrorRequest = what + " -> " + status;
            }
        }
    }

    private HttpResponse<String> send(String method, String url, String body, String auth, boolean ok) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(url)).timeout(Duration.ofSeconds(30));
        if (auth != null) b.header("Authorization", auth);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
