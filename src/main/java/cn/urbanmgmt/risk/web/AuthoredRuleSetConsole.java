package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleDiff;
import cn.urbanmgmt.risk.rules.RuleKind;
import cn.urbanmgmt.risk.rules.ScenarioOutcome;
import java.util.EnumSet;
import java.util.Set;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The steps every kind of rule set shares, each a call to {@link RuleAuthoringService} for that kind
 * ({@link #ruleKind()}), as its REST resource makes it: every step of the loop, the kind's path name
 * and simulation job type; a kind adds its title, how one scenario result reads, and its simulation
 * form.
 *
 * @param <T> the kind's outcome of one test scenario
 */
abstract class AuthoredRuleSetConsole<T extends ScenarioOutcome> implements RuleSetConsole {

    @Inject
    RuleAuthoringService authoring;

    private final String title;

    /** @param title the zh-CN name on the pages, e.g. 评级规则 */
    AuthoredRuleSetConsole(String title) {
        this.title = title;
    }

    @Override
    public String title() {
        return title;
    }

    /** The kind in the authoring service. */
    abstract RuleKind<?, T> ruleKind();

    /** One scenario's outcome in words: expected and actual. */
    abstract ScenarioView view(T result);

    /** As /api/v1/rule-sets/{kind} names it: "grading", "sampling". */
    @Override
    public String kind() {
        return ruleKind().pathName();
    }

    @Override
    public Set<Step> steps() {
        return EnumSet.allOf(Step.class);
    }

    @Override
    public String simulationJobType() {
        return ruleKind().simulationJobType();
    }

    @Override
    public Tests test(String version, String user) {
        RuleAuthoringService.TestReport<T> r = authoring.test(ruleKind(), version, user);
        List<ScenarioView> results = r.results().stream().map(this::view).toList();
        return new Tests(r.version(), r.ok(), r.total(), r.passed(), r.failed(), results, r.problems());
    }

    @Override
    public String ruleFolder() {
        return ruleKind().folder();
    }

    @Override
    public String testFolder() {
        return ruleKind().testsFolder();
    }

    @Override
    public String exportZipUrl(String version) {
        return ruleKind().apiBase() + "/versions/" + version + "/export?format=zip";
    }

    @Override
    public RuleAuthoringService.ActiveInfo active() {
        return authoring.active(ruleKind());
    }

    @Override
    public List<RuleAuthoringService.VersionSummary> versions(int limit) {
        return authoring.versions(ruleKind(), limit);
    }

    @Override
    public Files files(String version) {
        RuleAuthoringService.VersionDetail detail = authoring.version(ruleKind(), version);
        RuleAuthoringService.Export export = authoring.export(ruleKind(), detail.version().version());
        return new Files(detail.version(), export.files(), export.tests(), detail.rules());
    }

    @Override
    public RuleAuthoringService.Stored upload(Map<String, String> files, String comment, String user) {
        return authoring.upload(ruleKind(), files, comment, user);
    }

    @Override
    public RuleAuthoringService.Stored uploadZip(byte[] zip, String comment, String user) {
        return authoring.uploadZip(ruleKind(), zip, comment, user);
    }

    @Override
    public RuleAuthoringService.ValidationReport validate(String version, String user) {
        return authoring.validate(ruleKind(), version, user);
    }

    @Override
    public RuleAuthoringService.Activation activate(String version, String comment, String user) {
        return authoring.activate(ruleKind(), version, comment, user);
    }

    @Override
    public RuleAuthoringService.Activation rollback(String version, String comment, String user) {
        return authoring.rollback(ruleKind(), version, comment, user);
    }

    @Override
    public RuleDiff.Result diff(String from, String to) {
        return authoring.diff(ruleKind(), from, to);
    }

    @Override
    public List<RuleAuthoringService.AuditEntry> audit(String version, RuleAudit.Action action, int limit) {
        return authoring.audit(ruleKind(), version, action, limit);
    }
}
