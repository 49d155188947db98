package cn.urbanmgmt.risk.common.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.common.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV reading without HTTP: encodings, the line each row is reported at, binary files (decoded as parsed). */
class TabularFileCsvTest {

    private static List<TabularFile.Row> rows(byte[] bytes, String encoding) {
        List<TabularFile.Row> rows = new ArrayList<>();
        TabularFile.stream(bytes, encoding, 1000, h -> { }, rows::add);
        return rows;
    }

    @Test
    void utf8WithBomAndCrlfLines() {
        byte[] bytes = "\uFEFF名称,地址\r\n甲店,一路1号\r\n\r\n乙店,二路2号\r\n".getBytes(StandardCharsets.UTF_8);
        TabularFile.Info info = TabularFile.stream(bytes, null, 10, h -> assertEquals(List.of("名称", "地址"), h), r -> { });
        assertEquals("UTF-8", info.encoding());
        List<TabularFile.Row> rows = rows(bytes, null);
        assertEquals(2, rows.size());
        assertEquals(2, rows.get(0).line());
        assertEquals(4, rows.get(1).line()); // the blank line 3 is skipped, but counted
        assertEquals("乙店", rows.get(1).get("名称"));
    }

    @Test
    void gbkIsDetectedAndQuotedLineBreaksKeepTheLineNumbers() {
        byte[] bytes = "名称,备注\n甲店,\"第一行\n第二行\"\n乙店,无\r丙店,老式换行\r".getBytes(TabularFile.GB18030);
        TabularFile.Info info = TabularFile.stream(bytes, null, 10, h -> { }, r -> { });
        assertEquals("GBK", info.encoding());
        List<TabularFile.Row> rows = rows(bytes, null);
        assertEquals(List.of(2, 4, 5), rows.stream().map(TabularFile.Row::line).toList());
        assertEquals("第一行\n第二行", rows.get(0).get("备注"));
        assertEquals("丙店", rows.get(2).get("名称"));
    }

    @Test
    void aNamedEncodingThatDoesNotFitIsRefused() {
        byte[] gbk = "名称\n甲店\n".getBytes(TabularFile.GB18030);
        ProblemException e = assertThrows(ProblemException.class, () -> rows(gbk, "UTF-8"));
        assertTrue(e.problem().detail().contains("不是有效的 UTF-8 编码"), e.problem().detail());
        assertEquals("甲店", rows(gbk, "GBK").get(0).get("名称"));
    }

    @Test
    void binaryContentIsRefusedButAStrayControlCharacterIsLeftToTheRowChecks() {
        byte[] utf16 = "名称,地址\n甲店,一路\n".getBytes(StandardCharsets.UTF_16LE);
        ProblemException e = assertThrows(ProblemException.class, () -> rows(utf16, null));
        assertTrue(e.problem().detail().contains("二进制") || e.problem().detail().contains("无法识别"), e.problem().detail());
        List<TabularFile.Row> rows = rows("名称,地址\n甲\u0001店,一路\n".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("甲\u0001店", rows.get(0).get("名称"));
    }

    @Test
    void anUnclosedQuoteNamesTheLineWhereTheBadRecordStarts() {
        byte[] bytes = "名称,地址\n甲店,一路\n乙店,\"二路\n丙店,三路\n".getBytes(StandardCharsets.UTF_8);
        ProblemException e = assertThrows(ProblemException.class, () -> rows(bytes, null));
        assertTrue(e.problem().detail().contains("第 3 行"), e.problem().detail());
    }
}
