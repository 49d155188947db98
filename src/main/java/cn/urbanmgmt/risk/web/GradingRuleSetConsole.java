package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetService;
import cn.urbanmgmt.risk.grading.model.Grade;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.GradingRuleKind;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleDiff;
import cn.urbanmgmt.risk.rules.ScenarioRunner;
import cn.urbanmgmt.risk.rules.SimulationJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The grading rules (rules/grading, rules/tests) on the 规则管理 pages: {@link RuleAuthoringService}, as /api/v1/rules calls it. */
@ApplicationScoped
public class GradingRuleSetConsole implements RuleSetConsole {

    @Inject
    RuleAuthoringService authoring;

    @Inject
    GradingRuleKind grading;

    @Override
    public String kind() {
        return RuleSetService.GRADING;
    }

    @Override
    public String title() {
        return "评级规则";
    }

    @Override
    public String ruleFolder() {
        return RuleSetService.GRADING;
    }

    @Override
    public String testFolder() {
        return "tests";
    }

    @Override
    public Set<Step> steps() {
        return EnumSet.allOf(Step.class);
    }

    @Override
    public String exportZipUrl(String version) {
        return "/api/v1/rules/versions/" + version + "/export?format=zip";
    }

    @Override
    public String simulationJobType() {
        return SimulationJob.TYPE;
    }

    @Override
    public RuleAuthoringService.ActiveInfo active() {
        return authoring.active(grading);
    }

    @Override
    public List<RuleAuthoringService.VersionSummary> versions(int limit) {
        return authoring.versions(grading, limit);
    }

    @Override
    public Files files(String version) {
        RuleAuthoringService.VersionDetail detail = authoring.version(grading, version);
        RuleAuthoringService.Export export = authoring.export(grading, detail.version().version());
        return new Files(detail.version(), export.files(), export.tests(), detail.rules());
    }

    @Override
    public RuleAuthoringService.Stored upload(Map<String, String> files, String comment, String user) {
        return authoring.upload(grading, files, comment, user);
    }

    @Override
    public RuleAuthoringService.Stored uploadZip(byte[] zip, String comment, String user) {
        return authoring.uploadZip(grading, zip, comment, user);
    }

    @Override
    public RuleAuthoringService.ValidationReport validate(String version, String user) {
        return authoring.validate(grading, version, user);
    }

    @Override
    public Tests test(String version, String user) {
        RuleAuthoringService.TestReport<ScenarioRunner.Result> r = authoring.test(grading, version, user);
        List<ScenarioView> results = r.results().stream().map(GradingRuleSetConsole::view).toList();
        return new Tests(r.version(), r.ok(), r.total(), r.passed(), r.failed(), results, r.problems());
    }

    private static ScenarioView view(ScenarioRunner.Result r) {
        return new ScenarioView(r.file(), r.line(), r.name(), r.passed(), outcome(r.expectedGrade(), r.expectedScore()),
                outcome(r.actualGrade(), r.actualScore()), r.failures());
    }

    /** "黄色（中风险），40 分". */
    private static String outcome(Grade grade, Integer score) {
        String g = grade == null ? "" : Formats.gradeName(grade);
        if (score == null) return g.isEmpty() ? "—" : g;
        return (g.isEmpty() ? "" : g + "，") + score + " 分";
    }

    @Override
    public JobService.Progress simulate(String version, SimulationForm form, String user) {
        return authoring.simulate(version, new RuleAuthoringService.SimulationRequest(form.evaluationDate(), form.street(), form.category(),
                form.baseline()), user);
    }

    @Override
    public RuleAuthoringService.Activation activate(String version, String comment, String user) {
        return authoring.activate(grading, version, comment, user);
    }

    @Override
    public RuleAuthoringService.Activation rollback(String version, String comment, String user) {
        return authoring.rollback(grading, version, comment, user);
    }

    @Override
    public RuleDiff.Result diff(String from, String to) {
        return authoring.diff(grading, from, to);
    }

    @Override
    public List<RuleAuthoringService.AuditEntry> audit(String version, RuleAudit.Action action, int limit) {
        return authoring.audit(grading, version, action, limit);
    }
}
