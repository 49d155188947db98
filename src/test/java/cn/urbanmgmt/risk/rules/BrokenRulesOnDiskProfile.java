package cn.urbanmgmt.risk.rules;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts the service with a broken copy of rules/ on disk (a missing ")" in grading/20-cases.drl and
 * in sampling/20-risk-strata.drl), on a database that already holds the default rules of both kinds
 * as their active versions, as after an earlier run. The folder watcher is on.
 */
public class BrokenRulesOnDiskProfile implements QuarkusTestProfile {

    public static final Path DIR = brokenCopy();

    static Path brokenCopy() {
        try {
            Path dir = Files.createTempDirectory("broken-rules");
            for (String sub : new String[]{"grading", "tests", "sampling", "tests/sampling"}) {
                Path from = Path.of("rules").resolve(sub);
                Files.createDirectories(dir.resolve(sub));
                try (Stream<Path> files = Files.list(from)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
                }
            }
            Path cases = dir.resolve("grading/20-cases.drl");
            Files.writeString(cases, Files.readString(cases).replace("daysAgo <= 365 )\nthen\n    assessment.addPoints(40", "daysAgo <= 365\nthen\n    assessment.addPoints(40"));
            Path strata = dir.resolve("sampling/20-risk-strata.drl");
            Files.writeString(strata, Files.readString(strata).replace("grade == Grade.GREEN )", "grade == Grade.GREEN"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("app.rules.dir", DIR.toString(), "test.seed-last-good-rules", "rules", "app.rules.watch", "true");
    }
}
