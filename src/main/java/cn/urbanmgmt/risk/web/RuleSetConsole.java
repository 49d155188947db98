package cn.urbanmgmt.risk.web;

import cn.urbanmgmt.risk.common.ProblemException;
import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.engine.RuleProblem;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.rules.RuleAuthoringService;
import cn.urbanmgmt.risk.rules.RuleDiff;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kind of rule set on the 规则管理 pages ({@code /console/rules/{kind}/...}): what the pages show
 * and do, each method delegating to that kind's authoring service (the one its REST resource calls).
 * The kinds are {@link GradingRuleSetConsole} and {@link SamplingRuleSetConsole}, sharing the steps
 * that are the same for every kind in {@link AuthoredRuleSetConsole}; another kind plugs in by adding
 * one more {@code @ApplicationScoped} implementation: the pages, templates and scripts stay as they
 * are, and a step the kind does not offer ({@link #steps()}) is neither shown nor accepted; the
 * methods of optional steps have defaults that refuse, so a kind implements only what it offers.
 *
 * <p>Views reuse the authoring service's records where they are not specific to grading (versions,
 * validation, activation, diff, audit); scenario results are given as {@link ScenarioView}.
 */
public interface RuleSetConsole {

    /** The steps of the rule author's loop; the pages offer those a kind {@link #steps() has}. */
    enum Step { EDIT, UPLOAD, VALIDATE, TEST, SIMULATE, ACTIVATE, ROLLBACK, DIFF, AUDIT }

    /** The path segment: /console/rules/{kind}. */
    String kind();

    /** The zh-CN name, e.g. 评级规则. */
    String title();

    /** Folder of the rule files in a version's file paths, e.g. "grading" (files are "grading/20-cases.drl"). */
    String ruleFolder();

    /** Folder of the scenario files ("tests"), or null when the kind has no scenarios. */
    default String testFolder() {
        return null;
    }

    Set<Step> steps();

    default boolean supports(Step step) {
        return steps().contains(step);
    }

    /** Where the API exports a version as a zip (the browser's session works on the API). */
    String exportZipUrl(String version);

    /** Whether this kind's simulation is of a plan (items, period: the sampling form) rather than of a regrade (baseline). */
    default boolean simulatesPlans() {
        return false;
    }

    /** The job type of this kind's simulations, or null. */
    default String simulationJobType() {
        return null;
    }

    RuleAuthoringService.ActiveInfo active();

    /** Newest first. */
    List<RuleAuthoringService.VersionSummary> versions(int limit);

    /** A version's summary, rule files, scenario files and rules (with their lines). */
    Files files(String version);

    RuleAuthoringService.Stored upload(Map<String, String> files, String comment, String user);

    default RuleAuthoringService.Stored uploadZip(byte[] zip, String comment, String user) {
        throw unsupported();
    }

    RuleAuthoringService.ValidationReport validate(String version, String user);

    default Tests test(String version, String user) {
        throw unsupported();
    }

    /** Starts a simulation job from the version page's form (blank fields = the API's defaults). */
    default JobService.Progress simulate(String version, SimulationForm form, String user) {
        throw unsupported();
    }

    /**
     * The page of one of this kind's simulation jobs: its template under templates/rules/ and what it
     * shows besides the job, the versions, the evaluation date and the street names, which every kind's
     * page has; {@code result} is null until the job is done.
     */
    default SimulationPage simulationPage(JobService.Progress job) {
        throw unsupported();
    }

    RuleAuthoringService.Activation activate(String version, String comment, String user);

    /** {@code version} null or blank: the version active before the current one. */
    default RuleAuthoringService.Activation rollback(String version, String comment, String user) {
        throw unsupported();
    }

    default RuleDiff.Result diff(String from, String to) {
        throw unsupported();
    }

    default List<RuleAuthoringService.AuditEntry> audit(String version, RuleAudit.Action action, int limit) {
        throw unsupported();
    }

    /** A step the kind does not offer (the pages neither show nor accept it; this is the backstop). */
    default ProblemException unsupported() {
        return ProblemException.notFound(title() + "暂不支持在管理台进行此操作");
    }

    /** A version's files: path (relative to rules/) to text, rule files and scenario files apart. */
    record Files(RuleAuthoringService.VersionSummary version, Map<String, String> rules, Map<String, String> tests,
                 List<RuleAuthoringService.RuleInfo> ruleIndex) {
    }

    /**
     * The simulation form of the version page, as sent: grading uses street, category, baseline and
     * evaluation date; sampling uses the items, street, category, evaluation date and inspection period.
     */
    record SimulationForm(String street, String category, String baseline, String evaluationDate, List<String> items,
                          String periodStart, String periodEnd, String days, String inspectorsPerVisit) {
    }

    /** A simulation page: the template (e.g. "simulation.html") and its kind's data. */
    record SimulationPage(String template, Map<String, Object> data) {
    }

    /** One scenario's outcome: expected and actual in words, and why it failed. */
    record ScenarioView(String file, int line, String name, boolean passed, String expected, String actual, List<String> failures) {
    }

    /** A scenario run: counts, each scenario, and mistakes in the scenario files themselves (at file and line). */
    record Tests(String version, boolean ok, int total, int passed, int failed, List<ScenarioView> results, List<RuleProblem> problems) {
    }
}
