package cn.urbanmgmt.risk.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UsccTest {

    @Test
    void acceptsPublishedCodes() {
        // Real codes published by their holders (check characters per GB 32100-2015).
        assertNull(Uscc.problem("91350100M000100Y43"));
        assertNull(Uscc.problem("9131000013221158XC"));
        assertNull(Uscc.problem("91110000802100433B"));
    }

    @Test
    void rejectsWrongCheckCharacterAndSaysWhichItShouldBe() {
        String problem = Uscc.problem("91350100M000100Y44");
        assertNotNull(problem);
        assertTrue(problem.contains("“3”"), problem);
    }

    @Test
    void rejectsWrongLengthAndForbiddenLetters() {
        assertTrue(Uscc.problem("9135010").contains("18 位"));
        assertTrue(Uscc.problem("91350100M000100I43").contains("第 16 位"));
        assertNotNull(Uscc.problem(null));
    }

    @Test
    void computesCheckCharacter() {
        assertEquals('3', Uscc.checkChar("91350100M000100Y4"));
    }
}
