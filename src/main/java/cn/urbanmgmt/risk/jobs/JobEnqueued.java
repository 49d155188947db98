package cn.urbanmgmt.risk.jobs;

/** Fired when a job with chunks to run is stored; this instance's idle workers wake once it is committed. */
public record JobEnqueued(long jobId) {
}
