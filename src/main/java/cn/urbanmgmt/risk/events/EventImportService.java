package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.registry.Merchant;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bulk event intake from CSV/XLSX (one column per field) or NDJSON (one event per line), with the
 * registry's rules: all-or-nothing by default, every bad line reported, idempotent re-import.
 */
@ApplicationScoped
public class EventImportService {

    @Inject
    EventService events;

    @Inject
    ObjectMapper json;

    @Inject
    cn.urbanmgmt.risk.common.tabular.ImportErrorReports errorReports;

    @ConfigProperty(name = "app.import.max-rows")
    int maxRows;

    /** Counts, rejected lines, and the merchants whose grade must be recomputed. */
    /**
     * Counts, rejected lines, and the merchants whose grade must be recomputed. {@code errors} are the first
     * {@link cn.urbanmgmt.risk.common.Problem#MAX_ERRORS}; {@code errorCount} counts all of them and
     * {@code errorReport} names the downloadable full report (null when there were no errors).
     */
    /** {@code pending}: rows held for a second officer (four eyes), stored only once approved. */
    public record Result(String format, int totalRows, int stored, int duplicates, int rejected, List<FieldError> errors,
                         long errorCount, String errorReport, Set<Long> merchantIds, int pending) {
    }

    private record Line(int line, EventInput input) {
    }

