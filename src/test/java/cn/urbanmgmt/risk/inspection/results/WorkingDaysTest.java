package cn.urbanmgmt.risk.inspection.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 20-working-day publication deadline. */
class WorkingDaysTest {

    private static final LocalDate FRIDAY = LocalDate.of(2027, 1, 8);

    @Test
    void weekendsAreSkipped() {
        assertEquals(LocalDate.of(2027, 1, 11), WorkingDays.add(FRIDAY, 1, Set.of()));
        assertEquals(LocalDate.of(2027, 1, 11), WorkingDays.add(LocalDate.of(2027, 1, 9), 1, Set.of())); // from a Saturday
        assertEquals(FRIDAY, WorkingDays.add(FRIDAY, 0, Set.of()));
    }

    @Test
    void twentyWorkingDaysAreFourWeeks() {
        assertEquals(LocalDate.of(2027, 2, 5), WorkingDays.add(FRIDAY, 20, Set.of()));
    }

    @Test
    void holidaysAreSkipped() {
        Set<LocalDate> holidays = Set.of(LocalDate.of(2027, 1, 11), LocalDate.of(2027, 1, 12));
        assertEquals(LocalDate.of(2027, 1, 13), WorkingDays.add(FRIDAY, 1, holidays));
        assertFalse(WorkingDays.isWorkingDay(LocalDate.of(2027, 1, 11), holidays));
        assertTrue(WorkingDays.isWorkingDay(LocalDate.of(2027, 1, 13), holidays));
    }
}
