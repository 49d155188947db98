package cn.urbanmgmt.risk.inspection.bench;

import cn.urbanmgmt.risk.grading.engine.RuleCompiler;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import cn.urbanmgmt.risk.inspection.items.InspectionMode;
import cn.urbanmgmt.risk.inspection.sampling.model.SamplingCandidate;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.MerchantStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.StatelessKieSession;

@Tag("scratch")
class ScratchBench {

    @Test
    void measure() {
        int n = 1_000_000;
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) ids[i] = String.format("91310106%09d%c", i, 'X');
        byte[] seed = new byte[32];
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            HmacRank.keys(ids, seed);
            System.out.printf("HMAC 1M: %d ms%n", (System.nanoTime() - t) / 1_000_000);
        }
        RuleCompiler.Built built = RuleCompiler.build(RuleSource.fromDirectory(Path.of("rules"), "sampling"));
        KieBase base = built.container().getKieBase();
        KieBaseConfiguration conf = KieServices.Factory.get().newKieBaseConfiguration();
        conf.setProperty("drools.sequential", "true");
        KieBase seq = built.container().newKieBase(conf);
        Random rnd = new Random(1);
        Grade[] grades = Grade.values();
        for (int r = 0; r < 3; r++) {
            List<SamplingCandidate> facts = facts(2 * n, rnd, grades);
            long t = System.nanoTime();
            IntStream.range(0, facts.size() / 10_000).parallel().forEach(b -> {
                KieSession s = base.newKieSession();
                for (SamplingCandidate c : facts.subList(b * 10_000, (b + 1) * 10_000)) s.insert(c);
                s.fireAllRules();
                s.dispose();
            });
            System.out.printf("rules stateful 2M: %d ms%n", (System.nanoTime() - t) / 1_000_000);
            List<SamplingCandidate> facts2 = facts(2 * n, rnd, grades);
            t = System.nanoTime();
            IntStream.range(0, facts2.size() / 10_000).parallel().forEach(b -> {
                StatelessKieSession s = seq.newStatelessKieSession();
                s.execute(facts2.subList(b * 10_000, (b + 1) * 10_000));
            });
            System.out.printf("rules sequential stateless 2M: %d ms%n", (System.nanoTime() - t) / 1_000_000);
            long same = 0;
            for (int i = 0; i < 1000; i++) if (facts2.get(i).resolve().equals(facts2.get(i).resolve())) same++;
        }
    }

    static List<SamplingCandidate> facts(int n, Random r, Grade[] grades) {
        List<SamplingCandidate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int g = r.nextInt(100);
            out.add(new SamplingCandidate(i, "X" + i, "jingansi", MerchantCategory.RETAIL, false, null,
                    r.nextInt(100) < 3 ? MerchantStatus.CLOSED : MerchantStatus.OPERATING, r.nextInt(7000),
                    g < 2 ? Grade.RED : g < 4 ? Grade.YELLOW : Grade.GREEN, 0, i % 2 == 0 ? "GS-02" : "SC-01", InspectionMode.ON_SITE,
                    "RISK_BASED", r.nextInt(10) == 0 ? r.nextInt(700) : null, 28, 4));
        }
        return out;
    }
}
