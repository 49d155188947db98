package cn.urbanmgmt.risk.inspection.capacity;

import cn.urbanmgmt.risk.common.Actor;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.plans.VisitBuilder;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Inspector capacity per squad and week of a plan's period, against the visits the plan needs.
 *
 * <p>Capacity of a squad in a week = floor(inspector-days × visits per inspector per day), where
 * inspector-days counts, for every active inspector of the squad, the days of the week that are working
 * days of the squad (its weekdays, minus app.publication.holidays) and not on the inspector's leave.
 * Needed = inspectors per visit × visits; a visit whose window spans several weeks (a once-per-period
 * item) counts in each week in proportion to the days of its window in that week. With a cross-squad
 * pool the pool is one unit with the capacity of all its squads.
 */
@ApplicationScoped
public class CapacityService {

    public static final String POOL = "POOL";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReferenceData refs;

    @ConfigProperty(name = "app.capacity.visits-per-inspector-per-day", defaultValue = "4")
    BigDecimal defaultPerDay;

    @ConfigProperty(name = "app.capacity.working-days", defaultValue = "1,2,3,4,5")
    String defaultWorkingDays;

    @ConfigProperty(name = "app.publication.holidays")
    Optional<List<LocalDate>> holidays;

    /** One visit to staff: its unit (squad code, or POOL) and its window. */
    public record Load(String unit, LocalDate from, LocalDate to) {
    }

    /** One squad (or the pool) in one week of the period. */
    public record Cell(String unit, String unitName, int week, LocalDate from, LocalDate to, int inspectors, int inspectorDays,
                       BigDecimal visitsPerInspectorPerDay, int capacity, BigDecimal needed, int percent, boolean over) {
    }

    public record Report(int inspectorsPerVisit, List<Cell> cells, boolean overCapacity, List<String> over) {
    }

    /** A squad's settings as used: its own, or the configured defaults. */
    public record Settings(String squad, String squadName, BigDecimal visitsPerInspectorPerDay, List<Integer> workingDays, boolean own) {
    }

    public Report report(List<Load> visits, LocalDate start, LocalDate end, int perVisit, List<String> crossPool) {
        int weeks = VisitBuilder.weeks(start, end);
        Map<String, double[]> needed = new TreeMap<>();
        for (Load v : visits) {
            double[] w = needed.computeIfAbsent(v.unit(), k -> new double[weeks]);
            long len = v.to().toEpochDay() - v.from().toEpochDay() + 1;
            for (int k = 0; k < weeks; k++) {
                LocalDate ws = start.plusDays(7L * k);
                LocalDate we = min(ws.plusDays(6), end);
                long overlap = Math.min(we.toEpochDay(), v.to().toEpochDay()) - Math.max(ws.toEpochDay(), v.from().toEpochDay()) + 1;
                if (overlap > 0) w[k] += perVisit * (double) overlap / len;
            }
        }
        Map<String, Settings> settings = settings();
        Set<LocalDate> off = new HashSet<>(holidays.orElse(List.of()));
        List<Cell> cells = new ArrayList<>();
        List<String> over = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, double[]> e : needed.entrySet()) {
                List<String> squads = e.getKey().equals(POOL) ? crossPool : List.of(e.getKey());
                String name = e.getKey().equals(POOL) ? "跨中队人员池（" + squads.stream().map(this::squadName).collect(Collectors.joining("、")) + "）"
                        : squadName(e.getKey());
                Map<Long, String> inspectors = activeInspectors(c, squads);
                Map<Long, List<LocalDate[]>> leave = leave(c, inspectors.keySet(), start, end);
                for (int k = 0; k < weeks; k++) {
                    LocalDate ws = start.plusDays(7L * k);
                    LocalDate we = min(ws.plusDays(6), end);
                    int days = 0;
                    double cap = 0;
                    BigDecimal perDay = null;
                    for (Map.Entry<Long, String> i : inspectors.entrySet()) {
                        Settings s = settings.get(i.getValue());
                        perDay = perDay == null ? s.visitsPerInspectorPerDay() : perDay;
                        int own = 0;
                        for (LocalDate d = ws; !d.isAfter(we); d = d.plusDays(1)) {
                            if (!s.workingDays().contains(d.getDayOfWeek().getValue()) || off.contains(d) || onLeave(leave.get(i.getKey()), d)) continue;
                            own++;
                        }
                        days += own;
                        cap += own * s.visitsPerInspectorPerDay().doubleValue();
                    }
                    int capacity = (int) Math.floor(cap + 1e-9);
                    BigDecimal need = BigDecimal.valueOf(e.getValue()[k]).setScale(1, java.math.RoundingMode.HALF_UP);
                    boolean isOver = need.signum() > 0 && need.doubleValue() > capacity;
                    int percent = capacity == 0 ? (need.signum() > 0 ? 9999 : 0) : (int) Math.round(need.doubleValue() * 100 / capacity);
                    Cell cell = new Cell(e.getKey(), name, k + 1, ws, we, inspectors.size(), days,
                            perDay == null ? settingsOf(settings, squads.get(0)).visitsPerInspectorPerDay() : perDay, capacity, need, percent, isOver);
                    cells.add(cell);
                    if (isOver) over.add(describe(cell));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading inspector capacity failed: " + e.getMessage(), e);
        }
        return new Report(perVisit, cells, !over.isEmpty(), over);
    }

