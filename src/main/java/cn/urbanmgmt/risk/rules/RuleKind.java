package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.LoadedRules;
import cn.urbanmgmt.risk.grading.engine.RuleSource;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobService;
import cn.urbanmgmt.risk.security.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Set;

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

    /** Where the API of this kind lives, e.g. "/api/v1/rule-sets/grading" (for Location headers, links and hints; the old paths are aliases). */
    default String apiBase() {
        return RuleSetResource.BASE + pathName();
    }

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

    /**
     * Starts a simulation of {@code version} (a background job) from the kind's request body, as JSON
     * (null or missing when the body was empty); a body that does not fit the kind's request is a
     * {@link JsonProcessingException}, answered like any other unreadable body.
     */
    JobService.Progress simulate(String version, JsonNode request, String user) throws JsonProcessingException;

    /** The roles that may simulate this kind's versions (RULE_AUTHOR always). */
    default Set<String> simulatorRoles() {
        return Set.of(Role.RULE_AUTHOR_);
    }

    /** The body of GET …/active: the shared fields, or the kind's richer view of them. */
    default Object activeView(RuleAuthoringService.ActiveInfo active) {
        return active;
    }

    /** The kind as /api/v1/rule-sets/{kind} names it, e.g. "grading". */
    default String pathName() {
        return kind().toLowerCase(Locale.ROOT);
    }

    /** A request body as the kind's request type; null for an empty body. */
    static <B> B body(ObjectMapper json, JsonNode node, Class<B> type) throws JsonProcessingException {
        return node == null || node.isNull() || node.isMissingNode() ? null : json.treeToValue(node, type);
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
