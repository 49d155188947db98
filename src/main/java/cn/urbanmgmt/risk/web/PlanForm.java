package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.plans.PlanInput;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The 新建抽查计划 form as posted: text fields as typed and the checked boxes. {@link #toInput()}
 * turns it into the API's {@link PlanInput}; checking the plan is left to the plan service.
 */
public class PlanForm {

    @RestForm
    public String name;

    @RestForm
    public String edition;

    @RestForm
    public List<String> items;

    @RestForm
    public List<String> streets;

    @RestForm
    public List<String> categories;

    @RestForm
    public String keyUnitsOnly;

    @RestForm
    public String usccs;

    @RestForm
    public String periodStart;

    @RestForm
    public String periodEnd;

    @RestForm
    public String seed;

    @RestForm
    public List<String> inspectorSquads;

    @RestForm
    public String inspectorsPerVisit;

    @RestForm
    public String overlapReason;

    @RestForm
    public String capacityReason;

    /** The form as first shown: a name for this month, the next four weeks, two inspectors a visit. */
    static PlanForm initial(LocalDate today) {
        PlanForm f = new PlanForm();
        f.name = today.getYear() + "年" + today.getMonthValue() + "月双随机抽查";
        f.periodStart = today.toString();
        f.periodEnd = today.plusDays(27).toString();
        f.inspectorsPerVisit = "2";
        return f;
    }

    static List<String> values(List<String> list) {
        return list == null ? List.of() : list.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    }

    boolean keyUnitsOnly() {
        return keyUnitsOnly != null && !keyUnitsOnly.isBlank() && !"false".equals(keyUnitsOnly);
    }

    /** The request for the plan service; fields the browser could not have sent well-formed are refused here, in the service's words. */
    PlanInput toInput() {
        List<FieldError> errors = new ArrayList<>();
        Integer ed = null;
        if (edition != null && !edition.isBlank()) {
            try {
                ed = Integer.valueOf(edition.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(null, "edition", edition, "事项清单版本应为年份，如 2021"));
            }
        }
        List<MerchantCategory> cats = new ArrayList<>();
        for (String c : values(categories)) {
            try {
                cats.add(MerchantCategory.valueOf(c));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(null, "scope.categories", c, "行业类别“" + c + "”不存在"));
            }
        }
        List<String> targeted = usccs == null ? List.of()
                : Arrays.stream(usccs.split("[\\s,，、;；]+")).filter(u -> !u.isBlank()).toList();
        LocalDate start = date("periodStart", periodStart, "检查期开始日期", errors);
        LocalDate end = date("periodEnd", periodEnd, "检查期结束日期", errors);
        Integer perVisit = null;
        if (inspectorsPerVisit != null && !inspectorsPerVisit.isBlank()) {
            try {
                perVisit = Integer.valueOf(inspectorsPerVisit.strip());
            } catch (NumberFormatException e) {
                errors.add(new FieldError(null, "inspectorsPerVisit", inspectorsPerVisit, "每户检查人数应为 2 到 5 之间的整数"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("抽查计划有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
        List<String> pool = values(inspectorSquads);
        return new PlanInput(name, ed, values(items),
                new PlanInput.Scope(values(streets), cats, keyUnitsOnly(), targeted),
                start, end, seed == null || seed.isBlank() ? null : seed.strip(), pool.isEmpty() ? null : pool, perVisit,
                overlapReason, capacityReason);
    }

    private static LocalDate date(String field, String text, String label, List<FieldError> errors) {
        if (text == null || text.isBlank()) return null; // the service says it is required
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(null, field, text, label + "格式应为 yyyy-MM-dd"));
            return null;
        }
    }
}
