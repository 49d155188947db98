package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.tabular.TabularFile;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.registry.MerchantsChanged;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Imports a historical inspection file (CSV/XLSX) as INSPECTION events of merchants already in the
 * registry, so that a bureau can backtest on its own past (docs/outcomes.md, "Bring your own
 * history"). Each row is stored as <em>recorded when it happened</em> (recorded_at = the inspection
 * date, 10:00 Shanghai time): these records existed then, and a backtest as of a later date sees
 * them. All rows or none; the same file imported twice adds nothing (source "history-import",
 * source id = the record number or establishment, date and item).
 */
@ApplicationScoped
public class HistoryImportService {

    public static final String SOURCE = "history-import";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy[-][/]M[-][/]d");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    jakarta.enterprise.event.Event<MerchantsChanged> changed;

    @ConfigProperty(name = "app.import.max-rows")
    int maxRows;

    public record Report(String format, int rows, int imported, int alreadyPresent, int merchants, LocalDate firstDate, LocalDate lastDate) {
    }

    private record Planned(int line, long merchantId, String sourceId, LocalDate date, String itemCode, InspectionOutcome outcome,
                           BigDecimal score, BigDecimal deduction, String inspectors, String note) {
    }

    public Report importFile(byte[] bytes, String encoding, boolean dryRun, String user) {
        TabularFile.Content content = TabularFile.read(bytes, encoding, maxRows);
        List<String> missing = new ArrayList<>();
        if (!has(content.headers(), "统一社会信用代码", "establishmentId", "uscc")) missing.add("统一社会信用代码（establishmentId）");
        if (!has(content.headers(), "检查日期", "date")) missing.add("检查日期（date）");
        if (!has(content.headers(), "检查结果", "outcome")) missing.add("检查结果（outcome）");
        if (!missing.isEmpty()) throw ProblemException.badRequest("文件缺少必需的列：" + String.join("、", missing) + "（表头在第 1 行）");
        try (Connection c = dataSource.getConnection()) {
            Set<String> usccs = new LinkedHashSet<>();
            for (TabularFile.Row r : content.rows()) {
                String u = r.get("统一社会信用代码", "establishmentId", "uscc");
                if (u != null) usccs.add(u.toUpperCase());
            }
            Map<String, Long> merchants = merchantIds(c, usccs);
            List<FieldError> errors = new ArrayList<>();
            List<Planned> planned = new ArrayList<>();
            LocalDate today = LocalDate.now(EventService.ZONE);
            for (TabularFile.Row r : content.rows()) {
                int line = r.line();
                String uscc = r.get("统一社会信用代码", "establishmentId", "uscc");
                Long merchant = null;
                if (uscc == null) errors.add(new FieldError(line, "establishmentId", null, "统一社会信用代码不能为空"));
                else if ((merchant = merchants.get(uscc.toUpperCase())) == null) {
                    errors.add(new FieldError(line, "establishmentId", uscc, "统一社会信用代码“" + uscc + "”不在名录库中：请先用商户导入（POST /api/v1/merchants/import）登记该商户"));
                }
                String dateText = r.get("检查日期", "date");
                LocalDate date = null;
                if (dateText == null) errors.add(new FieldError(line, "date", null, "检查日期不能为空"));
                else {
                    try {
                        date = LocalDate.parse(dateText.length() > 10 ? dateText.substring(0, 10) : dateText, DATE);
                        if (date.isAfter(today)) errors.add(new FieldError(line, "date", dateText, "检查日期不能晚于今天"));
                    } catch (DateTimeParseException e) {
                        errors.add(new FieldError(line, "date", dateText, "检查日期格式应为 yyyy-MM-dd 或 yyyy/M/d"));
                    }
                }
                String outcomeText = r.get("检查结果", "outcome");
                InspectionOutcome outcome = outcomeText == null ? null : Labelled.parse(InspectionOutcome.class, outcomeText);
                if (outcomeText == null) errors.add(new FieldError(line, "outcome", null, "检查结果不能为空"));
                else if (outcome == null) {
                    errors.add(new FieldError(line, "outcome", outcomeText, "检查结果“" + outcomeText + "”不存在，可选：" + Labelled.allowed(InspectionOutcome.class)));
                }
                BigDecimal score = number(r.get("得分", "score"), "score", "得分", line, 100, errors);
                BigDecimal deduction = number(r.get("扣分", "deduction"), "deduction", "扣分", line, 100, errors);
                BigDecimal violations = number(r.get("违规项数", "violations"), "violations", "违规项数", line, 1000, errors);
                String item = r.get("检查事项", "itemCode");
                if (item != null && item.length() > 32) errors.add(new FieldError(line, "itemCode", item, "检查事项代码最多 32 个字符"));
                String type = r.get("检查类型", "inspectionType");
                String name = r.get("名称", "name");
                String recordId = r.get("记录编号", "recordId");
                String inspectors = r.get("检查人员", "inspectors");
                if (merchant == null || date == null || outcome == null) continue;
                String itemCode = item == null ? "HISTORY" : item;
                String sourceId = recordId != null ? recordId : uscc.toUpperCase() + "-" + date + "-" + itemCode;
                if (sourceId.length() > 64) {
                    errors.add(new FieldError(line, "recordId", sourceId, "记录编号最多 64 个字符"));
                    continue;
                }
                StringBuilder note = new StringBuilder("历史检查记录导入");
                if (type != null) note.append("；检查类型：").append(type);
                if (violations != null) note.append("；违规项数：").append(violations.stripTrailingZeros().toPlainString());
                if (name != null) note.append("；名称：").append(name);
                planned.add(new Planned(line, merchant, sourceId, date, itemCode, outcome, score, deduction, inspectors, cut(note.toString(), 1000)));
            }
            Map<String, Integer> firstLine = new HashMap<>();
            for (Planned p : planned) {
                Integer first = firstLine.putIfAbsent(p.sourceId(), p.line());
                if (first != null) {
                    errors.add(new FieldError(p.line(), "recordId", p.sourceId(), "与第 " + first + " 行是同一条记录（同一商户、同一天、同一检查事项，或同一记录编号）"));
                }
            }
            if (!errors.isEmpty()) {
                errors.sort(java.util.Comparator.comparing(FieldError::line).thenComparing(FieldError::field));
                int lines = (int) errors.stream().map(FieldError::line).distinct().count();
                throw ProblemException.validation("文件中有 " + lines + " 行数据有误，未导入任何数据；请更正后重新上传", errors);
            }
            int imported = 0;
            if (!dryRun) {
                imported = write(c, planned, user);
                List<Long> ids = planned.stream().map(Planned::merchantId).distinct().toList();
                if (imported > 0) changed.fire(new MerchantsChanged(ids, "导入历史检查记录（" + user + "）"));
            }
            LocalDate first = planned.stream().map(Planned::date).min(LocalDate::compareTo).orElse(null);
            LocalDate last = planned.stream().map(Planned::date).max(LocalDate::compareTo).orElse(null);
            return new Report(content.format(), content.rows().size(), imported, dryRun ? 0 : planned.size() - imported,
                    (int) planned.stream().map(Planned::merchantId).distinct().count(), first, last);
        } catch (SQLException e) {
            throw new IllegalStateException("history import failed: " + e.getMessage(), e);
        }
    }

