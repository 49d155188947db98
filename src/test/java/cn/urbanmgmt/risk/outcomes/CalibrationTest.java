package cn.urbanmgmt.risk.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.urbanmgmt.risk.grading.model.Grade;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The threshold search on a hand-built score distribution (no database). */
class CalibrationTest {

    // 100 merchants graded with 40 / 70: 80 at 0 and 10 at 20 (GREEN), 5 at 45 (YELLOW), 3 at 75 (RED),
    // 2 at 10 held YELLOW by a floor.
    static final List<Calibration.Cell> CELLS = List.of(
            new Calibration.Cell(0, Grade.GREEN, Grade.GREEN, 80),
            new Calibration.Cell(20, Grade.GREEN, Grade.GREEN, 10),
            new Calibration.Cell(45, Grade.GREEN, Grade.YELLOW, 5),
            new Calibration.Cell(75, Grade.GREEN, Grade.RED, 3),
            new Calibration.Cell(10, Grade.YELLOW, Grade.YELLOW, 2));

    @Test
    void thresholdsClosestToTheTargetAndTheirTransitions() {
        // Target 80 / 10 / 10. RED at t: t in 21..45 gives 5 + 3 = 8 (2 short), t in 11..20 gives 18, t in 46..75 gives 3:
        // closest is 8, the highest such t is 45. YELLOW below 45: y in 11..20 (or lower) gives 10 + 2 = 12 (2 over),
        // y in 21..44 only the 2 floors: closest is 12, the highest such y is 20.
        Calibration.Proposal p = Calibration.propose(CELLS, Map.of(Grade.GREEN, 80.0, Grade.YELLOW, 10.0, Grade.RED, 10.0));
        assertEquals(20, p.yellowAt());
        assertEquals(45, p.redAt());
        assertEquals(100, p.merchants());
        assertEquals(8, p.counts().get(Grade.RED));
        assertEquals(12, p.counts().get(Grade.YELLOW));
        assertEquals(80, p.counts().get(Grade.GREEN));
        assertEquals(80, p.matrix().get(Grade.GREEN).get(Grade.GREEN));
        assertEquals(10, p.matrix().get(Grade.GREEN).get(Grade.YELLOW));
        assertEquals(2, p.matrix().get(Grade.YELLOW).get(Grade.YELLOW));
        assertEquals(5, p.matrix().get(Grade.YELLOW).get(Grade.RED));
        assertEquals(3, p.matrix().get(Grade.RED).get(Grade.RED));
    }

    @Test
    void floorsStayWhateverTheThresholds() {
        // Target with no YELLOW at all: the two floored merchants stay YELLOW; RED closest to 5 is 3 (t in 46..75, highest 75).
        Calibration.Proposal p = Calibration.propose(CELLS, Map.of(Grade.GREEN, 95.0, Grade.YELLOW, 0.0, Grade.RED, 5.0));
        assertEquals(75, p.redAt());
        assertEquals(74, p.yellowAt());
        assertEquals(2, p.counts().get(Grade.YELLOW));
        assertEquals(3, p.counts().get(Grade.RED));
        assertEquals(5, p.matrix().get(Grade.YELLOW).get(Grade.GREEN));
    }
}