    @Transactional
    public Result importFile(byte[] bytes, String contentType, String encoding, ImportMode mode, Actor actor) {
        List<FieldError> errors = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        String format;
        if (isNdjson(bytes, contentType)) {
            format = "NDJSON";
            readNdjson(bytes, lines, errors);
        } else {
            TabularFile.Content content = TabularFile.read(bytes, encoding, maxRows);
            format = content.format();
            for (TabularFile.Row row : content.rows()) lines.add(new Line(row.line(), parse(new Cells(row, errors))));
        }
        // Cells that did not parse are reported once, not again as "missing" by the checks below.
        Set<String> parseErrors = errors.stream().map(e -> e.line() + "\u0000" + e.field()).collect(Collectors.toSet());
        Set<Integer> badLines = errors.stream().map(FieldError::line).collect(Collectors.toSet());
        List<Map.Entry<Line, Merchant>> good = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Line l : lines) {
            if (l.input() == null) continue;
            List<FieldError> lineErrors = new ArrayList<>(events.check(l.input(), l.line()).stream()
                    .filter(e -> !parseErrors.contains(e.line() + "\u0000" + e.field())).toList());
            Merchant m = null;
            if (lineErrors.isEmpty() && !badLines.contains(l.line())) {
                try {
                    m = events.merchantOf(l.input(), actor);
                } catch (ProblemException e) {
                    lineErrors.add(new FieldError(l.line(), l.input().merchantId() != null ? "merchantId" : "uscc",
                            l.input().merchantId() != null ? String.valueOf(l.input().merchantId()) : l.input().uscc(), e.getMessage()));
                }
                Integer first = seen.putIfAbsent(l.input().source().strip() + "\u0000" + l.input().sourceId().strip(), l.line());
                if (first != null) {
                    lineErrors.add(new FieldError(l.line(), "sourceId", l.input().sourceId(), "与第 " + first + " 行的来源编号重复"));
                }
            }
            if (lineErrors.isEmpty() && !badLines.contains(l.line())) good.add(Map.entry(l, m));
            errors.addAll(lineErrors);
        }
        errors.sort(Comparator.comparing(FieldError::line).thenComparing(FieldError::field));
        int rejected = (int) errors.stream().map(FieldError::line).distinct().count();
        if (!errors.isEmpty() && mode == ImportMode.ALL_OR_NOTHING) {
            String report = storeReport(errors, actor);
            throw new ProblemException(cn.urbanmgmt.risk.common.Problem.of(400, "输入校验未通过",
                    "文件中有 " + rejected + " 行事件有误，未导入任何事件；请更正后重新上传，或选择只导入正确的行（mode=PARTIAL）"
                            + (errors.size() > cn.urbanmgmt.risk.common.Problem.MAX_ERRORS ? "。以下列出前 " + cn.urbanmgmt.risk.common.Problem.MAX_ERRORS
                            + " 条错误（共 " + errors.size() + " 条），完整报告可从 errorReport 下载" : ""))
                    .withErrors(errors, errors.size(), report));
        }
        int stored = 0;
        int duplicates = 0;
        int pending = 0;
        Set<Long> merchants = new LinkedHashSet<>();
        // By merchant (a stable sort: a merchant's lines keep the file's order, so corrections follow what they
        // correct): two imports that touch the same merchants lock their marks in the same order.
        good.sort(Comparator.comparingLong(e -> e.getValue().id));
        for (Map.Entry<Line, Merchant> e : good) {
            try {
                EventService.Recorded r = events.store(e.getKey().input(), e.getValue().id, actor.username());
                if (r.isPending()) {
                    if (!r.duplicate()) pending++;
                } else if (r.duplicate()) duplicates++;
                else {
                    stored++;
                    merchants.add(e.getValue().id);
                }
            } catch (ProblemException p) {
                // A conflict with an event stored earlier (same source id, other content) or a bad correction.
                if (mode == ImportMode.ALL_OR_NOTHING) {
                    throw ProblemException.validation("第 " + e.getKey().line() + " 行：" + p.getMessage() + "（未导入任何事件）",
                            List.of(new FieldError(e.getKey().line(), "sourceId", e.getKey().input().sourceId(), p.getMessage())));
                }
                errors.add(new FieldError(e.getKey().line(), "sourceId", e.getKey().input().sourceId(), p.getMessage()));
                rejected++;
            }
        }
        List<FieldError> first = errors.size() <= cn.urbanmgmt.risk.common.Problem.MAX_ERRORS ? errors
                : List.copyOf(errors.subList(0, cn.urbanmgmt.risk.common.Problem.MAX_ERRORS));
        return new Result(format, lines.size(), stored, duplicates, rejected, first, errors.size(), storeReport(errors, actor), merchants, pending);
    }

    /** The full list of errors as a downloadable report (see ImportErrorReports); null when there are none. */
    private String storeReport(List<FieldError> errors, Actor actor) {
        if (errors.isEmpty()) return null;
        try (cn.urbanmgmt.risk.common.tabular.ErrorReport report = new cn.urbanmgmt.risk.common.tabular.ErrorReport(EventFields.LABELS)) {
            report.addAll(errors);
            return errorReports.store(report, "events", actor);
        }
    }

    private static boolean isNdjson(byte[] bytes, String contentType) {
        if (contentType != null && (contentType.contains("ndjson") || contentType.contains("jsonl"))) return true;
        for (byte b : bytes) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
            return b == '{';
        }
        return false;
    }

    private void readNdjson(byte[] bytes, List<Line> lines, List<FieldError> errors) {
        String[] rows = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        if (rows.length > maxRows) throw ProblemException.badRequest("文件超过 " + maxRows + " 行的上限，请拆分后分批导入");
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i].strip();
            if (row.isEmpty()) continue;
            try {
                lines.add(new Line(i + 1, json.readValue(row, EventInput.class)));
            } catch (JsonMappingException e) {
                String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                        .collect(Collectors.joining("."));
                errors.add(new FieldError(i + 1, field.isEmpty() ? "json" : field, null, "第 " + (i + 1) + " 行 JSON 字段类型或取值有误：" + e.getOriginalMessage()));
            } catch (Exception e) {
                errors.add(new FieldError(i + 1, "json", null, "第 " + (i + 1) + " 行不是有效的 JSON"));
            }
        }
    }

    private static EventInput parse(Cells c) {
        EventType type = c.label(EventType.class, "type", "事件类型");
        return new EventInput(type, c.text("source", "来源系统"), c.text("sourceId", "来源编号"), c.text("occurredAt", "发生时间"),
                toLong(c, c.text("merchantId", "商户编号")), Uscc.normalise(c.text("uscc", "统一社会信用代码")),
                toLong(c, c.text("supersedesId", "更正事件编号")), c.text("supersedesSourceId", "更正来源编号"),
                c.text("caseNo", "案件编号"), c.label(ViolationType.class, "violationType", "违法类型"),
                c.label(Severity.class, "severity", "严重程度"), c.decimal("fineYuan", "罚款金额"), c.bool("fromComplaint", "诉转案"),
                c.date("closedOn", "结案日期"), c.label(ComplaintChannel.class, "channel", "投诉渠道"),
                c.text("complaintCategory", "投诉类别"), c.bool("verified", "是否属实"), c.text("linkedCaseNo", "关联案件编号"),
                c.text("itemCode", "检查事项"), c.label(InspectionOutcome.class, "outcome", "检查结果"), c.decimal("score", "检查得分"),
                deductions(c), list(c.text("inspectors", "检查人员")), c.label(CreditAction.class, "creditAction", "信用记录"),
                c.label(DetectionSource.class, "detectionSource", "发现来源"), c.text("detectionType", "发现类型"),
                c.text("evidenceRef", "证据编号"), c.text("note", "备注"));
    }

    private static Long toLong(Cells c, String text) {
        if (text == null) return null;
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            c.error("merchantId", text, "“" + text + "”不是有效的编号");
            return null;
        }
    }

    /** "GS-01:5;GS-03:12" */
    private static List<EventInput.DeductionInput> deductions(Cells c) {
        String text = c.text("deductions", "扣分项");
        if (text == null) return null;
        List<EventInput.DeductionInput> out = new ArrayList<>();
        for (String part : text.split("[;；]")) {
            String[] kv = part.strip().split("[:：]");
            try {
                out.add(new EventInput.DeductionInput(kv[0].strip(), new BigDecimal(kv[1].strip())));
            } catch (RuntimeException e) {
                c.error("deductions", text, "扣分项格式应为 代码:分值;代码:分值（如 GS-01:5;GS-03:12）");
                return null;
            }
        }
        return out;
    }

    private static List<String> list(String text) {
        return text == null ? null : Arrays.stream(text.split("[;；,，]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
