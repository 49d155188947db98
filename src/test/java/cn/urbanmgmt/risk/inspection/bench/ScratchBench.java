package cn.urbanmgmt.risk.inspection.bench;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.plans.MatchInputs;
import cn.urbanmgmt.risk.inspection.plans.PlanComputation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("scratch")
class ScratchBench {

    @Test
    void measure() {
        int n = 1_000_000;
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) ids[i] = String.format("91310106%09dX", i);
        Random r = new Random(1);
        List<Draw.Stratum> strata = new ArrayList<>();
        for (String item : List.of("GS-02", "SC-01")) {
            List<Integer> green = new ArrayList<>(), yellow = new ArrayList<>(), red = new ArrayList<>(), fresh = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int x = r.nextInt(1000);
                (x < 940 ? green : x < 955 ? yellow : x < 977 ? red : fresh).add(i);
            }
            strata.add(new Draw.Stratum(item, "绿色", 300, false, green.stream().mapToInt(Integer::intValue).toArray()));
            strata.add(new Draw.Stratum(item, "黄色", 3000, false, yellow.stream().mapToInt(Integer::intValue).toArray()));
            strata.add(new Draw.Stratum(item, "红色", 10000, false, red.stream().mapToInt(Integer::intValue).toArray()));
            strata.add(new Draw.Stratum(item, "新开", 10000, false, fresh.stream().mapToInt(Integer::intValue).toArray()));
        }
        CandidateList list = new CandidateList(ids, strata);
        byte[] seed = new byte[32];
        LocalDate start = LocalDate.of(2026, 12, 1);
        List<MatchInspector> staff = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            staff.add(new MatchInspector(i, "JA" + (1000 + i), "人" + i, "sq-" + (i % 16), i % 30 != 0,
                    i % 10 == 0 ? List.of("GS-02") : List.of("GS-02", "SC-01"), List.of(), List.of()));
        }
        for (int round = 0; round < 4; round++) {
            long t = System.nanoTime();
            long[] keys = HmacRank.keys(ids, seed);
            long t1 = System.nanoTime();
            PlanComputation.Drawn drawn = PlanComputation.draw(keys, list, start, start.plusDays(27));
            long t2 = System.nanoTime();
            String csv = drawn.drawCsv();
            long t3 = System.nanoTime();
            List<MatchInputs.MerchantInfo> infos = new ArrayList<>();
            for (var v : drawn.visits()) infos.add(new MatchInputs.MerchantInfo(v.uscc(), v.candidate(), "x", "sq-" + (v.candidate() % 14), null, List.of("JA1001")));
            MatchInputs inputs = new MatchInputs(List.of("all"), 2, staff.stream().map(s -> new MatchInspector(s.id(), s.badgeNo(), s.name(), "all",
                    s.active(), s.qualifiedItems(), s.conflictUsccs(), s.conflictPersons())).toList(), infos);
            long t4 = System.nanoTime();
            PlanComputation.Staffed staffed = PlanComputation.staff(seed, drawn.visits(), inputs);
            long t5 = System.nanoTime();
            MatchInputs squads = new MatchInputs(null, 2, staff, infos);
            PlanComputation.Staffed bySquad = PlanComputation.staff(seed, drawn.visits(), squads);
            long t6 = System.nanoTime();
            byte[] compact = list.compact();
            long t7 = System.nanoTime();
            String sha = list.sha256();
            long t8 = System.nanoTime();
            CandidateList.fromCompact(compact);
            long t9 = System.nanoTime();
            System.out.printf("hmac %d, draw+visits %d (%d visits), drawCsv %d, pool match %d (%s), squad match %d, compact %d (%d bytes), sha %d, fromCompact %d ms%n",
                    ms(t, t1), ms(t1, t2), drawn.visits().size(), ms(t2, t3), ms(t4, t5), staffed.matching().feasible(), ms(t5, t6), ms(t6, t7),
                    compact.length, ms(t7, t8), ms(t8, t9));
        }
    }

    static long ms(long a, long b) {
        return (b - a) / 1_000_000;
    }
}
