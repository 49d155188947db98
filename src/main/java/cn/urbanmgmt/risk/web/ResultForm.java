package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Problem.FieldError;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.events.InspectionOutcome;
import cn.urbanmgmt.risk.inspection.results.ResultInput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The 登记检查结果 form: the inspection date and, per item of the visit and in the same order, the
 * item code (hidden), outcome, findings and optional score. Checking the result is the result service's.
 */
public class ResultForm {

    @RestForm
    public String inspectedOn;

    @RestForm
    public List<String> itemCode;

    @RestForm
    public List<String> outcome;

    @RestForm
    public List<String> findings;

    @RestForm
    public List<String> score;

    static String at(List<String> values, int i) {
        return values == null || i >= values.size() || values.get(i) == null ? "" : values.get(i);
    }

    ResultInput toInput() {
        List<FieldError> errors = new ArrayList<>();
        LocalDate on = null;
        if (inspectedOn != null && !inspectedOn.isBlank()) {
            try {
                on = LocalDate.parse(inspectedOn.strip());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(null, "inspectedOn", inspectedOn, "检查日期格式应为 yyyy-MM-dd"));
            }
        }
        List<ResultInput.ItemResult> results = new ArrayList<>();
        int n = itemCode == null ? 0 : itemCode.size();
        for (int i = 0; i < n; i++) {
            String code = at(itemCode, i).strip();
            String o = at(outcome, i).strip();
            InspectionOutcome parsed = null;
            if (!o.isEmpty()) {
                try {
                    parsed = InspectionOutcome.valueOf(o);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError(null, "results[" + i + "].outcome", o, "事项 " + code + " 的检查结果“" + o + "”无效"));
                }
            }
            String s = at(score, i).strip();
            BigDecimal points = null;
            if (!s.isEmpty()) {
                try {
                    points = new BigDecimal(s);
                } catch (NumberFormatException e) {
                    errors.add(new FieldError(null, "results[" + i + "].score", s, "事项 " + code + " 的检查得分应为 0 到 100 之间的数字"));
                }
            }
            String text = at(findings, i);
            results.add(new ResultInput.ItemResult(code, parsed, text.isBlank() ? null : text.strip(), points));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("检查结果有误：" + errors.get(0).message()
                    + (errors.size() > 1 ? "（共 " + errors.size() + " 处）" : ""), errors);
        }
        return new ResultInput(on, results);
    }
}
