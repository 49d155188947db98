package cn.urbanmgmt.risk.outcomes;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.EventService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.registry.ReferenceData;
import cn.urbanmgmt.risk.registry.Squad;
import cn.urbanmgmt.risk.registry.Street;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bureau's outcome measures for a period and scope (docs/outcomes.md, "Outcome measures"),
 * aggregated in SQL: inspections and their findings per grade, per sampling stratum, per squad and
 * per inspector (with the problems expected from the grades they inspected), complaints (unfounded,
 * repeated, 诉转案), cases and fines by street and month, plan completion by squad, and grade shares
 * against the target distribution.
 */
@ApplicationScoped
public class OutcomeService {

    /** The bureau's reported distribution (share in %), e.g. GREEN:98.9,YELLOW:1.0,RED:0.1. */
    @ConfigProperty(name = "app.outcomes.target-shares", defaultValue = "GREEN:98.9,YELLOW:1.0,RED:0.1")
    String defaultTargets;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReferenceData refs;

    public enum GradeBasis { AT_VISIT, CURRENT }

    public record Query(LocalDate from, LocalDate to, String street, String category, GradeBasis basis, Map<Grade, Double> targets) {
    }

    /** The scope condition on merchant {@code m}; bind with {@link #bindScope}. */
    static final String SCOPE = "(?::varchar is null or m.street_code = ?) and (?::varchar is null or m.category = ?)";

    private static String scoped(String sql) {
        return sql.replace("$SCOPE", SCOPE);
    }

    /** Binds {@link #SCOPE}'s four parameters from {@code index} on; returns the next free index. */
    static int bindScope(PreparedStatement ps, int index, Query q) throws SQLException {
        ps.setString(index, q.street());
        ps.setString(index + 1, q.street());
        ps.setString(index + 2, q.category());
        ps.setString(index + 3, q.category());
        return index + 4;
    }

    /** Inspections (visits) of a group: counts by the visit's most serious outcome, hit rate, lift over the scope's average. */
    public record Findings(String key, String name, long visits, long problemVisits, long rectifiedOnSpot, long orderedToRectify,
                           long caseOpened, Double hitRate, Double lift) {
    }

    /** A squad's or inspector's visits next to the problems their merchants' grades lead one to expect. */
    public record PeopleFindings(String key, String name, String squad, String squadName, long visits, long problemVisits, Double hitRate,
                                 double expectedProblemVisits, Double observedToExpected) {
    }

    public record Complaints(long complaints, long checked, long unfounded, Double unfoundedShare, long repeated, Double repeatedShare,
                             long cases, long casesFromComplaints, Double complaintToCaseRate, double fineYuan) {
    }

    public record CasesByStreetMonth(String street, String streetName, String month, long cases, double fineYuan) {
    }

    public record PlanCompletion(String squad, String squadName, long visits, long done, long overdue, Double completionRate, Double overdueRate) {
    }

    public record GradeShare(Grade grade, String gradeName, long merchants, double sharePercent, Double targetPercent, Double gapPercent) {
    }

    public record SharePoint(LocalDate day, double green, double yellow, double red) {
    }

    public record Report(LocalDate from, LocalDate to, String street, String streetName, String category, String categoryName,
                         GradeBasis gradeBasis, long visits, long problemVisits,
                         Double hitRate, List<Findings> byGrade, List<Findings> byStratum, List<PeopleFindings> bySquad,
                         List<PeopleFindings> byInspector, Complaints complaints, List<CasesByStreetMonth> casesByStreetMonth,
                         List<PlanCompletion> planCompletion, List<GradeShare> gradeShares, List<SharePoint> gradeShareTrend) {
    }

    static final String PROBLEM = "('RECTIFIED_ON_SPOT', 'ORDERED_TO_RECTIFY', 'CASE_OPENED')";

