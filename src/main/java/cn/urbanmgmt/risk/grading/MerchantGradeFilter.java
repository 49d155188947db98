package cn.urbanmgmt.risk.grading;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.registry.GradeFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;

/** The merchant search's grade filter (registry's MerchantQuery): merchants by their stored current grade. */
@ApplicationScoped
public class MerchantGradeFilter implements GradeFilter {

    @Override
    public String condition(String grade, Map<String, Object> params) {
        Grade g;
        try {
            g = Grade.valueOf(grade.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("grade", "风险等级“" + grade + "”不存在，可选：GREEN（绿）、YELLOW（黄）、RED（红）");
        }
        params.put("grade", g);
        return "id in (select g.merchantId from MerchantGradeRow g where g.grade = :grade)";
    }
}
