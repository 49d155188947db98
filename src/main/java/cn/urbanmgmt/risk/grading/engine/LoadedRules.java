package cn.urbanmgmt.risk.grading.engine;

import java.util.List;

/**
 * A compiled rule set of any kind (grading, sampling), shared by reference counting: whoever
 * creates or {@link #tryAcquire acquires} it holds a lease and {@link #release releases} it when
 * done; the last release disposes the Drools container. So a replaced version stays usable by the
 * work still running on it and is freed right after.
 */
public interface LoadedRules {

    String version();

    RuleSource source();

    List<String> ruleNames();

    /** Takes a lease; false when already disposed. */
    boolean tryAcquire();

    /** Gives a lease back; the last one disposes. */
    void release();
}
