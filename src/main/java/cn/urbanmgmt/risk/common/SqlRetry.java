package cn.urbanmgmt.risk.common;

import java.sql.SQLException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retrying work that failed for an ordinary reason: a lost connection (SQLState 08...), a serialization
 * failure (40001) or a deadlock (40P01), and, for intake that races a twin request, a unique violation
 * (23505: the twin committed first; the retry finds its row). Each attempt must be a whole transaction.
 */
public final class SqlRetry {

    private static final Logger LOG = Logger.getLogger(SqlRetry.class);

    private SqlRetry() {
    }

    /** The SQLState of the first SQLException in the cause chain, or null. */
    public static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) return s.getSQLState();
            if (c instanceof org.hibernate.exception.JDBCConnectionException) return "08000";
        }
        return null;
    }

    /** Connection lost, serialization failure or deadlock: trying again may well succeed. */
    public static boolean isTransient(Throwable t) {
        String state = sqlState(t);
        return state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.equals("57P01"));
    }

    public static boolean isUniqueViolation(Throwable t) {
        return "23505".equals(sqlState(t));
    }

    /** Transient failures and unique violations: what a twin request racing this one causes. */
    public static boolean isRace(Throwable t) {
        return isTransient(t) || isUniqueViolation(t);
    }

    /**
     * Runs {@code work}, again after a back-off (100 ms, doubling) while it fails with an exception that
     * {@code retryable} accepts, at most {@code attempts} times in all.
     */
    public static <T> T run(String what, int attempts, Predicate<Throwable> retryable, Supplier<T> work) {
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !retryable.test(e)) throw e;
                LOG.infof("%s: attempt %d failed (SQLState %s), retrying in %d ms", what, attempt, sqlState(e), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
