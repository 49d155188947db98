package cn.urbanmgmt.risk.common;

import static cn.urbanmgmt.risk.TestSupport.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.TestSupport;
import cn.urbanmgmt.risk.common.tabular.ErrorReport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, points 3 and 4: an import's answer lists at most 1,000 errors, counts them all and
 * links the full report (CSV or XLSX, zh-CN headers); an XLSX header is checked before its rows.
 */
@QuarkusTest
class ImportErrorReportTest {

    private static final String IMPORT = "/api/v1/merchants/import";
    private static final String HEADER = "统一社会信用代码,名称,地址,街镇,行业类别,开业日期\n";

    /** n rows with a bad street each (one error per row), plus one good row first. */
    private static byte[] badCsv(int n) {
        StringBuilder b = new StringBuilder(HEADER);
        b.append(TestSupport.uscc()).append(",好商户,愚园路1号,jingansi,餐饮,2020-01-01\n");
        for (int i = 0; i < n; i++) {
            b.append(TestSupport.uscc()).append(",商户").append(i).append(",愚园路").append(i).append("号,火星街道,餐饮,2020-01-01\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEventImportWithManyBadRowsIsBoundedTooInBothModes() throws IOException {
        int bad = 1_500;
        StringBuilder b = new StringBuilder("type,source,sourceId,occurredAt,uscc,caseNo,violationType,severity\n");
        for (int i = 0; i < bad; i++) b.append("CASE,bounded-test,").append(java.util.UUID.randomUUID()).append(",not-a-date,x,JA-").append(i).append(",NOISE,SERIOUS\n");
        byte[] csv = b.toString().getBytes(StandardCharsets.UTF_8);
        var refused = as("admin").contentType("text/csv").body(csv).post("/api/v1/events/import").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors", hasSize(Problem.MAX_ERRORS)).body("errorCount", org.hamcrest.Matchers.greaterThanOrEqualTo(bad))
                .body("errorReport", startsWith("/api/v1/import-error-reports/"));
        assertTrue(refused.extract().asByteArray().length < 1_000_000);
        var partial = as("admin").contentType("text/csv").body(csv).post("/api/v1/events/import?mode=PARTIAL").then()
                .statusCode(200).body("stored", is(0)).body("rejected", is(bad))
                .body("errors", hasSize(Problem.MAX_ERRORS)).body("errorCount", org.hamcrest.Matchers.greaterThanOrEqualTo(bad))
                .body("errorReport", startsWith("/api/v1/import-error-reports/"));
        String report = partial.extract().jsonPath().getString("errorReport");
        String text = new String(as("admin").get(report).then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords();
        assertEquals(partial.extract().jsonPath().getLong("errorCount") + 1, records.size(), "every error is in the report");
    }

    /** Every line of a downloaded report, the header first. */
    private static List<CSVRecord> report(String user, String path) throws IOException {
        String text = new String(as(user).get(path).then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "with a BOM for Excel");
        return CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords();
    }

    @Test
    void inspectorAndItemImportsAreBoundedTooWithTheFullReport() throws IOException {
        int bad = 1_200;
        StringBuilder inspectors = new StringBuilder("执法证号,姓名,所属中队\n");
        for (int i = 0; i < bad; i++) inspectors.append("BND").append(System.nanoTime() % 100_000_000).append(i).append(",张").append(i).append(",火星中队\n");
        byte[] csv = inspectors.toString().getBytes(StandardCharsets.UTF_8);
        as("planner").contentType("text/csv").body(csv).post("/api/v1/inspection/inspectors/import").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors", hasSize(Problem.MAX_ERRORS)).body("errorCount", is(bad))
                .body("detail", containsString("共 " + bad + " 条")).body("errorReport", startsWith("/api/v1/import-error-reports/"));
        JsonPath partial = as("planner").contentType("text/csv").body(csv).post("/api/v1/inspection/inspectors/import?mode=PARTIAL").then()
                .statusCode(200).body("created", is(0)).body("rejected", is(bad)).body("errors", hasSize(Problem.MAX_ERRORS))
                .body("errorCount", is(bad)).extract().jsonPath();
        List<CSVRecord> records = report("planner", partial.getString("errorReport"));
        assertEquals(ErrorReport.HEADERS, records.get(0).toList());
        assertEquals(bad + 1, records.size(), "every error, not just the first thousand");
        assertEquals("squad", records.get(bad).get(1));
        assertEquals("火星中队", records.get(bad).get(2));

        StringBuilder items = new StringBuilder("年度版本,事项代码,事项名称,法律依据,检查方式,抽查政策\n");
        for (int i = 0; i < bad; i++) items.append("2021,BND-").append(i).append(",事项,依据,飞行检查,RISK_BASED\n");
        JsonPath refused = as("planner").contentType("text/csv").body(items.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/inspection/items/import").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors", hasSize(Problem.MAX_ERRORS)).body("errorCount", org.hamcrest.Matchers.greaterThanOrEqualTo(bad))
                .body("errors[0].line", is(2)).body("errors[0].field", equalTo("mode")).extract().jsonPath();
        assertEquals(refused.getLong("errorCount") + 1, report("planner", refused.getString("errorReport")).size());
        // A header without the required columns is refused before any row.
        as("planner").contentType("text/csv").body("编号,名字\n1,甲\n".getBytes(StandardCharsets.UTF_8)).post("/api/v1/inspection/items/import")
                .then().statusCode(400).body("detail", containsString("缺少必需的列")).body("errors[0].line", is(1));
    }

    @Test
    void anEventFileIsCheckedHeaderFirstAndNdjsonIsBoundedToo() throws IOException {
        as("admin").contentType("text/csv").body("编号,名字\n1,甲\n".getBytes(StandardCharsets.UTF_8)).post("/api/v1/events/import").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("缺少必需的列"))
                .body("detail", containsString("事件类型")).body("errors[0].line", is(1));
        int bad = 1_100;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bad; i++) {
            b.append(i % 2 == 0 ? "{\"type\":\"CASE\",\"source\":\"ndjson-bounded\",\"sourceId\":\"" + java.util.UUID.randomUUID()
                    + "\",\"occurredAt\":\"2026-01-01\",\"uscc\":\"x\",\"caseNo\":\"JA-" + i + "\",\"violationType\":\"NOISE\",\"severity\":\"HUGE\"}"
                    : "not json").append('\n');
        }
        JsonPath r = as("admin").contentType("application/x-ndjson").body(b.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/events/import?mode=PARTIAL").then().statusCode(200).body("stored", is(0)).body("rejected", is(bad))
                .body("errors", hasSize(Problem.MAX_ERRORS)).extract().jsonPath();
        assertEquals(r.getLong("errorCount") + 1, report("admin", r.getString("errorReport")).size());
    }

    @Test
    void manyBadRowsGiveTheFirstThousandTheCountAndTheFullReport() throws IOException {
        int bad = 2500;
        var answer = as("planner").contentType("text/csv").body(badCsv(bad)).post(IMPORT).then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors", hasSize(Problem.MAX_ERRORS)).body("errorCount", is(bad))
                .body("errors[0].line", is(3)).body("errors[0].field", equalTo("street"))
                .body("detail", containsString("共 " + bad + " 条"))
                .body("errorReport", startsWith("/api/v1/import-error-reports/"));
        String report = answer.extract().jsonPath().getString("errorReport");
        int size = answer.extract().asByteArray().length;
        System.out.printf("ImportErrorReportTest: %d bad rows, answer of %d bytes%n", bad, size);
        assertTrue(size < 1_000_000, "the answer stays bounded: " + size);

        byte[] csv = as("planner").get(report).then().statusCode(200).contentType(containsString("text/csv")).extract().asByteArray();
        String text = new String(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "with a BOM for Excel");
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords();
        assertEquals(List.of("行号", "字段", "内容", "错误说明"), records.get(0).toList());
        assertEquals(bad + 1, records.size(), "every error, not just the first thousand");
        assertEquals("3", records.get(1).get(0));
        assertEquals("街镇", records.get(1).get(1), "the column by its zh-CN header, not the API field name");
        assertEquals(String.valueOf(bad + 2), records.get(bad).get(0));
        assertEquals("火星街道", records.get(bad).get(2));

        byte[] xlsx = as("planner").get(report + "?format=xlsx").then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            Sheet s = wb.getSheetAt(0);
            assertEquals("错误说明", s.getRow(0).getCell(3).getStringCellValue());
            assertEquals(bad, s.getLastRowNum());
            assertEquals(bad + 2, (int) s.getRow(bad).getCell(0).getNumericCellValue());
        }
        // Only the importer (and administrators) may read it.
        as("squad-jingansi").get(report).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        as("admin").get(report).then().statusCode(200);
        as("admin").get("/api/v1/import-error-reports/not-a-uuid").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        as("planner").get(report + "?format=pdf").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void partialModeReportsTheSameWayAndImportsTheGoodRow() {
        JsonPath r = as("planner").contentType("text/csv").body(badCsv(1200)).post(IMPORT + "?mode=PARTIAL").then()
                .statusCode(200).body("created", is(1)).body("rejected", is(1200))
                .body("errors", hasSize(Problem.MAX_ERRORS)).body("errorCount", is(1200)).extract().jsonPath();
        as("planner").get(r.getString("errorReport")).then().statusCode(200);
    }

    @Test
    void anXlsxHeaderIsCheckedBeforeItsRows() throws IOException {
        int rows = 200_000;
        byte[] workbook;
        try (SXSSFWorkbook wb = new SXSSFWorkbook(200); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet();
            Row h = sheet.createRow(0);
            String[] headers = {"编号", "名字"};
            for (int i = 0; i < headers.length; i++) h.createCell(i).setCellValue(headers[i]);
            for (int r = 1; r <= rows; r++) {
                Row row = sheet.createRow(r);
                row.createCell(0).setCellValue(r);
                row.createCell(1).setCellValue("商户" + r);
            }
            wb.write(out);
            wb.dispose();
            workbook = out.toByteArray();
        }
        long t0 = System.nanoTime();
        as("planner").contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").body(workbook).post(IMPORT)
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString("缺少必需的列"))
                .body("errors[0].line", is(1));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("ImportErrorReportTest: XLSX of %d rows (%d bytes) with a wrong header refused in %d ms%n", rows, workbook.length, ms);
        assertTrue(ms < 8_000, "refused after the header, not after reading " + rows + " rows: " + ms + " ms");
    }

    @Test
    void aPlanRequestWithFiftyThousandBadUsccsGetsABoundedAnswer() {
        // The case: 50,000 bad codes (589 KB) used to get a 5.9 MB answer.
        List<String> usccs = java.util.stream.IntStream.range(0, 50_000).mapToObj(i -> "BAD" + i).toList();
        java.util.Map<String, Object> body = new java.util.HashMap<>();
        body.put("name", "五万个错误代码");
        body.put("items", List.of("GS-02"));
        body.put("scope", java.util.Map.of("usccs", usccs));
        var answer = TestSupport.asJson("planner").body(body).post("/api/v1/inspection/plans").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors", hasSize(Problem.MAX_ERRORS))
                .body("errorCount", org.hamcrest.Matchers.greaterThanOrEqualTo(50_000));
        int size = answer.extract().asByteArray().length;
        System.out.printf("ImportErrorReportTest: plan request with 50,000 bad USCCs, answer of %d bytes%n", size);
        assertTrue(size < 300_000, "bounded answer: " + size);
    }

    @Test
    void answersListAtMostAThousandErrors() {
        List<Problem.FieldError> many = java.util.stream.IntStream.range(0, 50_000)
                .mapToObj(i -> Problem.FieldError.of("scope.usccs[" + i + "]", "统一社会信用代码有误")).toList();
        Problem p = ProblemException.validation("有误", many).problem();
        assertEquals(Problem.MAX_ERRORS, p.errors().size());
        assertEquals(50_000L, p.errorCount());
        Problem.FieldError huge = new Problem.FieldError(1, "name", "x".repeat(100_000), "太长");
        assertTrue(huge.value().length() < 300, "a huge value is not echoed in full");
    }
}