    public static String describe(Cell c) {
        return c.unitName() + " 第 " + c.week() + " 周（" + c.from() + " 至 " + c.to() + "）需要 " + c.needed().stripTrailingZeros().toPlainString()
                + " 人次，能力 " + c.capacity() + " 人次（" + c.inspectors() + " 人、" + c.inspectorDays() + " 个工作人日 × 每人每天 "
                + c.visitsPerInspectorPerDay().stripTrailingZeros().toPlainString() + " 户），达到 " + c.percent() + " %";
    }

    /**
     * The lines a planner reads when comparing two reports of the same period ("{label}：{squad} 第 2 周
     * 80 % → 160 %（超出）"): every squad-week over capacity in either report. What-if and the sampling-rule
     * simulation both use it.
     */
    public static List<String> compare(String label, Report base, Report report) {
        List<String> out = new ArrayList<>();
        for (Row r : sideBySide(base, report)) {
            if (r.afterOver() || r.beforeOver()) {
                out.add(label + "：" + r.unitName() + " 第 " + r.week() + " 周 " + (r.before() == null ? "—" : r.before().percent() + " %") + " → "
                        + (r.after() == null ? "—" : r.after().percent() + " %") + (r.afterOver() ? "（超出）" : ""));
            }
        }
        return out;
    }

    /** One squad (or the pool) in one week, in two reports of the same period; a side is null when it needs nobody there. */
    public record Row(String unit, String unitName, int week, LocalDate from, LocalDate to, int capacity, Cell before, Cell after) {
        public boolean beforeOver() {
            return before != null && before.over();
        }

        public boolean afterOver() {
            return after != null && after.over();
        }
    }

    /** Two reports of the same period side by side, by unit and week (units in order of the first report that has them). */
    public static List<Row> sideBySide(Report before, Report after) {
        Map<String, Cell[]> rows = new java.util.LinkedHashMap<>();
        if (before != null) for (Cell c : before.cells()) rows.computeIfAbsent(c.unit() + "|" + c.week(), k -> new Cell[2])[0] = c;
        if (after != null) for (Cell c : after.cells()) rows.computeIfAbsent(c.unit() + "|" + c.week(), k -> new Cell[2])[1] = c;
        List<Row> out = new ArrayList<>();
        for (Cell[] pair : rows.values()) {
            Cell any = pair[1] != null ? pair[1] : pair[0];
            out.add(new Row(any.unit(), any.unitName(), any.week(), any.from(), any.to(), any.capacity(), pair[0], pair[1]));
        }
        out.sort(java.util.Comparator.comparing(Row::unit).thenComparingInt(Row::week));
        return out;
    }