    /** Parses and checks the request parameters (400 naming the parameter). */
    public Query query(String from, String to, String street, String category, String gradeBasis, String target) {
        LocalDate today = LocalDate.now(EventService.ZONE);
        LocalDate t = date(to, "to", today);
        LocalDate f = date(from, "from", t.minusYears(1).plusDays(1));
        if (f.isAfter(t)) throw ProblemException.invalidField("from", "开始日期 " + f + " 晚于结束日期 " + t);
        if (f.isBefore(t.minusYears(5))) throw ProblemException.invalidField("from", "统计期最长 5 年");
        String s = null;
        if (street != null && !street.isBlank()) {
            Street st = refs.resolveStreet(street);
            if (st == null) throw ProblemException.invalidField("street", "街镇“" + street + "”不存在，可选：" + refs.allowedStreets());
            s = st.code;
        }
        String cat = null;
        if (category != null && !category.isBlank()) {
            MerchantCategory mc = Labelled.parse(MerchantCategory.class, category.trim());
            if (mc == null) {
                throw ProblemException.invalidField("category", "行业类别“" + category + "”不存在，可选：" + Labelled.allowed(MerchantCategory.class));
            }
            cat = mc.name();
        }
        GradeBasis basis;
        try {
            basis = gradeBasis == null || gradeBasis.isBlank() ? GradeBasis.AT_VISIT : GradeBasis.valueOf(gradeBasis.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("gradeBasis", "等级口径应为 AT_VISIT（检查时的等级）或 CURRENT（当前等级）");
        }
        return new Query(f, t, s, cat, basis, targets(target == null || target.isBlank() ? defaultTargets : target, target == null || target.isBlank()));
    }

    private static LocalDate date(String text, String field, LocalDate dflt) {
        if (text == null || text.isBlank()) return dflt;
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "日期“" + text + "”格式不正确，应为 yyyy-MM-dd");
        }
    }

    /** "GREEN:98.9,YELLOW:1,RED:0.1" (grade names or 绿/黄/红), shares in % adding up to 100. */
    static Map<Grade, Double> targets(String text, boolean configured) {
        String field = configured ? "app.outcomes.target-shares" : "target";
        Map<Grade, Double> out = new EnumMap<>(Grade.class);
        for (String part : text.split(",")) {
            String[] kv = part.split(":");
            if (kv.length != 2) throw ProblemException.invalidField(field, "目标分布“" + part + "”应写作 等级:百分比，如 GREEN:98.9,YELLOW:1,RED:0.1");
            Grade g = grade(kv[0].trim());
            if (g == null) throw ProblemException.invalidField(field, "等级“" + kv[0].trim() + "”不存在，可选：GREEN/绿、YELLOW/黄、RED/红");
            double v;
            try {
                v = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField(field, "“" + kv[1].trim() + "”不是百分比数字");
            }
            if (v < 0 || v > 100) throw ProblemException.invalidField(field, "百分比应在 0 到 100 之间，收到 " + v);
            out.put(g, v);
        }
        double sum = out.values().stream().mapToDouble(Double::doubleValue).sum();
        if (out.size() != 3 || Math.abs(sum - 100) > 0.01) {
            throw ProblemException.invalidField(field, "目标分布须给出绿、黄、红三个等级，合计 100%（现在合计 " + Math.round(sum * 100) / 100.0 + "%）");
        }
        return out;
    }

    static Grade grade(String s) {
        return switch (s.toUpperCase()) {
            case "GREEN", "绿", "绿色" -> Grade.GREEN;
            case "YELLOW", "黄", "黄色" -> Grade.YELLOW;
            case "RED", "红", "红色" -> Grade.RED;
            default -> null;
        };
    }

    // The scope's visits: one per merchant and day (all its inspection results, as corrected; NOT_FOUND left out),
    // with the most serious outcome, the inspectors' badges and the merchant's grade by the chosen basis.
    // ? 1 from, 2 to (exclusive), 3/4 street.
    private static final String VISITS = """
            with v0 as (
              select e.merchant_id, (e.occurred_at at time zone 'Asia/Shanghai')::date as day,
                     bool_or(e.outcome in %s) as problem,
                     case when bool_or(e.outcome = 'CASE_OPENED') then 'CASE_OPENED'
                          when bool_or(e.outcome = 'ORDERED_TO_RECTIFY') then 'ORDERED_TO_RECTIFY'
                          when bool_or(e.outcome = 'RECTIFIED_ON_SPOT') then 'RECTIFIED_ON_SPOT' else 'NO_PROBLEM' end as worst,
                     string_agg(coalesce(e.inspectors, ''), ',') as inspectors
              from merchant_event e join merchant m on m.id = e.merchant_id
              where e.type = 'INSPECTION' and e.superseded_by is null and e.outcome <> 'NOT_FOUND'
                and e.occurred_at >= ? and e.occurred_at < ?
                and $SCOPE
              group by 1, 2),
            v as (
              select v0.*, coalesce(%s, 'UNGRADED') as grade from v0)
            """;

    private static String visits(GradeBasis basis) {
        String grade = basis == GradeBasis.CURRENT
                ? "(select g.grade from merchant_grade g where g.merchant_id = v0.merchant_id)"
                : "(select h.new_grade from grade_history h where h.merchant_id = v0.merchant_id"
                  + " and h.changed_at < (v0.day::timestamp at time zone 'Asia/Shanghai') order by h.changed_at desc limit 1)";
        return VISITS.formatted(PROBLEM, grade);
    }

    public Report report(Query q) {
        try (Connection c = dataSource.getConnection()) {
            String vis = visits(q.basis());
            List<Findings> byGrade = findings(c, q, vis + "select grade, grade, count(*), count(*) filter (where problem), "
                    + worstCounts("worst") + " from v group by grade", true);
            long visits = byGrade.stream().mapToLong(Findings::visits).sum();
            long problems = byGrade.stream().mapToLong(Findings::problemVisits).sum();
            Double overall = visits == 0 ? null : (double) problems / visits;
            byGrade = withLift(byGrade, overall);
            List<Findings> byStratum = withLift(strata(c, q), overall);
            List<PeopleFindings> bySquad = people(c, q, vis, true);
            List<PeopleFindings> byInspector = people(c, q, vis, false);
            Street st = q.street() == null ? null : refs.street(q.street());
            MerchantCategory cat = q.category() == null ? null : MerchantCategory.valueOf(q.category());
            return new Report(q.from(), q.to(), q.street(), st == null ? null : st.name, q.category(), cat == null ? null : cat.label(), q.basis(), visits, problems, overall, byGrade,
                    byStratum, bySquad, byInspector, complaints(c, q), casesByStreetMonth(c, q), planCompletion(c, q), gradeShares(c, q),
                    shareTrend(c, q));
        } catch (SQLException e) {
            throw new IllegalStateException("outcome measures could not be read: " + e.getMessage(), e);
        }
    }

    private static String worstCounts(String col) {
        return "count(*) filter (where " + col + " = 'RECTIFIED_ON_SPOT'), count(*) filter (where " + col + " = 'ORDERED_TO_RECTIFY'), "
                + "count(*) filter (where " + col + " = 'CASE_OPENED')";
    }

    private PreparedStatement prepare(Connection c, String sql, Query q) throws SQLException {
        PreparedStatement ps = c.prepareStatement(scoped(sql));
        ps.setObject(1, AsOfFactReader.startOf(q.from()));
        ps.setObject(2, AsOfFactReader.startOf(q.to().plusDays(1)));
        bindScope(ps, 3, q);
        return ps;
    }

    private List<Findings> findings(Connection c, Query q, String sql, boolean grades) throws SQLException {
        Map<String, Findings> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = prepare(c, sql, q); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1);
                rows.put(key, new Findings(key, grades ? gradeName(key) : rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), null, null));
            }
        }
        if (!grades) return new ArrayList<>(rows.values());
        List<Findings> out = new ArrayList<>();
        for (String k : List.of("RED", "YELLOW", "GREEN", "UNGRADED")) {
            Findings f = rows.get(k);
            if (f != null) out.add(f);
            else if (!k.equals("UNGRADED")) out.add(new Findings(k, gradeName(k), 0, 0, 0, 0, 0, null, null));
        }
        return out;
    }

    static String gradeName(String key) {
        return switch (key) {
            case "RED" -> "红色（高风险）";
            case "YELLOW" -> "黄色（中风险）";
            case "GREEN" -> "绿色（低风险）";
            default -> "检查时未评级";
        };
    }

    private static List<Findings> withLift(List<Findings> rows, Double overall) {
        List<Findings> out = new ArrayList<>();
        for (Findings f : rows) {
            Double hit = f.visits() == 0 ? null : (double) f.problemVisits() / f.visits();
            Double lift = hit == null || overall == null || overall == 0 ? null : hit / overall;
            out.add(new Findings(f.key(), f.name(), f.visits(), f.problemVisits(), f.rectifiedOnSpot(), f.orderedToRectify(), f.caseOpened(), hit, lift));
        }
        return out;
    }

    /** Plan visits with results in the period, per sampling stratum they were drawn in (a visit in two strata counts in both). */
    private List<Findings> strata(Connection c, Query q) throws SQLException {
        String sql = """
                with pv as (
                  select pv.id, pv.strata,
                         bool_or(r.outcome in %s) as problem,
                         case when bool_or(r.outcome = 'CASE_OPENED') then 'CASE_OPENED'
                              when bool_or(r.outcome = 'ORDERED_TO_RECTIFY') then 'ORDERED_TO_RECTIFY'
                              when bool_or(r.outcome = 'RECTIFIED_ON_SPOT') then 'RECTIFIED_ON_SPOT' else 'NO_PROBLEM' end as worst
                  from plan_visit pv join inspection_result r on r.visit_id = pv.id join merchant m on m.id = pv.merchant_id
                  where r.outcome <> 'NOT_FOUND' and r.inspected_on >= ? and r.inspected_on < ?
                    and $SCOPE
                  group by pv.id, pv.strata)
                select s, s, count(*), count(*) filter (where problem), %s
                from pv cross join unnest(pv.strata) s group by s order by s""".formatted(PROBLEM, worstCounts("worst"));
        try (PreparedStatement ps = c.prepareStatement(scoped(sql))) {
            ps.setObject(1, q.from());
            ps.setObject(2, q.to().plusDays(1));
            bindScope(ps, 3, q);
            List<Findings> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Findings(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), null, null));
                }
            }
            return out;
        }
    }

    /**
     * Per squad (of the inspectors on the visit) or per inspector: visits, problems, and the problems
     * expected had each visit found problems at its grade's rate over the scope; observed / expected
     * above 1 means more findings than the merchants' grades explain.
     */
    private List<PeopleFindings> people(Connection c, Query q, String vis, boolean squads) throws SQLException {
        String key = squads ? "i.squad_code" : "i.badge_no";
        String sql = vis + """
                , rate as (select grade, avg(case when problem then 1.0 else 0.0 end) as r from v group by grade),
                vi as (select distinct v.merchant_id, v.day, v.problem, v.grade, %s as k
                       from v cross join unnest(string_to_array(v.inspectors, ',')) b
                       join inspector i on i.badge_no = trim(b))
                select vi.k, count(*), count(*) filter (where vi.problem), sum(rate.r)
                from vi join rate on rate.grade = vi.grade group by vi.k order by count(*) desc, vi.k""".formatted(key);
        Map<String, String[]> inspectors = squads ? Map.of() : inspectorNames(c);
        List<PeopleFindings> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, q); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String k = rs.getString(1);
                long n = rs.getLong(2);
                long p = rs.getLong(3);
                double expected = rs.getDouble(4);
                String name;
                String squad;
                if (squads) {
                    squad = k;
                    name = squadName(k);
                } else {
                    String[] i = inspectors.getOrDefault(k, new String[] {k, null});
                    name = i[0];
                    squad = i[1];
                }
                out.add(new PeopleFindings(k, name, squad, squad == null ? null : squadName(squad), n, p, n == 0 ? null : (double) p / n,
                        Math.round(expected * 100) / 100.0, expected == 0 ? null : p / expected));
            }
        }
        return out;
    }

    private String squadName(String code) {
        Squad s = refs.squad(code);
        return s == null ? code : s.name;
    }

    private static Map<String, String[]> inspectorNames(Connection c) throws SQLException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select badge_no, name, squad_code from inspector"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
        }
        return out;
    }

    private Complaints complaints(Connection c, Query q) throws SQLException {
        String sql = """
                with cp as (
                  select e.verified, e.linked_case_no,
                         row_number() over (partition by e.merchant_id, e.complaint_category order by e.occurred_at, e.id) as nth
                  from merchant_event e join merchant m on m.id = e.merchant_id
                  where e.type = 'COMPLAINT' and e.superseded_by is null and e.occurred_at >= ? and e.occurred_at < ?
                    and $SCOPE),
                cs as (
                  select e.from_complaint, e.fine_yuan from merchant_event e join merchant m on m.id = e.merchant_id
                  where e.type = 'CASE' and e.superseded_by is null and e.occurred_at >= ? and e.occurred_at < ?
                    and $SCOPE)
                select (select count(*) from cp), (select count(*) from cp where verified is not null),
                       (select count(*) from cp where verified is false), (select count(*) from cp where nth > 1),
                       (select count(*) from cs), (select count(*) from cs where from_complaint),
                       (select coalesce(sum(fine_yuan), 0) from cs)""";
        try (PreparedStatement ps = c.prepareStatement(scoped(sql))) {
            for (int base : new int[] {0, 6}) {
                ps.setObject(base + 1, AsOfFactReader.startOf(q.from()));
                ps.setObject(base + 2, AsOfFactReader.startOf(q.to().plusDays(1)));
                bindScope(ps, base + 3, q);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long total = rs.getLong(1);
                long checked = rs.getLong(2);
                long unfounded = rs.getLong(3);
                long repeated = rs.getLong(4);
                long cases = rs.getLong(5);
                long fromComplaints = rs.getLong(6);
                return new Complaints(total, checked, unfounded, checked == 0 ? null : (double) unfounded / checked, repeated,
                        total == 0 ? null : (double) repeated / total, cases, fromComplaints, total == 0 ? null : (double) fromComplaints / total,
                        rs.getDouble(7));
            }
        }
    }

    private List<CasesByStreetMonth> casesByStreetMonth(Connection c, Query q) throws SQLException {
        String sql = """
                select m.street_code, to_char(e.occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*), coalesce(sum(e.fine_yuan), 0)
                from merchant_event e join merchant m on m.id = e.merchant_id
                where e.type = 'CASE' and e.superseded_by is null and e.occurred_at >= ? and e.occurred_at < ?
                  and $SCOPE
                group by 1, 2""";
        Map<String, Integer> order = new LinkedHashMap<>();
        for (Street s : refs.streets()) order.put(s.code, order.size());
        List<CasesByStreetMonth> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, q); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new CasesByStreetMonth(rs.getString(1), refs.streetName(rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getDouble(4)));
            }
        }
        out.sort(java.util.Comparator.comparing((CasesByStreetMonth r) -> order.getOrDefault(r.street(), 99)).thenComparing(CasesByStreetMonth::month));
        return out;
    }

    /** Plan visits whose window overlaps the period, per squad: done, and overdue (still pending after the window's last day). */
    private List<PlanCompletion> planCompletion(Connection c, Query q) throws SQLException {
        String sql = """
                select pv.squad_code, count(*), count(*) filter (where pv.status = 'DONE'),
                       count(*) filter (where pv.status = 'PENDING' and pv.window_end < ?)
                from plan_visit pv join merchant m on m.id = pv.merchant_id
                where pv.window_start <= ? and pv.window_end >= ? and $SCOPE
                group by 1""";
        Map<String, PlanCompletion> bySquad = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(scoped(sql))) {
            ps.setObject(1, LocalDate.now(EventService.ZONE));
            ps.setObject(2, q.to());
            ps.setObject(3, q.from());
            bindScope(ps, 4, q);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    long done = rs.getLong(3);
                    long overdue = rs.getLong(4);
                    bySquad.put(rs.getString(1), new PlanCompletion(rs.getString(1), squadName(rs.getString(1)), n, done, overdue,
                            n == 0 ? null : (double) done / n, n == 0 ? null : (double) overdue / n));
                }
            }
        }
        List<PlanCompletion> out = new ArrayList<>();
        for (Squad s : refs.squads()) if (bySquad.containsKey(s.code)) out.add(bySquad.get(s.code));
        return out;
    }

    /** Today's grades of merchants not closed (in the scope) against the target shares. */
    private List<GradeShare> gradeShares(Connection c, Query q) throws SQLException {
        Map<Grade, Long> counts = new EnumMap<>(Grade.class);
        try (PreparedStatement ps = c.prepareStatement(scoped("""
                select g.grade, count(*) from merchant_grade g join merchant m on m.id = g.merchant_id
                where m.status <> 'CLOSED' and $SCOPE group by 1"""))) {
            bindScope(ps, 1, q);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(Grade.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        List<GradeShare> out = new ArrayList<>();
        for (Grade g : List.of(Grade.GREEN, Grade.YELLOW, Grade.RED)) {
            long n = counts.getOrDefault(g, 0L);
            double share = total == 0 ? 0 : Math.round(n * 10000.0 / total) / 100.0;
            Double target = q.targets().get(g);
            out.add(new GradeShare(g, gradeName(g.name()), n, share, target, target == null ? null : Math.round((share - target) * 100) / 100.0));
        }
        return out;
    }

    /** Shares (%) per day of the full regrades in the period (grade_daily_count). */
    private List<SharePoint> shareTrend(Connection c, Query q) throws SQLException {
        List<SharePoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(scoped("""
                select day, sum(merchants) filter (where grade = 'GREEN'), sum(merchants) filter (where grade = 'YELLOW'),
                       sum(merchants) filter (where grade = 'RED'), sum(merchants)
                from grade_daily_count m where day between ? and ? and $SCOPE
                group by day order by day"""))) {
            ps.setObject(1, q.from());
            ps.setObject(2, q.to());
            bindScope(ps, 3, q);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double total = Math.max(1, rs.getLong(5));
                    out.add(new SharePoint(rs.getObject(1, LocalDate.class), pct(rs.getLong(2), total), pct(rs.getLong(3), total), pct(rs.getLong(4), total)));
                }
            }
        }
        return out;
    }

    private static double pct(long n, double total) {
        return Math.round(n * 10000.0 / total) / 100.0;
    }
}
