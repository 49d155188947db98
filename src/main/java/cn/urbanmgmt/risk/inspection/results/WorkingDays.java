package cn.urbanmgmt.risk.inspection.results;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Set;

/**
 * Working days for publication deadlines: Monday to Friday, minus configured public holidays
 * (app.publication.holidays). Make-up working weekends (调休) are not modelled: list them nowhere and
 * the deadline errs on the late side by a day at most.
 */
public final class WorkingDays {

    private WorkingDays() {
    }

    /** The day that is {@code days} working days after {@code from} (from itself not counted). */
    public static LocalDate add(LocalDate from, int days, Set<LocalDate> holidays) {
        LocalDate d = from;
        int left = days;
        while (left > 0) {
            d = d.plusDays(1);
            if (isWorkingDay(d, holidays)) left--;
        }
        return d;
    }

    public static boolean isWorkingDay(LocalDate d, Set<LocalDate> holidays) {
        return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY && !holidays.contains(d);
    }
}
