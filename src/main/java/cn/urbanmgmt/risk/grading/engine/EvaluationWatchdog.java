package cn.urbanmgmt.risk.grading.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.kie.api.runtime.KieSession;

/**
 * Stops evaluations that overrun their time limit. Rules that fire often are halted between firings
 * by the evaluating thread itself; this watchdog catches the rest (one slow step): it halts the
 * session at the deadline and interrupts the thread (waking sleeps and waits) after a second limit.
 * A consequence that spins in plain Java without ever returning cannot be stopped safely inside the
 * JVM; it is reported, and its thread keeps running.
 */
final class EvaluationWatchdog {

    private static final Logger LOG = Logger.getLogger(EvaluationWatchdog.class);
    static final EvaluationWatchdog INSTANCE = new EvaluationWatchdog();

    private final Set<Ticket> running = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    private EvaluationWatchdog() {
    }

    Ticket watch(KieSession session, long limitNanos) {
        if (thread == null) start();
        Ticket t = new Ticket(session, Thread.currentThread(), System.nanoTime() + limitNanos, limitNanos);
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
        private final long deadline;
        private final long limit;
        private int state = RUNNING;
        private volatile boolean expired;

        private Ticket(KieSession session, Thread owner, long deadline, long limit) {
            this.session = session;
            this.owner = owner;
            this.deadline = deadline;
            this.limit = limit;
        }

        long deadline() {
            return deadline;
        }

        boolean expired() {
            return expired;
        }

        /** Called by the evaluating thread between firings. */
        void expireNow() {
            expired = true;
            session.halt();
        }

        private synchronized void check(long now) {
            if (state == RUNNING && now > deadline) {
                expired = true;
                state = HALTED;
                session.halt();
            } else if (state == HALTED && now > deadline + limit) {
                state = INTERRUPTED;
                owner.interrupt();
                LOG.warnf("Rule evaluation on %s still running %d ms after its time limit: interrupted", owner.getName(), limit / 1_000_000);
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
