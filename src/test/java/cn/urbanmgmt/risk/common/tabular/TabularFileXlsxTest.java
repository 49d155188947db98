package cn.urbanmgmt.risk.common.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.common.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * XLSX reading without HTTP: the shared-strings table (Excel's home for every text) read from temporary
 * files, rich-text runs joined and phonetic hints left out, and the bounds a hostile workbook meets.
 */
class TabularFileXlsxTest {

    private static final String NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    @Test
    void textFromTheSharedStringsTableWithRunsJoinedAndPhoneticHintsLeftOut() throws IOException {
        byte[] xlsx = workbook(strings("<si><t>名称</t></si><si><t>地址</t></si>"
                        + "<si><r><t>甲</t></r><r><rPr><b/></rPr><t>店</t></r><rPh sb=\"0\" eb=\"1\"><t>コウ</t></rPh></si>"
                        + "<si><t xml:space=\"preserve\"> 一路1号 </t></si>"),
                sheet(row(1, sst("A1", 0), sst("B1", 1)), row(2, sst("A2", 2), sst("B2", 3)), row(3, inline("A3", "乙店"), number("B3", "42"))));
        List<TabularFile.Row> rows = rows(xlsx);
        assertEquals(2, rows.size());
        assertEquals("甲店", rows.get(0).get("名称"));
        assertEquals("一路1号", rows.get(0).get("地址").strip());
        assertEquals(2, rows.get(0).line());
        assertEquals("乙店", rows.get(1).get("名称"));
        assertEquals("42", rows.get(1).get("地址"));
    }

    @Test
    void aWorkbookWrittenByPoiReadsBack() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            var sh = wb.createSheet("商户");
            sh.createRow(0).createCell(0).setCellValue("名称");
            sh.getRow(0).createCell(1).setCellValue("地址");
            for (int i = 1; i <= 500; i++) {
                sh.createRow(i).createCell(0).setCellValue("商户" + i);
                sh.getRow(i).createCell(1).setCellValue(i % 2 == 0 ? "同一地址" : "地址" + i); // repeated text shares one entry
            }
            wb.write(out);
            List<TabularFile.Row> rows = rows(out.toByteArray());
            assertEquals(500, rows.size());
            assertEquals("商户500", rows.get(499).get("名称"));
            assertEquals("同一地址", rows.get(499).get("地址"));
            assertEquals("地址499", rows.get(498).get("地址"));
        }
    }

    @Test
    void aSharedStringLongerThanExcelAllowsIsRefusedBeforeItIsKept() throws IOException {
        byte[] xlsx = workbook(strings("<si><t>名称</t></si><si><t>" + noise(40_000) + "</t></si>"),
                sheet(row(1, sst("A1", 0)), row(2, sst("A2", 1))));
        String detail = refusal(xlsx);
        assertTrue(detail.contains("共享字符串第 2 条超过 32767 个字符"), detail);
    }

    @Test
    void anInlineCellLongerThanExcelAllowsIsRefusedWithItsRow() throws IOException {
        byte[] xlsx = workbook(strings("<si><t>名称</t></si>"), sheet(row(1, sst("A1", 0)), row(2, inline("A2", noise(40_000)))));
        String detail = refusal(xlsx);
        assertTrue(detail.contains("第 2 行有单元格超过 32767 个字符"), detail);
    }

    @Test
    void aCellBeyondExcelsLastColumnIsRefusedAndCellsRightOfTheHeaderAreIgnored() throws IOException {
        byte[] far = workbook(strings("<si><t>名称</t></si>"), sheet(row(1, sst("A1", 0)), row(2, inline("A2", "甲店"), inline("XFE2", "x"))));
        assertTrue(refusal(far).contains("超出 Excel 的列范围"), refusal(far));
        byte[] right = workbook(strings("<si><t>名称</t></si>"), sheet(row(1, sst("A1", 0)), row(2, inline("A2", "甲店"), inline("XFD2", "x"))));
        List<TabularFile.Row> rows = rows(right);
        assertEquals(1, rows.size());
        assertEquals(List.of("名称"), List.copyOf(rows.get(0).cells().keySet()));
    }

    @Test
    void aReferenceToAMissingSharedStringIsRefused() throws IOException {
        byte[] xlsx = workbook(strings("<si><t>名称</t></si>"), sheet(row(1, sst("A1", 0)), row(2, sst("A2", 7))));
        String detail = refusal(xlsx);
        assertTrue(detail.contains("XLSX"), detail);
    }

    @Test
    void theSpooledTableServesManyStringsFromTemporaryFiles() throws Exception {
        StringBuilder xml = new StringBuilder("<sst xmlns=\"" + NS + "\">");
        for (int i = 0; i < 200_000; i++) xml.append("<si><t>商户").append(i).append("</t></si>");
        xml.append("</sst>");
        try (SpooledSharedStrings table = SpooledSharedStrings.read(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(200_000, table.getCount());
            assertEquals("商户0", table.get(0));
            assertEquals("商户123456", table.get(123_456));
            assertEquals("商户199999", table.getItemAt(199_999).getString());
            assertThrows(ProblemException.class, () -> table.get(200_000));
        }
        try (SpooledSharedStrings none = SpooledSharedStrings.read(null)) {
            assertEquals(0, none.getCount());
        }
    }

    // ---- helpers: a real workbook written by POI, with its sheet and shared strings replaced by the test's XML ----

    /** Chinese text that does not compress well: a long run of one character would trip POI's zip-bomb check first. */
    private static String noise(int length) {
        java.util.Random random = new java.util.Random(length);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append((char) (0x4E00 + random.nextInt(20_000)));
        return sb.toString();
    }

    @Test
    void aZipBombIsRefusedWithAMessage() throws IOException {
        byte[] xlsx = workbook(strings("<si><t>名称</t></si>" + "<si><t>长长长长长长</t></si>".repeat(50_000)),
                sheet(row(1, sst("A1", 0)), row(2, sst("A2", 1))));
        String detail = refusal(xlsx);
        assertTrue(detail.contains("压缩"), detail);
    }

    private static List<TabularFile.Row> rows(byte[] xlsx) {
        List<TabularFile.Row> rows = new ArrayList<>();
        TabularFile.stream(xlsx, null, 1000, h -> { }, rows::add);
        return rows;
    }

    private static String refusal(byte[] xlsx) {
        return assertThrows(ProblemException.class, () -> rows(xlsx)).problem().detail();
    }

    private static String strings(String items) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"" + NS + "\">" + items + "</sst>";
    }

    private static String sheet(String... rows) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" + NS + "\"><sheetData>" + String.join("", rows)
                + "</sheetData></worksheet>";
    }

    private static String row(int r, String... cells) {
        return "<row r=\"" + r + "\">" + String.join("", cells) + "</row>";
    }

    private static String sst(String ref, int index) {
        return "<c r=\"" + ref + "\" t=\"s\"><v>" + index + "</v></c>";
    }

    private static String inline(String ref, String text) {
        return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
    }

    private static String number(String ref, String value) {
        return "<c r=\"" + ref + "\"><v>" + value + "</v></c>";
    }

    /** A workbook POI wrote (with one shared string, so the part exists), its sheet and shared strings replaced. */
    private static byte[] workbook(String sharedStrings, String sheet) throws IOException {
        byte[] base;
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            wb.createSheet("S").createRow(0).createCell(0).setCellValue("x");
            wb.write(out);
            base = out.toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(base)); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                switch (e.getName()) {
                    case "xl/sharedStrings.xml" -> zip.write(sharedStrings.getBytes(StandardCharsets.UTF_8));
                    case "xl/worksheets/sheet1.xml" -> zip.write(sheet.getBytes(StandardCharsets.UTF_8));
                    default -> in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
