package cn.urbanmgmt.risk.rules;

import cn.urbanmgmt.risk.grading.RuleAudit;
import cn.urbanmgmt.risk.grading.RuleSetRuntime;
import cn.urbanmgmt.risk.grading.engine.LoadedRules;
import cn.urbanmgmt.risk.jobs.Job;
import cn.urbanmgmt.risk.jobs.JobHandler;
import cn.urbanmgmt.risk.jobs.JobService;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The skeleton of every kind's simulation job (what a candidate version would do, compared with a
 * baseline, changing nothing): each chunk runs with both versions leased, and tallies into the
 * kind's typed chunk record ({@code C}, stored as the chunk's JSON result); {@link #finish} merges
 * the chunks in order, lets the kind build its typed result record, audits the simulation
 * (SIMULATE, OK or FAILED, with the kind's summary) and returns the result as the job's JSON.
 *
 * @param <R> the kind's compiled rules
 * @param <P> the job's parameters
 * @param <C> one chunk's counts; merging chunks gives the same type
 */
public abstract class RuleSimulationJob<R extends LoadedRules, P extends RuleSimulationJob.Params, C extends RuleSimulationJob.Chunk<C>>
        implements JobHandler {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The versions compared: {@code baseline} null when there is none (grading: the stored grades; sampling: no active version). */
    public interface Params {
        String candidate();

        String baseline();
    }

    /** One chunk's counts, mergeable into the counts of all chunks. */
    public interface Chunk<C> {
        void merge(C other);
    }

    /**
     * What {@link #finish} returns and audits: the kind's result record (serialised as the job's
     * result), whether the simulation found nothing wrong, the audit summary after "模拟完成（任务 #n）：",
     * and the audit details besides the job id.
     */
    public record Finished(Object result, boolean clean, String summary, Map<String, Object> details) {
    }

    private final String type;

    /** @param type the job type */
    protected RuleSimulationJob(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Inject
    protected JobService jobs;

    @Inject
    protected ObjectMapper json;

    protected abstract RuleSetRuntime<R> runtime();

    protected abstract P params(Job job);

    /** Counts with nothing in them (the start of the merge; its class is the chunk results' type). */
    protected abstract C emptyChunk();

    /** Evaluates the merchants with ids in [fromId, toId] with both versions and completes the chunk with {@link #chunkResult}. */
    protected abstract void processChunk(P p, R candidate, R baseline, long fromId, long toId, ChunkCompletion complete);

    /** The result of the whole simulation from the merged counts. */
    protected abstract Finished finish(Job job, P p, C all);

    @Override
    public final void processChunk(Job job, long fromId, long toId, ChunkCompletion complete) {
        P p = params(job);
        withRules(p, (candidate, baseline) -> {
            processChunk(p, candidate, baseline, fromId, toId, complete);
            return null;
        });
    }

    /** Runs {@code work} with the candidate and the baseline (null when there is none) leased. */
    protected <X> X withRules(P p, BiFunction<R, R, X> work) {
        R candidate = runtime().lease(p.candidate());
        R baseline = null;
        try {
            baseline = p.baseline() == null ? null : runtime().lease(p.baseline());
            return work.apply(candidate, baseline);
        } finally {
            candidate.release();
            if (baseline != null) baseline.release();
        }
    }

    /** A chunk's counts as its stored result. */
    protected Map<String, Object> chunkResult(C counts) {
        return json.convertValue(counts, MAP);
    }

    @Override
    @SuppressWarnings("unchecked")
    public final Map<String, Object> finish(Job job) {
        P p = params(job);
        C all = emptyChunk();
        for (Map<String, Object> r : jobs.chunkResults(job.id)) all.merge((C) json.convertValue(r, all.getClass()));
        Finished f = finish(job, p, all);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jobId", job.id);
        details.putAll(f.details());
        QuarkusTransaction.requiringNew().run(() -> RuleAudit.record(runtime().kind(), job.createdBy, RuleAudit.Action.SIMULATE, p.candidate(),
                p.baseline(), f.clean() ? RuleAudit.Outcome.OK : RuleAudit.Outcome.FAILED, null, "模拟完成（任务 #" + job.id + "）：" + f.summary(), details));
        return json.convertValue(f.result(), MAP);
    }
}
