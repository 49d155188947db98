package cn.urbanmgmt.risk.grading.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.grading.model.Reason;
import org.junit.jupiter.api.Test;

/** Reasons are text, not a channel: length-limited, without control or format characters. */
class ReasonTextTest {

    @Test
    void plainReasonIsKeptAsItIs() {
        String s = "一年内有严重违法案件（案号 JA-2026-0001）";
        assertSame(s, Reason.cleanText(s));
    }

    @Test
    void controlAndFormatCharactersBecomeOneSpace() {
        assertEquals("第一行 第二行 x y", Reason.cleanText("  第一行\r\n\t第二行\u0000\u001b[31m".replace("[31m", "") + "x\u202Ey\u2028"));
        assertEquals("a b", Reason.cleanText("a\u200B\u2029b"));
        assertEquals("", Reason.cleanText(null));
    }

    @Test
    void longReasonIsCutAtTheLimitCountingCharactersNotBytes() {
        String longText = "很".repeat(5000);
        String cut = Reason.cleanText(longText);
        assertEquals(Reason.MAX_TEXT + 1, cut.codePointCount(0, cut.length()));
        assertTrue(cut.endsWith("…"));
        String emoji = "\uD83D\uDE00".repeat(300);
        String e = Reason.cleanText(emoji);
        assertEquals(Reason.MAX_TEXT + 1, e.codePointCount(0, e.length()));
    }

    @Test
    void theRecordingApiStoresOnlyCleanText() {
        Assessment a = new Assessment();
        a.addPoints(1, "读到的文件内容\nroot:x:0:0:root:/root:/bin/bash\n" + "x".repeat(10_000));
        a.floor(Grade.RED, "\u202E红色");
        for (Reason r : a.getReasons()) {
            assertTrue(r.text().codePointCount(0, r.text().length()) <= Reason.MAX_TEXT + 1, r.text());
            assertTrue(r.text().chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT), r.text());
        }
        assertEquals("红色", a.getReasons().get(1).text());
    }
}
