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
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.registry.ReferenceData;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Inject
    ReferenceData refs;

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

    @Override
    public boolean simulatesPlans() {
        return true;
    }

    /** Per item, the strata and draw sizes under both versions, and the changed decisions (the result as the job stored it). */
    @Override
    @SuppressWarnings("unchecked")
    public SimulationPage simulationPage(JobService.Progress p) {
        Map<String, Object> params = p.params() == null ? Map.of() : p.params();
        Map<String, Object> plan = (Map<String, Object>) params.getOrDefault("plan", Map.of());
        Map<String, Object> scope = (Map<String, Object>) plan.getOrDefault("scope", Map.of());
        List<String> streets = scope.get("streets") == null ? List.of() : (List<String>) scope.get("streets");
        List<String> categories = scope.get("categories") == null ? List.of() : (List<String>) scope.get("categories");
        List<String> scopeText = new ArrayList<>(streets.stream().map(refs::streetName).toList());
        categories.forEach(c -> {
            MerchantCategory mc = Labelled.parse(MerchantCategory.class, c);
            scopeText.add(mc == null ? c : mc.label());
        });
        List<Map<String, Object>> planItems = plan.get("items") == null ? List.of() : (List<Map<String, Object>>) plan.get("items");
        Map<String, String> itemNames = new LinkedHashMap<>();
        planItems.forEach(i -> itemNames.put(String.valueOf(i.get("code")), String.valueOf(i.get("name"))));
        Map<String, Object> data = new HashMap<>();
        data.put("periodStart", plan.get("periodStart"));
        data.put("periodEnd", plan.get("periodEnd"));
        data.put("perVisit", plan.get("perVisit"));
        data.put("scopeText", scopeText.isEmpty() ? "全区" : String.join("、", scopeText));
        data.put("itemNames", itemNames);
        data.put("result", p.status() == Job.Status.DONE ? p.result() : null);
        return new SimulationPage("sampling-simulation.html", data);
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