    private static Settings settingsOf(Map<String, Settings> all, String squad) {
        return all.get(squad);
    }

    private static boolean onLeave(List<LocalDate[]> leave, LocalDate d) {
        if (leave == null) return false;
        for (LocalDate[] l : leave) if (!d.isBefore(l[0]) && !d.isAfter(l[1])) return true;
        return false;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private String squadName(String code) {
        Squad s = refs.squad(code);
        return s == null ? code : s.name;
    }

    private static Map<Long, String> activeInspectors(Connection c, List<String> squads) throws SQLException {
        Map<Long, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, squad_code from inspector where active and squad_code = any(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", squads.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    private static Map<Long, List<LocalDate[]>> leave(Connection c, Set<Long> ids, LocalDate start, LocalDate end) throws SQLException {
        Map<Long, List<LocalDate[]>> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        try (PreparedStatement ps = c.prepareStatement("select inspector_id, from_date, to_date from inspector_leave where inspector_id = any(?) "
                + "and from_date <= ? and to_date >= ?")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setObject(2, end);
            ps.setObject(3, start);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new LocalDate[]{rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class)});
                }
            }
        }
        return out;
    }

    // ---- settings and leave ------------------------------------------------------------------------------

    public Map<String, Settings> settings() {
        Map<String, Settings> out = new TreeMap<>();
        List<Integer> defaultDays = days(defaultWorkingDays);
        for (Squad s : refs.squads()) out.put(s.code, new Settings(s.code, s.name, defaultPerDay, defaultDays, false));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select squad_code, visits_per_inspector_per_day, working_days from squad_capacity"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new Settings(rs.getString(1), squadName(rs.getString(1)), plain(rs.getBigDecimal(2)),
                        days(rs.getString(3)), true));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading squad capacity failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** 10.0 as 10, 2.5 as 2.5, never 1E+1. */
    static BigDecimal plain(BigDecimal v) {
        return new BigDecimal(v.stripTrailingZeros().toPlainString());
    }

    private static List<Integer> days(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).sorted().distinct().toList();
    }

    public record SettingsInput(BigDecimal visitsPerInspectorPerDay, List<Integer> workingDays) {
    }

    public Settings update(String squadCode, SettingsInput in, Actor actor) {
        Squad squad = refs.squad(squadCode);
        if (squad == null) throw ProblemException.notFound("中队“" + squadCode + "”不存在");
        List<FieldError> errors = new ArrayList<>();
        if (in == null || in.visitsPerInspectorPerDay() == null) {
            errors.add(FieldError.of("visitsPerInspectorPerDay", "请填写每人每天检查户数（0.5 到 20）"));
        } else if (in.visitsPerInspectorPerDay().compareTo(new BigDecimal("0.5")) < 0 || in.visitsPerInspectorPerDay().compareTo(BigDecimal.valueOf(20)) > 0
                || in.visitsPerInspectorPerDay().stripTrailingZeros().scale() > 1) {
            errors.add(new FieldError(null, "visitsPerInspectorPerDay", in.visitsPerInspectorPerDay().toPlainString(),
                    "每人每天检查户数应在 0.5 到 20 之间，最多一位小数"));
        }
        List<Integer> days = in == null || in.workingDays() == null ? List.of() : in.workingDays();
        if (days.isEmpty()) errors.add(FieldError.of("workingDays", "请至少选择一个工作日（1 = 周一 … 7 = 周日）"));
        for (int i = 0; i < days.size(); i++) {
            if (days.get(i) == null || days.get(i) < 1 || days.get(i) > 7) {
                errors.add(new FieldError(null, "workingDays[" + i + "]", String.valueOf(days.get(i)), "工作日应为 1（周一）到 7（周日）"));
            }
        }
        if (!errors.isEmpty()) throw ProblemException.validation("检查力量设置有误：" + errors.get(0).message(), errors);
        String text = new TreeSet<>(days).stream().map(String::valueOf).collect(Collectors.joining(","));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into squad_capacity (squad_code, "
                + "visits_per_inspector_per_day, working_days, updated_by, updated_at) values (?, ?, ?, ?, now()) on conflict (squad_code) do update "
                + "set visits_per_inspector_per_day = excluded.visits_per_inspector_per_day, working_days = excluded.working_days, "
                + "updated_by = excluded.updated_by, updated_at = now()")) {
            ps.setString(1, squad.code);
            ps.setBigDecimal(2, in.visitsPerInspectorPerDay());
            ps.setString(3, text);
            ps.setString(4, actor.username());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing squad capacity failed: " + e.getMessage(), e);
        }
        return settings().get(squad.code);
    }

    public record LeaveInput(String badgeNo, LocalDate from, LocalDate to, String reason) {
    }

    public record Leave(long id, String badgeNo, String name, String squad, LocalDate from, LocalDate to, String reason, String createdBy) {
    }

    public Leave addLeave(LeaveInput in, Actor actor) {
        List<FieldError> errors = new ArrayList<>();
        if (in == null) throw ProblemException.badRequest("请求体不能为空：请提交执法证号（badgeNo）、开始（from）和结束日期（to）");
        if (in.badgeNo() == null || in.badgeNo().isBlank()) errors.add(FieldError.of("badgeNo", "请填写执法证号"));
        if (in.from() == null) errors.add(FieldError.of("from", "请填写请假开始日期（yyyy-MM-dd）"));
        if (in.to() == null) errors.add(FieldError.of("to", "请填写请假结束日期（yyyy-MM-dd）"));
        if (in.from() != null && in.to() != null && in.to().isBefore(in.from())) {
            errors.add(new FieldError(null, "to", in.to().toString(), "结束日期不能早于开始日期"));
        }
        if (in.from() != null && in.to() != null && in.to().toEpochDay() - in.from().toEpochDay() > 366) {
            errors.add(new FieldError(null, "to", in.to().toString(), "一次请假最长 366 天"));
        }
        if (in.reason() != null && in.reason().length() > 200) errors.add(FieldError.of("reason", "事由不能超过 200 个字符"));
        if (!errors.isEmpty()) throw ProblemException.validation("请假记录有误：" + errors.get(0).message(), errors);
        try (Connection c = dataSource.getConnection()) {
            long inspector;
            String name;
            String squad;
            try (PreparedStatement ps = c.prepareStatement("select id, name, squad_code from inspector where badge_no = ?")) {
                ps.setString(1, in.badgeNo().strip());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw ProblemException.invalidField("badgeNo", "执法证号“" + in.badgeNo() + "”不在检查人员名录中");
                    inspector = rs.getLong(1);
                    name = rs.getString(2);
                    squad = rs.getString(3);
                }
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("insert into inspector_leave (id, inspector_id, from_date, to_date, reason, created_by) "
                    + "values (nextval('inspector_leave_seq'), ?, ?, ?, ?, ?) returning id")) {
                ps.setLong(1, inspector);
                ps.setObject(2, in.from());
                ps.setObject(3, in.to());
                ps.setString(4, in.reason() == null || in.reason().isBlank() ? null : in.reason().strip());
                ps.setString(5, actor.username());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            return new Leave(id, in.badgeNo().strip(), name, squad, in.from(), in.to(), in.reason(), actor.username());
        } catch (SQLException e) {
            throw new IllegalStateException("storing leave failed: " + e.getMessage(), e);
        }
    }

    public List<Leave> leave(String squad) {
        List<Leave> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select l.id, i.badge_no, i.name, i.squad_code, "
                + "l.from_date, l.to_date, l.reason, l.created_by from inspector_leave l join inspector i on i.id = l.inspector_id "
                + "where (?::varchar is null or i.squad_code = ?) order by l.from_date desc, l.id desc limit 500")) {
            ps.setString(1, squad);
            ps.setString(2, squad);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Leave(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getObject(5, LocalDate.class),
                            rs.getObject(6, LocalDate.class), rs.getString(7), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading leave failed: " + e.getMessage(), e);
        }
        return out;
    }
}
