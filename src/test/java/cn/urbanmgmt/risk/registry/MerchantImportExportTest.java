package cn.urbanmgmt.risk.registry;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.createMerchant;
import static cn.urbanmgmt.risk.TestSupport.merchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Bulk import (CSV in UTF-8/GBK, XLSX; both modes) and export (CSV/XLSX with zh-CN headers). */
@QuarkusTest
class MerchantImportExportTest {

    private static final String IMPORT = "/api/v1/merchants/import";
    private static final String EXPORT = "/api/v1/merchants/export";
    private static final String PROBLEM = "application/problem+json";
    private static final Charset GBK = Charset.forName("GBK");
    private static final List<String> ZH = MerchantColumns.headers();
    private static final List<String> EN = Arrays.stream(MerchantColumns.values()).map(c -> c.field).toList();

    // ---- helpers --------------------------------------------------------------------------------

    /** One good row in column order; {@code name} makes it easy to find again. */
    private static List<String> row(String uscc, String name, String street) {
        return new ArrayList<>(List.of(uscc, name, "上海市静安区愚园路" + uscc.substring(14) + "号", street, "餐饮", "否", "",
                "营业", "2020-05-01", "王先生", "13800000000", "121.445000", "31.223000"));
    }

    private static List<String> with(List<String> row, MerchantColumns col, String value) {
        List<String> r = new ArrayList<>(row);
        r.set(col.ordinal(), value);
        return r;
    }

