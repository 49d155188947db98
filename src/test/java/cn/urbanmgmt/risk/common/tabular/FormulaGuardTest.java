package cn.urbanmgmt.risk.common.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which text a spreadsheet would run as a formula, and the CSV escaping that round-trips. */
class FormulaGuardTest {

    @Test
    void formulaTriggersAreRecognisedButPlainNumbersAreNot() {
        for (String s : List.of("=1+2", "+86 21 5555 0000", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "=HYPERLINK(\"http://x\",\"点我\")")) {
            assertTrue(FormulaGuard.isFormulaLike(s), s);
        }
        for (String s : List.of("-12.5", "+3", "-0", "静安寺街道", "a=b", "", "13800000000")) {
            assertFalse(FormulaGuard.isFormulaLike(s), s);
        }
        assertFalse(FormulaGuard.isFormulaLike(null));
    }

    @Test
    void csvEscapingIsUndoneOnImport() {
        for (String s : List.of("=1+2", "+86 21", "@x", "'abc", "''=1", "'=1", "-12.5", "普通文本", "'", "a'b")) {
            String written = FormulaGuard.toCsv(s);
            assertFalse(FormulaGuard.isFormulaLike(written), written);
            assertEquals(s, FormulaGuard.fromCsv(written), s);
        }
        assertEquals("'=1+2", FormulaGuard.toCsv("=1+2"));
        // A hand-written apostrophe before ordinary text is kept as it is.
        assertEquals("'abc", FormulaGuard.fromCsv("'abc"));
    }
}
