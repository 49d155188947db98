package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.Labelled;
import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.inspection.plans.PlanInput;
import cn.urbanmgmt.risk.inspection.sampling.SamplingRuleKind;
import cn.urbanmgmt.risk.inspection.sampling.SamplingScenarioRunner;
import cn.urbanmgmt.risk.inspection.sampling.SamplingSimulation;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.registry.MerchantCategory;
import cn.urbanmgmt.risk.rules.RuleKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The sampling rules (rules/sampling, rules/tests/sampling) on the 规则管理 pages: the same authoring
 * service calls as {@code /api/v1/rule-sets/sampling}. Its simulation compares the draws of the
 * candidate and the active version ({@link SamplingSimulation}), so it has its own form fields and
 * result page (rules/sampling-simulation.html).
 */
@ApplicationScoped
public class SamplingRuleSetConsole extends AuthoredRuleSetConsole<SamplingScenarioRunner.SamplingScenarioResult> {

    @Inject
    SamplingRuleKind sampling;

    @Inject
    SamplingSimulation simulation;

    @Override
    RuleKind<?, SamplingScenarioRunner.SamplingScenarioResult> ruleKind() {
        return sampling;
    }

    public SamplingRuleSetConsole() {
        super("抽查规则");
    }

    @Override
    ScenarioView view(SamplingScenarioRunner.SamplingScenarioResult s) {
        return new ScenarioView(s.file(), s.line(), s.name(), s.passed(), s.expected(), s.actual() == null ? "—" : s.actual().text(), s.failures());
    }

    /** Compares the draws of {@code version} and the active version for the chosen items, scope and period. */
    @Override
    public JobService.Progress simulate(String version, SimulationForm form, String user) {
        List<String> items = form.items() == null ? List.of() : form.items().stream().filter(i -> i != null && !i.isBlank()).toList();
        if (items.isEmpty()) throw ProblemException.invalidField("items", "请至少选择一个抽查事项");
        MerchantCategory category = blank(form.category()) ? null : Labelled.parse(MerchantCategory.class, form.category());
        if (!blank(form.category()) && category == null) {
            throw ProblemException.invalidField("category", "行业“" + form.category() + "”无效；可选：" + Labelled.allowed(MerchantCategory.class));
        }
        PlanInput.Scope scope = new PlanInput.Scope(blank(form.street()) ? null : List.of(form.street()),
                category == null ? null : List.of(category), null, null);
        return simulation.simulate(version, new SamplingSimulation.Request(items, null, scope, date("evaluationDate", form.evaluationDate()),
                date("periodStart", form.periodStart()), date("periodEnd", form.periodEnd()), number("days", form.days(), "检查期天数"),
                number("inspectorsPerVisit", form.inspectorsPerVisit(), "每户检查人数")), user);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A whole number typed in a form field; its range is checked with the simulation request. */
    private static Integer number(String field, String value, String label) {
        if (blank(value)) return null;
        String v = value.strip();
        if (v.matches("-?\\d{1,9}")) return Integer.valueOf(v);
        if (v.matches("-?\\d+")) throw ProblemException.invalidField(field, label + "“" + value + "”超出范围");
        throw ProblemException.invalidField(field, label + "“" + value + "”无效，请填写整数");
    }

    private static LocalDate date(String field, String value) {
        if (blank(value)) return null;
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "日期“" + value + "”无效，请按 2026-03-01 的格式填写");
        }
    }
}
