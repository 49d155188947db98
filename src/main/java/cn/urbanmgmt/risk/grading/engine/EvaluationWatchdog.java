package cn.urbanmgmt.risk.grading.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.kie.api.runtime.KieSession;

/**
 * Stops evaluations that overrun their time limit: every 50 ms it looks at the evaluations in
 * flight, and halts the session of one whose thread has used more CPU time than the limit since it
 * was first seen, or that has run for {@link #WALL_FACTOR} times the limit by the clock (a rule
 * that sleeps or waits). CPU time, not the clock, so that a busy machine or a cold JVM does not
 * make a sound rule look slow. After a further limit the thread is interrupted (waking sleeps and
 * waits). A consequence that spins in plain Java without ever returning cannot be stopped safely
 * inside the JVM; it is reported, and its thread keeps running. The evaluating thread pays only
 * for registering its ticket: no clock or CPU-time reads per firing.
 */
final class EvaluationWatchdog {

    private static final Logger LOG = Logger.getLogger(EvaluationWatchdog.class);
    static final EvaluationWatchdog INSTANCE = new EvaluationWatchdog();
    /** Wall-clock backstop, as a multiple of the limit. */
    static final int WALL_FACTOR = 3;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private final Set<Ticket> running = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    private EvaluationWatchdog() {
    }

    Ticket watch(KieSession session, long limitNanos, java.util.function.Supplier<String> rule) {
        if (thread == null) start();
        Ticket t = new Ticket(session, Thread.currentThread(), System.nanoTime(), limitNanos, rule);
        running.add(t);
        return t;
    }

    private synchronized void start() {
        if (thread != null) return;
        Thread t = new Thread(this::loop, "rules-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    /** The rule firing in the evaluation {@code owner} is running now, or null: names the rule of a consequence that never returns. */
    String ruleRunningOn(Thread owner) {
        for (Ticket t : running) {
            if (t.owner == owner) return t.rule.get();
        }
        return null;
    }

    private void loop() {
        while (true) {
            try {
                Thread.sleep(50);
                long now = System.nanoTime();
                for (Ticket t : running) t.check(now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("rules watchdog", e);
            }
        }
    }

    /** One evaluation in flight. */
    final class Ticket implements AutoCloseable {
        private static final int RUNNING = 0, HALTED = 1, INTERRUPTED = 2, CLOSED = 3;
        private final KieSession session;
        private final Thread owner;
        private final long startedAt;
        private final long limit;
        private final java.util.function.Supplier<String> rule;
        private int state = RUNNING;
        /** Owner's CPU time when the watchdog first saw this ticket; -1 before. */
        private long cpuAtFirstSight = -1;
        private long haltedAt;
        private volatile boolean expired;

        private Ticket(KieSession session, Thread owner, long startedAt, long limit, java.util.function.Supplier<String> rule) {
            this.rule = rule;
            this.session = session;
            this.owner = owner;
            this.startedAt = startedAt;
            this.limit = limit;
        }

        boolean expired() {
            return expired;
        }

        private synchronized void check(long now) {
            if (state == CLOSED) return;
            long cpu = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(owner.getId()) : -1;
            if (cpuAtFirstSight < 0) cpuAtFirstSight = cpu;
            long wall = now - startedAt;
            if (state == RUNNING && ((cpu >= 0 && cpu - cpuAtFirstSight >= limit) || wall >= WALL_FACTOR * limit || cpu < 0 && wall >= limit)) {
                expired = true;
                state = HALTED;
                haltedAt = now;
                session.halt();
            } else if (state == HALTED && now - haltedAt >= limit) {
                state = INTERRUPTED;
                owner.interrupt();
                LOG.warnf("Rule evaluation on %s still running %d ms after it was halted: interrupted", owner.getName(), limit / 1_000_000);
            }
        }

        @Override
        public void close() {
            boolean interrupted;
            synchronized (this) {
                interrupted = state == INTERRUPTED;
                state = CLOSED;
            }
            running.remove(this);
            // Only clear an interrupt we caused; one from elsewhere (shutdown) must stay visible.
            if (interrupted) Thread.interrupted();
        }
    }
}