    @SafeVarargs
    private static String csv(List<String> headers, List<String>... rows) {
        StringBuilder sb = new StringBuilder(CSVFormat.DEFAULT.format(headers.toArray())).append("\r\n");
        for (List<String> r : rows) sb.append(CSVFormat.DEFAULT.format(r.toArray())).append("\r\n");
        return sb.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bom(String s) {
        byte[] body = utf8(s);
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    private static ValidatableResponse post(String user, byte[] body, String query) {
        return as(user).contentType("text/csv").body(body).post(IMPORT + query).then();
    }

    private static ValidatableResponse post(byte[] body, String query) {
        return post("admin", body, query);
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status) {
        return r.statusCode(status).contentType(PROBLEM).body("status", is(status));
    }

    private static io.restassured.path.json.JsonPath byUscc(String code) {
        return as("admin").get("/api/v1/merchants/by-uscc/" + code).then().statusCode(200).extract().jsonPath();
    }

    private static void absent(String code) {
        as("admin").get("/api/v1/merchants/by-uscc/" + code).then().statusCode(404);
    }

    private static int auditCount(long id) {
        return as("admin").get("/api/v1/merchants/" + id + "/audit").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    private static byte[] xlsx(List<String> headers, List<List<Object>> rows) throws IOException {
        try (Workbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet("商户");
            CellStyle dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Row h = sheet.createRow(0);
            for (int i = 0; i < headers.size(); i++) h.createCell(i).setCellValue(headers.get(i));
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r + 1);
                List<Object> values = rows.get(r);
                for (int i = 0; i < values.size(); i++) {
                    Object v = values.get(i);
                    if (v == null) continue;
                    Cell cell = row.createCell(i);
                    if (v instanceof Number n) cell.setCellValue(n.doubleValue());
                    else if (v instanceof Boolean b) cell.setCellValue(b);
                    else if (v instanceof LocalDate d) {
                        cell.setCellValue(d);
                        cell.setCellStyle(dateStyle);
                    } else cell.setCellValue(v.toString());
                }
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static List<CSVRecord> parseCsv(byte[] body) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "CSV export starts with a BOM so that Excel reads UTF-8");
        return CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords();
    }

    // ---- import: encodings and formats ---------------------------------------------------------------

    @Test
    void utf8CsvWithZhHeadersImportsWithAndWithoutBom() {
        String a = uscc();
        String b = uscc();
        List<String> keyUnit = with(with(row(b, "福满楼大酒店" + b, "静安寺街道"), MerchantColumns.KEY_UNIT, "是"),
                MerchantColumns.KEY_UNIT_TYPE, "餐饮单位");
        post(utf8(csv(ZH, row(a, "老王面馆" + a, "jingansi"), keyUnit)), "").statusCode(200)
                .body("format", equalTo("CSV")).body("encoding", equalTo("UTF-8")).body("mode", equalTo("ALL_OR_NOTHING"))
                .body("totalRows", is(2)).body("created", is(2)).body("updated", is(0)).body("rejected", is(0))
                .body("errors", hasSize(0));
        io.restassured.path.json.JsonPath m = byUscc(b);
        assertEquals("福满楼大酒店" + b, m.getString("name"));
        assertEquals("jingansi", m.getString("street"));
        assertEquals("CATERING", m.getString("category"));
        assertTrue(m.getBoolean("keyUnit"));
        assertEquals("RESTAURANT", m.getString("keyUnitType"));
        assertEquals("OPERATING", m.getString("status"));
        assertEquals("2020-05-01", m.getString("openedOn"));
        assertEquals("13800000000", m.getString("contactPhone"));
        assertEquals(121.445f, m.getFloat("longitude"));

        String c = uscc();
        post(bom(csv(ZH, with(row(c, "带BOM的商户" + c, "曹家渡街道"), MerchantColumns.OPENED_ON, "2019/3/7"))), "")
                .statusCode(200).body("encoding", equalTo("UTF-8")).body("created", is(1));
        assertEquals("带BOM的商户" + c, byUscc(c).getString("name"));
        assertEquals("2019-03-07", byUscc(c).getString("openedOn"));
    }

    @Test
    void gbkCsvIsDetectedOrNamedAndRefusedWhenForcedAsUtf8() {
        String a = uscc();
        byte[] gbk = csv(ZH, row(a, "鑫源便利店（江宁路店）" + a, "江宁路街道")).getBytes(GBK);
        // Forced as UTF-8: the bytes are not UTF-8, so nothing is guessed and nothing imported.
        problem(post(gbk, "?encoding=UTF-8"), 400).body("detail", containsString("UTF-8"))
                .body("detail", containsString("GBK"));
        absent(a);

        post(gbk, "").statusCode(200).body("encoding", equalTo("GBK")).body("created", is(1));
        assertEquals("鑫源便利店（江宁路店）" + a, byUscc(a).getString("name"));
        assertEquals("jiangninglu", byUscc(a).getString("street"));

        String b = uscc();
        byte[] gb18030 = csv(ZH, row(b, "佳美超市" + b, "北站街道")).getBytes(Charset.forName("GB18030"));
        post(gb18030, "?encoding=GBK").statusCode(200).body("encoding", equalTo("GBK")).body("created", is(1));
        assertEquals("佳美超市" + b, byUscc(b).getString("name"));

        problem(post(gbk, "?encoding=BIG5"), 400).body("errors[0].field", equalTo("encoding"));
    }

    @Test
    void xlsxWithEnglishFieldNameHeadersImports() throws IOException {
        String a = uscc();
        String b = uscc();
        List<List<Object>> rows = List.of(
                Arrays.asList(a, "星级酒店" + a, "南京西路1号", "nanjingxilu", "HOTEL", true, "STAR_HOTEL", "OPERATING",
                        LocalDate.of(2018, 6, 30), "李女士", "021-62345678", 121.4567, 31.2289),
                Arrays.asList(b, "红玫瑰理发店" + b, "南京西路2号", "南京西路街道", "生活服务", false, null, "停业",
                        "2021-01-15", null, null, null, null));
        as("planner").contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .body(xlsx(EN, rows)).post(IMPORT).then().statusCode(200)
                .body("format", equalTo("XLSX")).body("created", is(2)).body("rejected", is(0));
        io.restassured.path.json.JsonPath m = byUscc(a);
        assertEquals("STAR_HOTEL", m.getString("keyUnitType"));
        assertEquals("2018-06-30", m.getString("openedOn"));
        assertEquals("021-62345678", m.getString("contactPhone"));
        assertEquals(31.2289f, m.getFloat("latitude"));
        assertEquals("SUSPENDED", byUscc(b).getString("status"));
        assertEquals("SERVICE", byUscc(b).getString("category"));

        // English headers in a CSV work the same way.
        String c = uscc();
        post(utf8(csv(EN, row(c, "英文表头" + c, "jingansi"))), "").statusCode(200).body("created", is(1));
        assertEquals("jingansi", byUscc(c).getString("street"));
    }

    // ---- import: all-or-nothing and partial -----------------------------------------------------------

    private static String badFile(String good1, String good2, String bad1, String bad2, String bad3) {
        return csv(ZH,
                row(good1, "好商户一" + good1, "临汾路街道"),                                                   // line 2
                row(bad1.substring(0, 17) + (bad1.charAt(17) == '0' ? '1' : '0'), "校验位错", "临汾路街道"),   // line 3
                row(bad2, "街道不存在" + bad2, "火星街道"),                                                      // line 4
                with(with(row(bad3, "多处错误" + bad3, "临汾路街道"), MerchantColumns.OPENED_ON, "2020-13-45"),
                        MerchantColumns.CATEGORY, "面包房"),                                                     // line 5
                row(good2, "好商户二" + good2, "linfenlu"));                                                    // line 6
    }

    @Test
    void aFileWithBadRowsImportsNothingAndListsEveryBadRow() {
        String g1 = uscc(), g2 = uscc(), b1 = uscc(), b2 = uscc(), b3 = uscc();
        problem(post(utf8(badFile(g1, g2, b1, b2, b3)), ""), 400)
                .body("detail", containsString("3 行")).body("detail", containsString("未导入"))
                .body("errors", hasSize(4))
                .body("errors[0].line", is(3)).body("errors[0].field", equalTo("uscc"))
                .body("errors[0].message", containsString("校验位"))
                .body("errors[1].line", is(4)).body("errors[1].field", equalTo("street"))
                .body("errors[1].value", equalTo("火星街道"))
                .body("errors.findAll { it.line == 5 }.field", equalTo(List.of("category", "openedOn")))
                .body("errors.find { it.field == 'openedOn' }.message", containsString("yyyy-MM-dd"));
        absent(g1);
        absent(g2);
        absent(b2);
    }

    @Test
    void partialModeImportsTheGoodRowsAndReportsTheRest() {
        String g1 = uscc(), g2 = uscc(), b1 = uscc(), b2 = uscc(), b3 = uscc();
        post(utf8(badFile(g1, g2, b1, b2, b3)), "?mode=partial").statusCode(200)
                .body("mode", equalTo("PARTIAL")).body("totalRows", is(5))
                .body("created", is(2)).body("rejected", is(3)).body("errors.line", equalTo(List.of(3, 4, 5, 5)));
        assertEquals("好商户一" + g1, byUscc(g1).getString("name"));
        assertEquals("好商户二" + g2, byUscc(g2).getString("name"));
        absent(b2);
        absent(b3);

        problem(post(utf8(badFile(g1, g2, b1, b2, b3)), "?mode=SOME"), 400).body("errors[0].field", equalTo("mode"));
    }

    @Test
    void dryRunValidatesAndReportsButWritesNothing() {
        String a = uscc();
        post(utf8(csv(ZH, row(a, "试运行" + a, "daninglu"))), "?dryRun=true").statusCode(200)
                .body("dryRun", is(true)).body("created", is(1));
        absent(a);
    }

    // ---- import: upsert, idempotence, audit ----------------------------------------------------------------

    @Test
    void reimportingTheSameFileChangesNothing() {
        String a = uscc(), b = uscc(), c = uscc();
        byte[] file = utf8(csv(ZH, row(a, "重复导入一" + a, "jingansi"),
                with(with(row(b, "重复导入二" + b, "jingansi"), MerchantColumns.KEY_UNIT, "是"),
                        MerchantColumns.KEY_UNIT_TYPE, "医疗机构"),
                with(with(row(c, "重复导入三" + c, "静安寺街道"), MerchantColumns.CONTACT_NAME, ""),
                        MerchantColumns.LONGITUDE, "121.4")));
        post(file, "").statusCode(200).body("created", is(3));
        long id = byUscc(a).getLong("id");
        long idC = byUscc(c).getLong("id");
        int version = byUscc(a).getInt("version");
        int audits = auditCount(id);
        int auditsC = auditCount(idC);

        post(file, "").statusCode(200).body("created", is(0)).body("updated", is(0)).body("unchanged", is(3))
                .body("rejected", is(0));
        assertEquals(audits, auditCount(id));
        assertEquals(auditsC, auditCount(idC));
        assertEquals(version, byUscc(a).getInt("version"));
    }

    @Test
    void anUpdateThroughImportIsAudited() {
        String a = uscc();
        post(utf8(csv(ZH, row(a, "旧名称" + a, "zhijiangxilu"))), "").statusCode(200).body("created", is(1));
        long id = byUscc(a).getLong("id");
        post("planner", utf8(csv(ZH, with(row(a, "新名称" + a, "zhijiangxilu"), MerchantColumns.STATUS, "停业"))), "")
                .statusCode(200).body("created", is(0)).body("updated", is(1));
        as("admin").get("/api/v1/merchants/" + id + "/audit").then().statusCode(200)
                .body("action", equalTo(List.of("IMPORT", "IMPORT")))
                .body("[1].changedBy", equalTo("planner"))
                .body("[1].changes.name.old", equalTo("旧名称" + a))
                .body("[1].changes.name.new", equalTo("新名称" + a))
                .body("[1].changes.status.new", equalTo("SUSPENDED"))
                .body("[1].changes.address", nullValue());
        assertEquals("SUSPENDED", byUscc(a).getString("status"));
    }

    @Test
    void columnsTheFileDoesNotHaveKeepTheirStoredValues() {
        String a = uscc();
        Map<String, Object> body = merchant(a, "pengpuxincun");
        body.put("contactPhone", "13912345678");
        body.put("status", "SUSPENDED");
        body.put("keyUnitType", "RESTAURANT");
        long id = asJson("admin").body(body).post("/api/v1/merchants").then().statusCode(201).extract().jsonPath().getLong("id");
        // A minimal extract: only the required columns, same values.
        List<String> required = List.of("统一社会信用代码", "名称", "地址", "街镇", "行业类别", "开业日期");
        post(utf8(csv(required, List.of(a, (String) body.get("name"), (String) body.get("address"), "彭浦新村街道", "CATERING",
                "2020-05-01"))), "").statusCode(200).body("unchanged", is(1)).body("updated", is(0));
        io.restassured.path.json.JsonPath m = byUscc(a);
        assertEquals("13912345678", m.getString("contactPhone"));
        assertEquals("SUSPENDED", m.getString("status"));
        assertEquals("RESTAURANT", m.getString("keyUnitType"));
        assertEquals(1, auditCount(id));
    }

    // ---- import: broken files ---------------------------------------------------------------------------

    @Test
    void aUsccTwiceInOneFileIsReportedOnTheSecondLine() {
        String a = uscc(), b = uscc();
        problem(post(utf8(csv(ZH, row(a, "第一次" + a, "beizhan"), row(b, "别的" + b, "beizhan"),
                row(a, "第二次" + a, "beizhan"))), ""), 400)
                .body("errors", hasSize(1)).body("errors[0].line", is(4)).body("errors[0].field", equalTo("uscc"))
                .body("errors[0].message", containsString("第 2 行"));
        absent(a);
        absent(b);
    }

    @Test
    void aMissingRequiredColumnIsNamed() {
        List<String> headers = ZH.stream().filter(h -> !h.equals("街镇") && !h.equals("开业日期")).toList();
        String a = uscc();
        List<String> r = row(a, "缺列" + a, "beizhan");
        r.remove(MerchantColumns.OPENED_ON.ordinal());
        r.remove(MerchantColumns.STREET.ordinal());
        problem(post(utf8(csv(headers, r)), ""), 400).body("detail", containsString("街镇"))
                .body("detail", containsString("开业日期"))
                .body("errors.field", equalTo(List.of("街镇", "开业日期"))).body("errors[0].line", is(1));
        // A file with no recognisable header at all hints at the encoding.
        problem(post(utf8("foo,bar\n1,2\n"), ""), 400).body("detail", containsString("编码"));
        absent(a);
    }

    @Test
    void malformedCsvIsRefusedWithTheLine() {
        String a = uscc(), b = uscc(), c = uscc();
        String text = csv(ZH, row(a, "好" + a, "beizhan")) + c + ",\"引号不配对,上海市,beizhan,餐饮,否,,营业,2020-05-01,,,,\r\n"
                + csv(ZH, row(b, "好" + b, "beizhan")).lines().skip(1).collect(Collectors.joining("\r\n"));
        problem(post(utf8(text), ""), 400).body("detail", containsString("CSV"))
                .body("detail", containsString("第 3 行")).body("detail", containsString("引号"))
                .body("errors[0].line", is(3));
        absent(a);
        // Repeated column names are ambiguous and refused.
        problem(post(utf8("名称,名称,统一社会信用代码\nx,y," + a + "\n"), ""), 400).body("detail", containsString("重复"));
    }

    @Test
    void binaryGarbageAndOtherNonFilesAreRefusedClearly() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        problem(post(garbage, ""), 400).body("detail", containsString("CSV"));
        problem(post(garbage, "?encoding=GBK"), 400).body("detail", containsString("GBK"));

        byte[] withNul = utf8("统一社会信用代码,名称\u0000\u0001\u0002,地址\n");
        problem(post(withNul, ""), 400).body("detail", containsString("二进制"));

        byte[] fakeZip = Arrays.copyOf(new byte[]{'P', 'K', 3, 4, 1, 2, 3}, 2048);
        problem(as("admin").contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .body(fakeZip).post(IMPORT).then(), 400).body("detail", containsString("XLSX"));

        byte[] xls = Arrays.copyOf(new byte[]{(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1}, 1024);
        problem(as("admin").contentType("application/vnd.ms-excel").body(xls).post(IMPORT).then(), 400)
                .body("detail", containsString(".xls"));

        problem(post(new byte[0], ""), 400).body("detail", containsString("空"));
        problem(as("admin").contentType("application/json").body("{}").post(IMPORT).then(), 415);
        problem(as("admin").multiPart("file", "m.csv", utf8("a,b\n")).post(IMPORT).then(), 415);
    }

    @Test
    void aSquadCannotImportOutsideItsStreets() {
        String own = uscc(), foreign = uscc();
        problem(post("squad-jingansi", utf8(csv(ZH, row(own, "本辖区" + own, "jingansi"), row(foreign, "外辖区" + foreign, "彭浦镇"))), ""), 400)
                .body("errors", hasSize(1)).body("errors[0].line", is(3)).body("errors[0].field", equalTo("street"))
                .body("errors[0].message", containsString("无权"));
        absent(own);
        absent(foreign);

        // Moving another squad's merchant into one's own street is refused too.
        String other = uscc();
        createMerchant(other, "pengpuzhen");
        problem(post("squad-jingansi", utf8(csv(ZH, row(other, "挪过来" + other, "jingansi"))), ""), 400)
                .body("errors[0].field", equalTo("uscc")).body("errors[0].message", containsString("无权"));
        assertEquals("pengpuzhen", byUscc(other).getString("street"));

        post("squad-jingansi", utf8(csv(ZH, row(own, "本辖区" + own, "jingansi"))), "").statusCode(200).body("created", is(1));
        post("squad-mobile", utf8(csv(ZH, row(foreign, "机动中队" + foreign, "彭浦镇"))), "").statusCode(200).body("created", is(1));
        problem(post("author", utf8(csv(ZH, row(uscc(), "x", "jingansi"))), ""), 403);
        problem(given().contentType("text/csv").body(utf8("a\n")).post(IMPORT).then(), 401);
    }

    // ---- export ----------------------------------------------------------------------------------------

    @Test
    void csvExportHasZhHeadersAndReimportsUnchanged() throws IOException {
        String tag = "导出测试" + uscc().substring(10);
        String a = uscc(), b = uscc();
        post(utf8(csv(ZH, row(a, tag + "甲", "jingansi"),
                with(with(row(b, tag + "乙", "pengpuzhen"), MerchantColumns.KEY_UNIT, "是"), MerchantColumns.KEY_UNIT_TYPE, "交通枢纽"))), "")
                .statusCode(200).body("created", is(2));

        byte[] body = as("planner").queryParam("q", tag).get(EXPORT).then().statusCode(200)
                .contentType(startsWith("text/csv")).header("Content-Disposition", containsString(".csv"))
                .extract().asByteArray();
        List<CSVRecord> records = parseCsv(body);
        assertEquals(ZH, records.get(0).toList());
        assertEquals(3, records.size());
        CSVRecord second = records.get(2);
        assertEquals(b, second.get(0));
        assertEquals("彭浦镇", second.get(MerchantColumns.STREET.ordinal()));
        assertEquals("餐饮", second.get(MerchantColumns.CATEGORY.ordinal()));
        assertEquals("是", second.get(MerchantColumns.KEY_UNIT.ordinal()));
        assertEquals("交通枢纽", second.get(MerchantColumns.KEY_UNIT_TYPE.ordinal()));
        assertEquals("营业", second.get(MerchantColumns.STATUS.ordinal()));
        assertEquals("121.445000", second.get(MerchantColumns.LONGITUDE.ordinal()));

        // What the service exports, it imports back without a change.
        post(body, "").statusCode(200).body("unchanged", is(2)).body("created", is(0)).body("updated", is(0));
    }

    @Test
    void xlsxExportHasZhHeadersAndIsScopedForSquads() throws IOException {
        String tag = "表格导出" + uscc().substring(10);
        String own = uscc(), foreign = uscc();
        post(utf8(csv(ZH, row(own, tag + "本", "tianmuxilu"), row(foreign, tag + "外", "daninglu"))), "").statusCode(200);

        byte[] body = as("admin").queryParam("q", tag).queryParam("format", "XLSX").get(EXPORT).then().statusCode(200)
                .contentType(startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .header("Content-Disposition", containsString(".xlsx")).extract().asByteArray();
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(body))) {
            Sheet sheet = wb.getSheetAt(0);
            List<String> headers = new ArrayList<>();
            sheet.getRow(0).forEach(c -> headers.add(c.getStringCellValue()));
            assertEquals(ZH, headers);
            assertEquals(2, sheet.getLastRowNum());
            assertEquals(own, sheet.getRow(1).getCell(0).getStringCellValue());
            assertEquals("天目西路街道", sheet.getRow(1).getCell(MerchantColumns.STREET.ordinal()).getStringCellValue());
            assertEquals("大宁路街道", sheet.getRow(2).getCell(MerchantColumns.STREET.ordinal()).getStringCellValue());
        }
        // The exported workbook imports back unchanged.
        as("admin").contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").body(body).post(IMPORT)
                .then().statusCode(200).body("format", equalTo("XLSX")).body("unchanged", is(2));

        // The railway-station squad covers tianmuxilu and beizhan, not daninglu.
        List<CSVRecord> squad = parseCsv(as("squad-railway").queryParam("q", tag).get(EXPORT).then().statusCode(200)
                .extract().asByteArray());
        assertEquals(2, squad.size());
        assertEquals(own, squad.get(1).get(0));
        byte[] all = as("squad-railway").get(EXPORT).then().statusCode(200).extract().asByteArray();
        List<CSVRecord> allRows = parseCsv(all);
        assertFalse(allRows.stream().skip(1).anyMatch(r -> r.get(0).equals(foreign)));
        assertTrue(allRows.stream().skip(1).allMatch(r -> r.get(MerchantColumns.STREET.ordinal()).equals("天目西路街道")
                || r.get(MerchantColumns.STREET.ordinal()).equals("北站街道")));
    }

    @Test
    void badExportParametersAreProblems() {
        problem(as("admin").queryParam("format", "pdf").get(EXPORT).then(), 400)
                .body("errors[0].field", equalTo("format")).body("detail", containsString("xlsx"));
        problem(as("admin").queryParam("street", "火星街道").get(EXPORT).then(), 400)
                .body("errors[0].field", equalTo("street"));
        problem(given().get(EXPORT).then(), 401);
        as("author").get(EXPORT).then().statusCode(200).contentType(startsWith("text/csv"));
    }
}
