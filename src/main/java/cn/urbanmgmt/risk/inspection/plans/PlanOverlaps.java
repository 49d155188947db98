package cn.urbanmgmt.risk.inspection.plans;

import cn.urbanmgmt.risk.common.Problem;
import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds the active plans a new plan overlaps: a common item code, periods that share a day, and scopes
 * that share at least one merchant of the registry (streets, categories, key units and targeted lists
 * are all compared by asking PostgreSQL whether one merchant satisfies both scopes).
 */
@ApplicationScoped
public class PlanOverlaps {

    public record Overlap(long planId, String name, List<String> items, LocalDate periodStart, LocalDate periodEnd) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    public List<Overlap> find(PlanSpec spec) {
        List<String> codes = spec.items().stream().map(PlanSpec.ItemSnapshot::code).toList();
        List<Overlap> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<Object[]> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, name, items::text, scope::text, period_start, period_end from inspection_plan "
                    + "where status = 'ACTIVE' and period_start <= ? and period_end >= ? "
                    + "and exists (select 1 from jsonb_array_elements(items) i where i->>'code' = any(?)) order by id")) {
                ps.setObject(1, spec.periodEnd());
                ps.setObject(2, spec.periodStart());
                ps.setArray(3, c.createArrayOf("varchar", codes.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class)});
                    }
                }
            }
            for (Object[] p : candidates) {
                PlanSpec.ScopeSpec other = json.readValue((String) p[3], PlanSpec.ScopeSpec.class);
                if (!shareAMerchant(c, spec.scope(), other)) continue;
                List<PlanSpec.ItemSnapshot> items = json.readValue((String) p[2], new TypeReference<List<PlanSpec.ItemSnapshot>>() { });
                List<String> common = items.stream().map(PlanSpec.ItemSnapshot::code).filter(codes::contains).toList();
                out.add(new Overlap((Long) p[0], (String) p[1], common, (LocalDate) p[4], (LocalDate) p[5]));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("checking plan overlaps failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static boolean shareAMerchant(Connection c, PlanSpec.ScopeSpec a, PlanSpec.ScopeSpec b) throws SQLException {
        List<String> where = new ArrayList<>();
        List<Object[]> arrays = new ArrayList<>();
        for (PlanSpec.ScopeSpec s : List.of(a, b)) {
            if (!s.streets().isEmpty()) {
                where.add("street_code = any(?)");
                arrays.add(s.streets().toArray());
            }
            if (!s.categories().isEmpty()) {
                where.add("category = any(?)");
                arrays.add(s.categories().stream().map(Enum::name).toArray());
            }
            if (s.keyUnitsOnly()) where.add("key_unit");
            if (!s.usccs().isEmpty()) {
                where.add("uscc = any(?)");
                arrays.add(s.usccs().toArray());
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from merchant"
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + ")")) {
            for (int i = 0; i < arrays.size(); i++) ps.setArray(i + 1, c.createArrayOf("varchar", arrays.get(i)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** 409 naming the overlapping plans; a reason in overlapReason lets the plan through, shown on the register. */
    public static ProblemException refusal(List<Overlap> overlaps) {
        List<FieldError> errors = new ArrayList<>();
        TreeSet<String> ids = new TreeSet<>();
        for (Overlap o : overlaps) {
            ids.add("#" + o.planId());
            errors.add(new FieldError(null, "overlapReason", String.valueOf(o.planId()), "与计划 #" + o.planId() + "「" + o.name() + "」（事项 "
                    + String.join("、", o.items()) + "，" + o.periodStart() + " 至 " + o.periodEnd() + "）的事项相同、范围有交集、检查期重叠"));
        }
        return new ProblemException(Problem.of(409, "与已有计划重叠", "本计划与已有的 " + overlaps.size() + " 个计划（" + String.join("、", ids)
                + "）重叠，同一商户可能在同一时期被重复抽查。请调整事项、范围或检查期；如确需重叠，请在“重叠理由”（overlapReason）中写明理由，"
                + "理由和重叠的计划将在公示登记册上公开").withErrors(errors));
    }
}
