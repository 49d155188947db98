package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.LoadedRules;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.jobs.Job;

/**
 * One kind of rule set in the authoring loop (grading, sampling): what the shared loop of
 * {@link RuleAuthoringService} needs to know about it. CDI beans, one per kind.
 *
 * @param <R> the compiled rules
 * @param <T> the outcome of one of its test scenarios
 */
public interface RuleKind<R extends LoadedRules, T extends ScenarioOutcome> {

    /** The kind's versions, checks and active version. */
    RuleSetRuntime<R> runtime();

    /** Where the API of this kind lives, e.g. "/api/v1/rules" (for Location headers and hints). */
    String apiBase();

    /** Runs the version's scenarios ({@link RuleSource#tests()}) against its compiled rules. */
    ScenarioReport<T> runScenarios(RuleSource source, R rules);

    /**
     * Work that follows a switch to another version (activation, rollback), created inside the
     * switch's transaction so that both happen or neither: its job id, or null when there is none.
     */
    default Long afterSwitch(String user, String version, String verb) {
        return null;
    }

    /** The summary line of the audit entry of a switch, after "启用版本 x（原生效版本 y）". */
    default String switchSummary(Long job) {
        return "";
    }

    /** The job type of this kind's simulation, the dry run an activation needs ({@link SimulationGate}). */
    String simulationJobType();

    /**
     * Whether a finished simulation job covered everything a version of this kind decides about today
     * (the whole registry, and for sampling every item): null when it did, else what it left out (zh-CN).
     */
    String notCovered(Job simulation);

    /** How to run the simulation that {@link SimulationGate} accepts (zh-CN, for the refusal). */
    String fullSimulationHint();

    default String kind() {
        return runtime().kind();
    }

    /** The rule folder under rules/, e.g. "grading". */
    default String folder() {
        return runtime().folder();
    }

    /** The scenario folder under rules/, e.g. "tests" or "tests/sampling". */
    default String testsFolder() {
        return RuleSource.testsFolder(folder());
    }

    /** How messages name these rules, e.g. "抽查规则". */
    default String label() {
        return runtime().label();
    }

    /** How messages name the whole set ("生效的…没有改变", "…版本 x 不存在"). */
    default String setName() {
        return label();
    }
}
