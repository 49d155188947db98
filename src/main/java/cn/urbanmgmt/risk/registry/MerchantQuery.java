package cn.urbanmgmt.risk.registry;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.common.StreetScope;
import cn.urbanmgmt.risk.common.Uscc;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Filters for the merchant search and export; bound from query parameters. */
public class MerchantQuery {

    @QueryParam("street") @Parameter(description = "街镇代码或名称")
    public String street;
    @QueryParam("category") @Parameter(description = "行业类别代码或名称")
    public String category;
    @QueryParam("keyUnit") @Parameter(description = "只看重点单位（true）或非重点单位（false）")
    public Boolean keyUnit;
    @QueryParam("status") @Parameter(description = "经营状态：OPERATING / SUSPENDED / CLOSED")
    public String status;
    @QueryParam("q") @Parameter(description = "名称或地址中包含的文字")
    public String text;
    @QueryParam("uscc") @Parameter(description = "统一社会信用代码（完整 18 位或前缀）")
    public String uscc;
    @QueryParam("grade") @Parameter(description = "风险等级：GREEN / YELLOW / RED")
    public String grade;
    @QueryParam("page") @DefaultValue("0") @Parameter(description = "页码，从 0 开始")
    public int page;
    @QueryParam("size") @DefaultValue("20") @jakarta.validation.constraints.Max(200) @Parameter(description = "每页条数，最多 200")
    public int size = 20;

    public int page() {
        return page;
    }

    public int size() {
        return size;
    }

    /** A JPQL condition over Merchant plus its parameters. */
    public record Where(String jpql, Map<String, Object> params) {
    }

    public Where where(StreetScope scope, ReferenceData refs, GradeFilter grades) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (scope.streets() != null) {
            clauses.add("streetCode in :scope");
            params.put("scope", scope.streets());
        }
        if (blank(street) == null) {
            // no street filter
        } else {
            Street s = refs.resolveStreet(street);
            if (s == null) throw ProblemException.invalidField("street", "街镇“" + street + "”不存在，可选：" + refs.allowedStreets());
            clauses.add("streetCode = :street");
            params.put("street", s.code);
        }
        if (blank(category) != null) {
            MerchantCategory c = Labelled.parse(MerchantCategory.class, category);
            if (c == null) throw ProblemException.invalidField("category", "行业类别“" + category + "”不存在，可选：" + Labelled.allowed(MerchantCategory.class));
            clauses.add("category = :category");
            params.put("category", c);
        }
        if (keyUnit != null) {
            clauses.add("keyUnit = :keyUnit");
            params.put("keyUnit", keyUnit);
        }
        if (blank(status) != null) {
            MerchantStatus st = Labelled.parse(MerchantStatus.class, status);
            if (st == null) throw ProblemException.invalidField("status", "经营状态“" + status + "”不存在，可选：" + Labelled.allowed(MerchantStatus.class));
            clauses.add("status = :status");
            params.put("status", st);
        }
        if (blank(text) != null) {
            clauses.add("(name like :text or address like :text)");
            params.put("text", "%" + escapeLike(text.strip()) + "%");
        }
        if (blank(uscc) != null) {
            clauses.add("uscc like :uscc");
            params.put("uscc", escapeLike(Uscc.normalise(uscc)) + "%");
        }
        if (blank(grade) != null) {
            clauses.add(grades.condition(grade, params));
        }
        return new Where(clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses), params);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The text as a literal inside a LIKE pattern (backslash is the escape character). */
    public static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
