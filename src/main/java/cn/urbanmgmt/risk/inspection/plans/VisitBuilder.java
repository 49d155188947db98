package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.inspection.draw.Draw;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges what the draw picked into visits (进一次门、查多项事): all items drawn for a merchant are
 * checked in one visit. A merchant picked for a weekly item gets one visit per week it was picked in;
 * its once-per-period items join its first weekly visit. Visits are numbered in (window start, uscc)
 * order.
 */
public final class VisitBuilder {

    private VisitBuilder() {
    }

    /** Weeks of a period: consecutive 7-day blocks from its first day; the last may be shorter. */
    public static int weeks(LocalDate start, LocalDate end) {
        long days = end.toEpochDay() - start.toEpochDay() + 1;
        return (int) ((days + 6) / 7);
    }

    private record Entry(String item, String stratum, int week) {
    }

    public static List<PlannedVisit> build(String[] ids, List<Draw.Selection> selections, LocalDate start, LocalDate end) {
        Map<Integer, List<Entry>> byCandidate = new HashMap<>();
        for (Draw.Selection sel : selections) {
            Draw.Stratum s = sel.stratum();
            for (int w = 0; w < sel.picks().size(); w++) {
                int week = s.weekly() ? w : -1;
                for (int c : sel.picks().get(w)) {
                    byCandidate.computeIfAbsent(c, k -> new ArrayList<>()).add(new Entry(s.itemCode(), s.name(), week));
                }
            }
        }
        List<PlannedVisit> visits = new ArrayList<>();
        for (Map.Entry<Integer, List<Entry>> e : byCandidate.entrySet()) {
            int c = e.getKey();
            TreeMap<Integer, TreeMap<String, String>> byWeek = new TreeMap<>();
            List<Entry> once = new ArrayList<>();
            for (Entry x : e.getValue()) {
                if (x.week() < 0) once.add(x);
                else byWeek.computeIfAbsent(x.week(), k -> new TreeMap<>()).put(x.item(), x.stratum());
            }
            if (byWeek.isEmpty()) byWeek.put(-1, new TreeMap<>());
            TreeMap<String, String> first = byWeek.firstEntry().getValue();
            for (Entry x : once) first.put(x.item(), x.stratum());
            for (Map.Entry<Integer, TreeMap<String, String>> w : byWeek.entrySet()) {
                int week = w.getKey();
                LocalDate from = week < 0 ? start : start.plusDays(7L * week);
                LocalDate to = week < 0 ? end : min(end, from.plusDays(6));
                visits.add(new PlannedVisit(0, c, ids[c], from, to, week < 0 ? null : week,
                        List.copyOf(w.getValue().keySet()), List.copyOf(w.getValue().values())));
            }
        }
        visits.sort(Comparator.comparing(PlannedVisit::windowStart).thenComparing(PlannedVisit::uscc));
        List<PlannedVisit> numbered = new ArrayList<>(visits.size());
        for (int i = 0; i < visits.size(); i++) {
            PlannedVisit v = visits.get(i);
            numbered.add(new PlannedVisit(i + 1, v.candidate(), v.uscc(), v.windowStart(), v.windowEnd(), v.week(), v.items(), v.strata()));
        }
        return numbered;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
