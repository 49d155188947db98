package cn.urbanmgmt.risk.outcomes;

import static cn.urbanmgmt.risk.TestSupport.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HistoryImportTest {

    @Inject
    AgroalDataSource dataSource;

    static String uscc(long merchantId) {
        return as("admin").get("/api/v1/merchants/" + merchantId).then().statusCode(200).extract().jsonPath().getString("uscc");
    }

    static JsonPath post(byte[] file, String type, int status) {
        return as("planner").contentType(type).body(file).post("/api/v1/history/inspections/import").then().statusCode(status)
                .extract().jsonPath();
    }

    @Test
    void csvAndXlsxBecomeEventsRecordedWhenTheyHappened() throws Exception {
        long x = OutcomeFixtures.retail("zhijiangxilu");
        long y = OutcomeFixtures.retail("zhijiangxilu");
        String ux = uscc(x);
        String uy = uscc(y);

        String bad = "统一社会信用代码,检查日期,检查结果,扣分\n"
                + "91310106MA1FL00000,2016-03-01,未发现问题,\n"
                + ux + ",2016-13-01,当场整改,\n"
                + ux + ",2016-03-02,很好,\n"
                + ux + ",2016/3/5,立案查处,-3\n";
        JsonPath e = post(bad.getBytes(StandardCharsets.UTF_8), "text/csv", 400);
        assertEquals(4, e.getList("errors").size());
        assertEquals(java.util.List.of(2, 3, 4, 5), e.getList("errors.line"));
        assertEquals(java.util.List.of("establishmentId", "date", "outcome", "deduction"), e.getList("errors.field"));
        assertEquals(0, count(x));

        String good = "统一社会信用代码,名称,检查日期,检查类型,检查结果,违规项数,扣分,检查人员\n"
                + ux + ",某店,2016-03-01,常规检查,立案查处,3,12,JA1001\n"
                + ux + ",某店,2016/6/1,复查,未发现问题,0,,\n"
                + uy + ",另一店,2016-04-01,投诉检查,当场整改,1,2,\n";
        JsonPath r = post(good.getBytes(StandardCharsets.UTF_8), "text/csv", 200);
        assertEquals(3, r.getInt("imported"));
        assertEquals(2, r.getInt("merchants"));
        assertEquals("2016-03-01", r.getString("firstDate"));
        // The same file again adds nothing.
        JsonPath again = post(good.getBytes(StandardCharsets.UTF_8), "text/csv", 200);
        assertEquals(0, again.getInt("imported"));
        assertEquals(3, again.getInt("alreadyPresent"));
        assertEquals(2, count(x));

        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select outcome, deductions::text, note, recorded_at = occurred_at, (occurred_at at time zone 'Asia/Shanghai')::date::text "
                        + "from merchant_event where merchant_id = ? and source = 'history-import' order by occurred_at")) {
            ps.setLong(1, x);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals("CASE_OPENED", rs.getString(1));
                assertEquals("[{\"code\": \"HISTORY\", \"points\": 12}]", rs.getString(2));
                assertEquals("历史检查记录导入；检查类型：常规检查；违规项数：3；名称：某店", rs.getString(3));
                assertEquals(true, rs.getBoolean(4));
                assertEquals("2016-03-01", rs.getString(5));
                rs.next();
                assertEquals("NO_PROBLEM", rs.getString(1));
                assertEquals("2016-06-01", rs.getString(5));
            }
        }

        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet s = wb.createSheet("检查记录");
            Row h = s.createRow(0);
            h.createCell(0).setCellValue("establishmentId");
            h.createCell(1).setCellValue("date");
            h.createCell(2).setCellValue("outcome");
            h.createCell(3).setCellValue("itemCode");
            Row d = s.createRow(1);
            d.createCell(0).setCellValue(uy);
            d.createCell(1).setCellValue("2017-01-15");
            d.createCell(2).setCellValue("ORDERED_TO_RECTIFY");
            d.createCell(3).setCellValue("SC-01");
            wb.write(xlsx);
        }
        JsonPath rx = post(xlsx.toByteArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 200);
        assertEquals(1, rx.getInt("imported"));
        assertEquals(2, count(y));
    }

    @Test
    void missingColumnsAndRoles() {
        as("planner").contentType("text/csv").body("统一社会信用代码,名称\nX,Y\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/history/inspections/import").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("检查日期"));
        as("author").contentType("text/csv").body("a\n".getBytes(StandardCharsets.UTF_8)).post("/api/v1/history/inspections/import")
                .then().statusCode(403);
    }

    long count(long merchant) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from merchant_event where merchant_id = ? and source = 'history-import'")) {
            ps.setLong(1, merchant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
