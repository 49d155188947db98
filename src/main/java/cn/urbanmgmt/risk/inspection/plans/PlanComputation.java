package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import cn.urbanmgmt.risk.inspection.draw.Draw;
import cn.urbanmgmt.risk.inspection.draw.HmacRank;
import cn.urbanmgmt.risk.inspection.matching.MatchInspector;
import cn.urbanmgmt.risk.inspection.matching.MatchVisit;
import cn.urbanmgmt.risk.inspection.matching.Matching;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deterministic part of a plan, shared by plan creation and verify: from the seed and the recorded
 * candidate list to the draw and the visits; from the recorded matching inputs to the staffing; and
 * the canonical texts whose SHA-256 digests identify the draw and the whole result.
 */
public final class PlanComputation {

    private PlanComputation() {
    }

    /** The draw and its visits; the published CSV and its digest are computed on demand (off the critical path). */
    public record Drawn(List<Draw.Selection> selections, List<PlannedVisit> visits, String[] ids) {
        public String drawCsv() {
            return PlanComputation.drawCsv(ids, selections);
        }
    }

    public record Staffed(Matching.Result matching, List<String> visitLines, String resultSha256) {
    }

    public static Drawn draw(byte[] seed, CandidateList candidates, LocalDate start, LocalDate end) {
        return draw(HmacRank.keys(candidates.ids(), seed), candidates, start, end);
    }

    /** With the ranking keys already computed (plan creation computes them while the candidates stream in). */
    public static Drawn draw(long[] keys, CandidateList candidates, LocalDate start, LocalDate end) {
        int weeks = VisitBuilder.weeks(start, end);
        List<Draw.Selection> selections = Draw.draw(candidates.ids(), keys, candidates.drawable(), weeks);
        List<PlannedVisit> visits = VisitBuilder.build(candidates.ids(), selections, start, end);
        return new Drawn(selections, visits, candidates.ids());
    }

    /**
     * The drawn list as published: {@code item_code,stratum,week,uscc} (week 1-based for weekly
     * strata, empty otherwise), sorted by item code, stratum, week and uscc.
     */
    public static String drawCsv(String[] ids, List<Draw.Selection> selections) {
        // Selections come grouped by item code and stratum (the candidate list's order), weeks ascending:
        // only the ids within each group need sorting.
        List<Draw.Selection> ordered = new ArrayList<>(selections);
        ordered.sort(Comparator.comparing((Draw.Selection s) -> s.stratum().itemCode()).thenComparing(s -> s.stratum().name()));
        StringBuilder sb = new StringBuilder(64 + 48 * ordered.stream().mapToInt(Draw.Selection::drawn).sum()).append("item_code,stratum,week,uscc\n");
        for (Draw.Selection s : ordered) {
            for (int w = 0; w < s.picks().size(); w++) {
                String prefix = s.stratum().itemCode() + "," + s.stratum().name() + "," + (s.stratum().weekly() ? String.valueOf(w + 1) : "") + ",";
                int[] picks = s.picks().get(w);
                String[] usccs = new String[picks.length];
                for (int i = 0; i < picks.length; i++) usccs[i] = ids[picks[i]];
                java.util.Arrays.sort(usccs);
                for (String u : usccs) sb.append(prefix).append(u).append('\n');
            }
        }
        return sb.toString();
    }

    /** Visits to staff, joined with the recorded merchant facts; null when a drawn merchant has none. */
    public static List<MatchVisit> matchVisits(List<PlannedVisit> visits, Map<String, MatchInputs.MerchantInfo> merchants) {
        List<MatchVisit> out = new ArrayList<>(visits.size());
        for (PlannedVisit v : visits) {
            MatchInputs.MerchantInfo m = merchants.get(v.uscc());
            if (m == null) return null;
            out.add(new MatchVisit(v.visitNo(), v.uscc(), v.windowStart().toString(), m.squad(), m.contactName(), v.items(), m.previousBadges()));
        }
        return out;
    }

    public static Staffed staff(byte[] seed, List<PlannedVisit> visits, MatchInputs inputs) {
        Map<String, MatchInputs.MerchantInfo> merchants = new HashMap<>();
        for (MatchInputs.MerchantInfo m : inputs.merchants()) merchants.put(m.uscc(), m);
        List<MatchVisit> toMatch = matchVisits(visits, merchants);
        if (toMatch == null) throw new IllegalStateException("matching inputs do not cover every drawn merchant");
        Set<String> pool = inputs.crossPoolSquads() == null ? null : new HashSet<>(inputs.crossPoolSquads());
        Matching.Result result = Matching.match(seed, toMatch, inputs.inspectors(), pool, inputs.perVisit());
        if (!result.feasible()) return new Staffed(result, List.of(), null);
        Map<Long, String> badges = new HashMap<>();
        for (MatchInspector i : inputs.inspectors()) badges.put(i.id(), i.badgeNo());
        List<String> lines = new ArrayList<>(visits.size());
        for (PlannedVisit v : visits) {
            Matching.Assignment a = result.assignments().get(v.visitNo());
            lines.add(visitLine(v.visitNo(), v.uscc(), v.windowStart(), v.windowEnd(), v.items(), v.strata(), a.squad(), a.inspectorIds(), badges));
        }
        return new Staffed(result, lines, resultSha256(lines));
    }

    /** One visit in the canonical result text (stored visits are rendered the same way by verify). */
    public static String visitLine(int visitNo, String uscc, LocalDate from, LocalDate to, List<String> items, List<String> strata,
                                   String squad, long[] inspectorIds, Map<Long, String> badges) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(visitNo).append(',').append(uscc).append(',').append(from).append(',').append(to).append(',')
                .append(String.join(";", items)).append(',').append(String.join(";", strata)).append(',').append(squad).append(',');
        for (int i = 0; i < inspectorIds.length; i++) {
            if (i > 0) sb.append(';');
            sb.append(badges.getOrDefault(inspectorIds[i], "#" + inspectorIds[i]));
        }
        return sb.toString();
    }

    public static String resultSha256(List<String> lines) {
        MessageDigest md = CandidateList.sha256Digest();
        for (String l : lines) {
            md.update(l.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 over everything the result depends on besides the seed. */
    public static String inputsSha256(String candidatesSha256, byte[] matchInputsJson, LocalDate start, LocalDate end) {
        MessageDigest md = CandidateList.sha256Digest();
        md.update((candidatesSha256 + "|" + start + "|" + end + "|").getBytes(StandardCharsets.UTF_8));
        md.update(matchInputsJson);
        return HexFormat.of().formatHex(md.digest());
    }

    public static String seedCommitment(String seedHex) {
        return CandidateList.sha256(HexFormat.of().parseHex(seedHex));
    }
}