    private static boolean has(List<String> headers, String... names) {
        for (String n : names) if (headers.contains(n)) return true;
        return false;
    }

    private static BigDecimal number(String text, String field, String label, int line, int max, List<FieldError> errors) {
        if (text == null) return null;
        try {
            BigDecimal v = new BigDecimal(text);
            if (v.signum() < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
                errors.add(new FieldError(line, field, text, label + "应在 0 到 " + max + " 之间"));
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(line, field, text, label + "“" + text + "”不是数字"));
            return null;
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Map<String, Long> merchantIds(Connection c, Set<String> usccs) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select uscc, id from merchant where uscc = any(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", usccs.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Writes the events in one transaction; rows already imported (same source id) are skipped. Returns the number written. */
    private static int write(Connection c, List<Planned> planned, String user) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into merchant_event (id, merchant_id, type, source, source_id, occurred_at, recorded_at, recorded_by,
                                            item_code, outcome, score, deductions, inspectors, note)
                values (nextval('merchant_event_seq'), ?, 'INSPECTION', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                on conflict (source, source_id) do nothing""")) {
            for (Planned p : planned) {
                OffsetDateTime at = p.date().atTime(10, 0).atZone(EventService.ZONE).toOffsetDateTime();
                ps.setLong(1, p.merchantId());
                ps.setString(2, SOURCE);
                ps.setString(3, p.sourceId());
                ps.setObject(4, at);
                ps.setObject(5, at);
                ps.setString(6, user);
                ps.setString(7, p.itemCode());
                ps.setString(8, p.outcome().name());
                ps.setBigDecimal(9, p.score());
                ps.setString(10, p.deduction() == null || p.deduction().signum() == 0 ? null
                        : "[{\"code\":\"" + p.itemCode().replace("\"", "") + "\",\"points\":" + p.deduction().toPlainString() + "}]");
                ps.setString(11, p.inspectors());
                ps.setString(12, p.note());
                ps.addBatch();
            }
            int written = 0;
            for (int n : ps.executeBatch()) written += Math.max(n, 0);
            c.commit();
            return written;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
