package cn.urbanmgmt.risk.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** The work of one job type. Implementations are CDI beans; the worker finds them by {@link #type()}. */
public interface JobHandler {

    String type();

    /**
     * Processes merchants with ids in [fromId, toId]. Must call {@code complete} inside the same
     * database transaction as its writes, so that a chunk's effect and its DONE mark commit together.
     */
    void processChunk(Job job, long fromId, long toId, ChunkCompletion complete);

    /** Runs once, after the last chunk is done (e.g. to write summaries). */
    default Map<String, Object> finish(Job job) {
        return Map.of();
    }

    /** Marks the chunk done within the caller's transaction; throws if this instance lost the chunk. */
    interface ChunkCompletion {
        void complete(Connection c, int processed, Map<String, Object> result) throws SQLException;
    }
}
