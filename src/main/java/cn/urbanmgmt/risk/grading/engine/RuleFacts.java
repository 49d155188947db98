package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.grading.model.Assessment;
import cn.urbanmgmt.risk.grading.model.CaseFact;
import cn.urbanmgmt.risk.grading.model.ComplaintFact;
import cn.urbanmgmt.risk.grading.model.CreditFact;
import cn.urbanmgmt.risk.grading.model.DetectionFact;
import cn.urbanmgmt.risk.grading.model.Evaluation;
import cn.urbanmgmt.risk.grading.model.InspectionFact;
import cn.urbanmgmt.risk.grading.model.MerchantFact;
import java.util.List;

/**
 * The facts one kind of rule set sees: the classes the service inserts (a rule on any other type
 * never fires) and the type names shown to rule authors in messages; {@code model}, when not null,
 * the fact model rule code may name (the kind's recording API and its code tables, see
 * {@link RuleAllowList}), declared by the kind's owner so that grading need not know the other kinds.
 */
public record RuleFacts(List<Class<?>> inserted, List<String> names, List<Class<?>> model) {

    public RuleFacts(List<Class<?>> inserted, List<String> names) {
        this(inserted, names, null);
    }

    public static final RuleFacts GRADING = new RuleFacts(
            List.of(Evaluation.class, MerchantFact.class, CaseFact.class, ComplaintFact.class, InspectionFact.class, CreditFact.class,
                    DetectionFact.class, Assessment.class),
            List.of("Assessment", "MerchantFact", "CaseFact", "ComplaintFact", "InspectionFact", "CreditFact", "DetectionFact",
                    "EventFact", "Evaluation"));
}
