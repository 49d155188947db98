package cn.urbanmgmt.risk.inspection.register;

import cn.urbanmgmt.risk.inspection.draw.CandidateList;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every stored field of a plan that influences its draw, its matching or its public notice, in the
 * canonical form that is hashed (docs/double-random.md, section 9). The digests of all fields are
 * entered on the public register when the plan is created; verify recomputes them from the stored row
 * and names each field whose digest differs.
 *
 * <p>Digest of a field: SHA-256 of the UTF-8 bytes of its value as canonical JSON ({@link CanonicalJson}:
 * strings and dates quoted, numbers plain, {@code null} when absent), except three fields whose value is
 * bytes: {@code seed} (SHA-256 of the 32 seed bytes, i.e. the seed commitment), {@code candidates} (SHA-256
 * of the candidate CSV) and {@code matchInputs} (SHA-256 of the recorded matching-input JSON bytes).
 * Record text: {@code "plan-record/1\n"} then one line {@code "<field> <digest hex>\n"} per field in the
 * order of {@link #FIELDS}; the record hash is SHA-256 of that text.
 */
public record PlanRecord(String name, int edition, String itemsJson, String scopeJson, LocalDate periodStart, LocalDate periodEnd, int weeks,
                         LocalDate evaluationDate, String seedHex, String seedCommitment, boolean seedGenerated, String inspectorSquadsJson,
                         int inspectorsPerVisit, String samplingRulesVersion, String strataJson, String exclusionsJson,
                         String candidatesCsvSha256, String candidatesSha256, String matchInputsSha256, String inputsSha256, String drawSha256,
                         String resultSha256, int visitCount, int merchantCount, String poolsJson, String warningsJson, String overlapReason,
                         String overlapsJson, String capacityJson, String capacityReason, String createdBy, Instant createdAt) {

    public static final String FORMAT = "plan-record/1";

    /** Field names (as in the API and the register) in record order, with the zh-CN name verify reports. */
    public static final Map<String, String> FIELDS;

    static {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", "计划名称");
        f.put("edition", "事项清单版本");
        f.put("items", "抽查事项（快照）");
        f.put("scope", "抽查范围");
        f.put("periodStart", "检查期开始日期");
        f.put("periodEnd", "检查期结束日期");
        f.put("weeks", "周数");
        f.put("evaluationDate", "评估日期（抽取日）");
        f.put("seed", "随机种子");
        f.put("seedCommitment", "种子承诺值");
        f.put("seedGenerated", "种子由系统生成");
        f.put("inspectorSquads", "跨中队人员池");
        f.put("inspectorsPerVisit", "每户检查人数");
        f.put("samplingRulesVersion", "抽查规则版本");
        f.put("strata", "分层（比例、候选数、抽取数）");
        f.put("exclusions", "排除情况");
        f.put("candidates", "候选名单");
        f.put("candidatesSha256", "候选名单摘要");
        f.put("matchInputs", "匹配输入（人员名录快照、商户信息）");
        f.put("inputsSha256", "输入摘要");
        f.put("drawSha256", "抽取结果摘要");
        f.put("resultSha256", "计划结果摘要");
        f.put("visitCount", "检查户次");
        f.put("merchantCount", "检查商户数");
        f.put("pools", "人员池工作量");
        f.put("warnings", "提示");
        f.put("overlapReason", "计划重叠的理由");
        f.put("overlaps", "与之重叠的计划");
        f.put("capacity", "检查力量测算");
        f.put("capacityReason", "超出检查力量的理由");
        f.put("createdBy", "计划生成人");
        f.put("createdAt", "生成时间");
        FIELDS = java.util.Collections.unmodifiableMap(f);
    }

    public static String label(String field) {
        return FIELDS.getOrDefault(field, field);
    }

    /** Digest of every field, in record order. */
    public Map<String, String> digests() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("name", sha(str(name)));
        d.put("edition", sha(Integer.toString(edition)));
        d.put("items", sha(CanonicalJson.ofText(itemsJson)));
        d.put("scope", sha(CanonicalJson.ofText(scopeJson)));
        d.put("periodStart", sha(str(periodStart)));
        d.put("periodEnd", sha(str(periodEnd)));
        d.put("weeks", sha(Integer.toString(weeks)));
        d.put("evaluationDate", sha(str(evaluationDate)));
        d.put("seed", seedHex == null || !seedHex.matches("[0-9a-f]{64}") ? sha(str(seedHex)) : CandidateList.sha256(HexFormat.of().parseHex(seedHex)));
        d.put("seedCommitment", sha(str(seedCommitment)));
        d.put("seedGenerated", sha(Boolean.toString(seedGenerated)));
        d.put("inspectorSquads", sha(CanonicalJson.ofText(inspectorSquadsJson)));
        d.put("inspectorsPerVisit", sha(Integer.toString(inspectorsPerVisit)));
        d.put("samplingRulesVersion", sha(str(samplingRulesVersion)));
        d.put("strata", sha(CanonicalJson.ofText(strataJson)));
        d.put("exclusions", sha(CanonicalJson.ofText(exclusionsJson)));
        d.put("candidates", candidatesCsvSha256);
        d.put("candidatesSha256", sha(str(candidatesSha256)));
        d.put("matchInputs", matchInputsSha256);
        d.put("inputsSha256", sha(str(inputsSha256)));
        d.put("drawSha256", sha(str(drawSha256)));
        d.put("resultSha256", sha(str(resultSha256)));
        d.put("visitCount", sha(Integer.toString(visitCount)));
        d.put("merchantCount", sha(Integer.toString(merchantCount)));
        d.put("pools", sha(CanonicalJson.ofText(poolsJson)));
        d.put("warnings", sha(CanonicalJson.ofText(warningsJson)));
        d.put("overlapReason", sha(str(overlapReason)));
        d.put("overlaps", sha(CanonicalJson.ofText(overlapsJson)));
        d.put("capacity", sha(CanonicalJson.ofText(capacityJson)));
        d.put("capacityReason", sha(str(capacityReason)));
        d.put("createdBy", sha(str(createdBy)));
        d.put("createdAt", sha(str(createdAt)));
        return d;
    }

    /** SHA-256 of the record text built from the field digests. */
    public static String recordSha256(Map<String, String> digests) {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        for (String field : FIELDS.keySet()) sb.append(field).append(' ').append(digests.get(field)).append('\n');
        return CandidateList.sha256(sb.toString());
    }

    /** A string, date or instant as a canonical JSON string; null as {@code null}. */
    static String str(Object value) {
        if (value == null) return "null";
        return CanonicalJson.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(value.toString()));
    }

    static String sha(String canonical) {
        return CandidateList.sha256(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /** Which fields differ between two digest maps (a missing field counts as different), in record order. */
    public static List<String> differing(Map<String, String> committed, Map<String, String> recomputed) {
        return FIELDS.keySet().stream().filter(f -> committed == null || !java.util.Objects.equals(committed.get(f), recomputed.get(f))).toList();
    }
}
