package cn.urbanmgmt.risk.common.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary import files a killed process left behind are removed at start-up; fresh ones and others' files stay. */
class StaleTempFilesTest {

    @Test
    void onlyOurOldFilesAreRemoved(@TempDir Path dir) throws Exception {
        Path oldWorkbook = old(Files.createFile(dir.resolve("import-123.xlsx")));
        Path oldStrings = old(Files.createFile(dir.resolve("xlsx-strings-9.bin")));
        Path oldReport = old(Files.createFile(dir.resolve("import-errors-5.csv.gz")));
        Path freshStrings = Files.createFile(dir.resolve("xlsx-string-ends-1.bin"));
        Path someoneElses = old(Files.createFile(dir.resolve("other-tool-1.tmp")));

        assertEquals(3, StaleTempFiles.removeStale(dir, Instant.now().minus(StaleTempFiles.MAX_AGE)));
        assertFalse(Files.exists(oldWorkbook));
        assertFalse(Files.exists(oldStrings));
        assertFalse(Files.exists(oldReport));
        assertTrue(Files.exists(freshStrings), "a file of an import that may still be running stays");
        assertTrue(Files.exists(someoneElses), "files of other programs stay");
    }

    private static Path old(Path f) throws Exception {
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
        return f;
    }
}
