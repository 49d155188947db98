package cn.urbanmgmt.risk.bench;

import static cn.urbanmgmt.risk.TestSupport.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.registry.MerchantColumns;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Import benchmark, not a unit test: 100,000 rows through POST /api/v1/merchants/import, then the
 * same file again (idempotent re-import), then the file with 1% of the rows changed. Excluded from
 * normal runs; run with {@code ./mvnw verify -Pbench}. Figures go to stdout and target/bench-import.txt.
 */
@QuarkusTest
@Tag("bench")
class ImportBenchmarkTest {

    static final int ROWS = Integer.getInteger("bench.rows", 100_000);
    static final long GOAL_MS = 60_000;
    /** Quarkus gives REST Assured a 30 s socket timeout; a slow run should fail on the goal, not time out. */
    private static final RestAssuredConfig LONG_WAIT = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 300_000));

    private static final String[] STREETS = {"静安寺街道", "曹家渡街道", "江宁路街道", "石门二路街道", "南京西路街道", "天目西路街道",
            "北站街道", "宝山路街道", "共和新路街道", "大宁路街道", "彭浦新村街道", "临汾路街道", "芷江西路街道", "彭浦镇"};
    private static final String[] CATEGORIES = {"餐饮", "零售", "住宿", "医疗", "娱乐", "教育培训", "集贸市场", "生活服务", "其他"};

    /** A deterministic file of {@code rows} valid merchants; {@code changedEvery > 0} renames every n-th one. */
    static byte[] file(int rows, int changedEvery) {
        Random r = new Random(20211231);
        StringBuilder sb = new StringBuilder(rows * 200);
        sb.append(CSVFormat.DEFAULT.format(MerchantColumns.headers().toArray())).append("\r\n");
        LocalDate base = LocalDate.of(2000, 1, 1);
        for (int i = 0; i < rows; i++) {
            StringBuilder org = new StringBuilder();
            long v = 7_000_000_000L + i * 7919L;
            for (int k = 0; k < 9; k++) {
                org.append(Uscc.ALPHABET.charAt((int) (v % 31)));
                v /= 31;
            }
            String first17 = "93310106" + org;
            String category = CATEGORIES[r.nextInt(CATEGORIES.length)];
            boolean key = category.equals("餐饮") && r.nextInt(100) < 8;
            String name = "基准商户" + i + (changedEvery > 0 && i % changedEvery == 0 ? "（已更名）" : "");
            List<String> row = new ArrayList<>(List.of(first17 + Uscc.checkChar(first17), name,
                    "上海市静安区基准路" + (1 + r.nextInt(1500)) + "号", STREETS[r.nextInt(STREETS.length)], category,
                    key ? "是" : "否", key ? "餐饮单位" : "", r.nextInt(100) < 3 ? "停业" : "营业",
                    base.plusDays(r.nextInt(8000)).toString(), "王先生", "139" + (10_000_000 + r.nextInt(89_999_999)),
                    String.format("%.6f", 121.43 + r.nextDouble() * 0.05), String.format("%.6f", 31.22 + r.nextDouble() * 0.08)));
            sb.append(CSVFormat.DEFAULT.format(row.toArray())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long[] timedImport(byte[] body, List<String> report, String label) {
        long t0 = System.nanoTime();
        JsonPath result = as("admin").config(LONG_WAIT).contentType("text/csv").body(body).post("/api/v1/merchants/import")
                .then().statusCode(200).extract().jsonPath();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String line = String.format("%-34s %7d ms  (created %d, updated %d, unchanged %d, rejected %d)", label, ms,
                result.getInt("created"), result.getInt("updated"), result.getInt("unchanged"), result.getInt("rejected"));
        System.out.println("[bench] " + line);
        report.add(line);
        return new long[]{ms, result.getInt("created"), result.getInt("updated"), result.getInt("unchanged")};
    }

    @Test
    void import100kRowsThenReimportThenChangeOnePercent() throws IOException {
        List<String> report = new ArrayList<>();
        byte[] body = file(ROWS, 0);
        report.add(String.format("file: %d rows, %.1f MB CSV (UTF-8)", ROWS, body.length / 1e6));
        System.out.println("[bench] " + report.get(0));

        long[] first = timedImport(body, report, "first import (all new)");
        long[] again = timedImport(body, report, "re-import, same file");
        long[] changed = timedImport(file(ROWS, 100), report, "re-import, 1% of rows renamed");

        Path out = Path.of("target", "bench-import.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);

        assertEquals(ROWS, first[1]);
        assertEquals(0, again[1]);
        assertEquals(0, again[2]);
        assertEquals(ROWS, again[3]);
        assertEquals(ROWS / 100, changed[2]);
        assertTrue(first[0] < GOAL_MS, "first import took " + first[0] + " ms");
        assertTrue(again[0] < GOAL_MS, "re-import took " + again[0] + " ms");
    }
}
