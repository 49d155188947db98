package cn.urbanmgmt.risk.common.tabular;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Imports spool to temporary files (the uploaded workbook, its shared strings, the full error report) and
 * delete them when done; a process killed mid-import (kill -9, power loss) leaves them behind. At start-up,
 * such files older than a day are removed: no import runs that long (the longest transaction is 900 s), so a
 * file that old belongs to no running instance, even one sharing the temporary directory.
 */
@ApplicationScoped
public class StaleTempFiles {

    private static final Logger LOG = Logger.getLogger(StaleTempFiles.class);
    static final List<String> PREFIXES = List.of("import-", "xlsx-strings-", "xlsx-string-ends-");
    static final Duration MAX_AGE = Duration.ofDays(1);

    void onStart(@Observes StartupEvent event) {
        int removed = removeStale(Path.of(System.getProperty("java.io.tmpdir")), Instant.now().minus(MAX_AGE));
        if (removed > 0) LOG.infof("Removed %d temporary import file(s) left by an earlier run", removed);
    }

    /** Deletes this service's temporary files in {@code dir} last modified before {@code cutoff}; returns how many. */
    static int removeStale(Path dir, Instant cutoff) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> isOurs(f.getFileName().toString()))) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f) && Files.getLastModifiedTime(f).toInstant().isBefore(cutoff) && Files.deleteIfExists(f)) removed++;
                } catch (IOException e) {
                    LOG.debugf("Could not remove %s: %s", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("Could not look for stale temporary files in %s: %s", dir, e.getMessage());
        }
        return removed;
    }

    private static boolean isOurs(String name) {
        for (String p : PREFIXES) if (name.startsWith(p)) return true;
        return false;
    }
}
