package cn.urbanmgmt.risk.events;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Cells;
import cn.urbanmgmt.risk.common.ImportMode;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.Uscc;
import cn.urbanmgmt.risk.common.tabular.ImportRun;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
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

    /**
     * Counts, rejected lines, and the merchants whose grade must be recomputed. {@code errors} are the first
     * {@link cn.urbanmgmt.risk.common.Problem#MAX_ERRORS}; {@code errorCount} counts all of them and
     * {@code errorReport} names the downloadable full report (null when there were no errors).
     */
    /** {@code pending}: rows held for a second officer (four eyes), stored only once approved. */
    public record Result(String format, int totalRows, int stored, int duplicates, int rejected, List<FieldError> errors,
                         long errorCount, String errorReport, Set<Long> merchantIds, int pending) {
    }

    /** A valid line and the id of its merchant. */
    private record Line(int line, EventInput input, long merchantId) {
    }

    /** The columns an event file must have (zh-CN header or field name), and the other known ones. */
    private static final List<TabularFile.Column> REQUIRED = List.of(TabularFile.Column.of("事件类型", "type"),
            TabularFile.Column.of("来源系统", "source"), TabularFile.Column.of("来源编号", "sourceId"), TabularFile.Column.of("发生时间", "occurredAt"));
    private static final List<TabularFile.Column> KNOWN = java.util.stream.Stream.concat(REQUIRED.stream(),
            java.util.stream.Stream.of(TabularFile.Column.of("商户编号", "merchantId"), TabularFile.Column.of("统一社会信用代码", "uscc"))).toList();

    /**
     * Reads the file line by line (a CSV/XLSX header is checked before the rows) and checks each
     * line as it comes; memory does not grow with the bad lines: the answer lists the first errors,
     * the full list is a downloadable report ({@link ImportRun}). Valid lines are stored at the end.
     */
    @Transactional
    @io.quarkus.narayana.jta.runtime.TransactionConfiguration(timeout = 900) // a large file takes minutes, not the default 60 s
    public Result importFile(byte[] bytes, String contentType, String encoding, ImportMode mode, Actor actor) {
        try (ImportRun<Line> run = new ImportRun<>(mode, EventFields.LABELS)) {
            Map<String, Integer> seen = new HashMap<>();
            String format;
            int total;
            if (isNdjson(bytes, contentType)) {
                format = "NDJSON";
                total = readNdjson(bytes, (line, input, rowErrors) -> run.accept(check(line, input, rowErrors, seen, actor), rowErrors));
            } else {
                TabularFile.Info info = run.read(bytes, encoding, maxRows, REQUIRED, KNOWN,
                        (row, rowErrors) -> check(row.line(), parse(new Cells(row, rowErrors)), rowErrors, seen, actor));
                format = info.format();
                total = info.rows();
            }
            run.refuseOnErrors(errorReports, "events", actor, "事件");
            int stored = 0;
            int duplicates = 0;
            int pending = 0;
            Set<Long> merchants = new LinkedHashSet<>();
            // By merchant (a stable sort: a merchant's lines keep the file's order, so corrections follow what they
            // correct): two imports that touch the same merchants lock their marks in the same order.
            List<Line> good = new ArrayList<>(run.valid());
            good.sort(Comparator.comparingLong(Line::merchantId));
            for (Line l : good) {
                try {
                    EventService.Recorded r = events.store(l.input(), l.merchantId(), actor.username());
                    if (r.isPending()) {
                        if (!r.duplicate()) pending++; // four eyes: held for a second officer
                    } else if (r.duplicate()) duplicates++;
                    else {
                        stored++;
                        merchants.add(l.merchantId());
                    }
                } catch (ProblemException p) {
                    // A conflict with an event stored earlier (same source id, other content) or a bad correction.
                    if (mode == ImportMode.ALL_OR_NOTHING) {
                        throw ProblemException.validation("第 " + l.line() + " 行：" + p.getMessage() + "（未导入任何事件）",
                                List.of(new FieldError(l.line(), "sourceId", l.input().sourceId(), p.getMessage())));
                    }
                    run.errors().add(new FieldError(l.line(), "sourceId", l.input().sourceId(), p.getMessage()));
                }
            }
            String report = run.storeReport(errorReports, "events", actor); // with the conflicts found while storing
            return new Result(format, total, stored, duplicates, run.errors().rejectedLines(), run.errors().first(),
                    run.errors().count(), report, merchants, pending);
        }
    }

    /**
     * Checks one parsed line: the shared event checks (a cell that did not parse is not reported
     * again as missing), then for a line without faults its merchant and a repeated source id.
     * Returns the line to store, or null when it has errors.
     */
    private Line check(int line, EventInput input, List<FieldError> rowErrors, Map<String, Integer> seen, Actor actor) {
        if (input == null) return null;
        Set<String> unparsed = new java.util.HashSet<>();
        rowErrors.forEach(e -> unparsed.add(e.field()));
        for (FieldError e : events.check(input, line)) {
            if (!unparsed.contains(e.field())) rowErrors.add(e);
        }
        if (!rowErrors.isEmpty()) return null;
        Long merchantId = null;
        try {
            merchantId = events.merchantOf(input, actor).id;
        } catch (ProblemException e) {
            rowErrors.add(new FieldError(line, input.merchantId() != null ? "merchantId" : "uscc",
                    input.merchantId() != null ? String.valueOf(input.merchantId()) : input.uscc(), e.getMessage()));
        }
        Integer first = seen.putIfAbsent(input.source().strip() + "\u0000" + input.sourceId().strip(), line);
        if (first != null) {
            rowErrors.add(new FieldError(line, "sourceId", input.sourceId(), "与第 " + first + " 行的来源编号重复"));
        }
        return rowErrors.isEmpty() ? new Line(line, input, merchantId) : null;
    }

    private static boolean isNdjson(byte[] bytes, String contentType) {
        if (contentType != null && (contentType.contains("ndjson") || contentType.contains("jsonl"))) return true;
        for (byte b : bytes) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
            return b == '{';
        }
        return false;
    }

    /** One line of an NDJSON file, parsed (null when it is not a valid event) with its faults so far. */
    @FunctionalInterface
    private interface NdjsonLine {
        void accept(int line, EventInput input, List<FieldError> errors);
    }

    /** Reads an NDJSON file one line at a time; returns how many lines held an event. */
    private int readNdjson(byte[] bytes, NdjsonLine onLine) {
        int count = 0;
        int nonEmpty = 0;
        try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            int i = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                i++;
                String row = text.strip();
                if (row.isEmpty()) continue;
                if (++nonEmpty > maxRows) throw ProblemException.badRequest("文件超过 " + maxRows + " 行的上限，请拆分后分批导入");
                List<FieldError> errors = new ArrayList<>();
                EventInput input = null;
                try {
                    input = json.readValue(row, EventInput.class);
                    count++;
                } catch (JsonMappingException e) {
                    String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                            .collect(Collectors.joining("."));
                    errors.add(new FieldError(i, field.isEmpty() ? "json" : field, null, "第 " + i + " 行 JSON 字段类型或取值有误：" + e.getOriginalMessage()));
                } catch (Exception e) {
                    errors.add(new FieldError(i, "json", null, "第 " + i + " 行不是有效的 JSON"));
                }
                onLine.accept(i, input, errors);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return count;
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
