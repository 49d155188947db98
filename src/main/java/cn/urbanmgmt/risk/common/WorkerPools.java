package cn.urbanmgmt.risk.common;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's worker threads, owned in one place and stopped with the service (no pool outlives a
 * restart in tests or keeps the JVM busy after shutdown). CPU-bound work has one thread per core per kind,
 * so a regrade's evaluation and a planner's draw share the cores the way the operating system shares them,
 * instead of one queueing behind the other; blocking work (a second database cursor, a request's side
 * steps) runs on a pool that grows as needed. The rule sandbox keeps its own probe threads: a probe that
 * does not return is abandoned, which no shared pool may suffer (see the rule compilers).
 */
@Singleton
public class WorkerPools {

    private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final ExecutorService gradingEvaluators = Executors.newFixedThreadPool(CORES, named("grading-evaluator"));
    private final ExecutorService planWorkers = Executors.newFixedThreadPool(CORES, named("plan-worker"));
    private final ExecutorService blocking = Executors.newCachedThreadPool(named("worker-blocking"));

    /** Rule evaluation of regrade chunks (CPU-bound, one thread per core). */
    public ExecutorService gradingEvaluators() {
        return gradingEvaluators;
    }

    /** Sampling-rule evaluation and ranking of a plan's candidates (CPU-bound, one thread per core). */
    public ExecutorService planWorkers() {
        return planWorkers;
    }

    /** Blocking or side work: extra database readers, compressing and hashing a plan's candidate list. */
    public ExecutorService blocking() {
        return blocking;
    }

    void onStop(@Observes ShutdownEvent event) {
        for (ExecutorService pool : List.of(gradingEvaluators, planWorkers, blocking)) pool.shutdownNow();
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
