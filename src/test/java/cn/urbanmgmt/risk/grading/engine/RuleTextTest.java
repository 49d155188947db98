package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Invalid UTF-8 is placed at its line and byte; sizes count bytes. */
class RuleTextTest {

    @Test
    void invalidUtf8IsPlacedAtLineAndByte() {
        byte[] good = "package grading;\n// 注释\nrule \"".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 3];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = (byte) 0xC3;
        bytes[good.length + 1] = (byte) 0x28;
        bytes[good.length + 2] = '"';
        RuleText.InvalidUtf8 e = assertThrows(RuleText.InvalidUtf8.class, () -> RuleText.decode(bytes));
        assertEquals(3, e.line());
        assertEquals(7, e.lineByte());
        assertEquals(good.length + 1, e.fileByte());
        assertTrue(e.getMessage().contains("第 3 行第 7 个字节") && e.getMessage().contains("0xC3"), e.getMessage());
    }

    @Test
    void validUtf8DecodesAndDropsTheByteOrderMark() throws Exception {
        assertEquals("规则", RuleText.decode("\uFEFF规则".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sizeCountsUtf8Bytes() {
        assertEquals(6, RuleText.utf8Length("规则"));
        assertEquals(4, RuleText.utf8Length("\uD83D\uDE00"));
        assertEquals(3, RuleText.utf8Length("abc"));
    }
}
