package cn.urbanmgmt.risk.grading.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The text of a rule set: DRL file path (relative to rules/, e.g. "grading/10-static-risk.drl") to
 * content, and the test scenarios that go with it ("tests/20-cases.yaml" to content). Its version
 * is the SHA-256 of the DRL paths and contents only, so the same rules always have the same
 * version; the tests travel with the version but do not change what it grades.
 */
public record RuleSource(SortedMap<String, String> files, SortedMap<String, String> tests, String hash) {

    /** Folder under rules/ that holds the scenarios. */
    public static final String TESTS = "tests";
    /** The first rule kind: its scenarios sit directly in tests/; every other kind's in tests/&lt;kind&gt;/. */
    public static final String GRADING = "grading";

    public static RuleSource of(Map<String, String> files) {
        return of(files, Map.of());
    }

    public static RuleSource of(Map<String, String> files, Map<String, String> tests) {
        SortedMap<String, String> sorted = new TreeMap<>(files);
        return new RuleSource(Collections.unmodifiableSortedMap(sorted), Collections.unmodifiableSortedMap(new TreeMap<>(tests)), hash(sorted));
    }

    /** A rule or scenario file on disk that is not UTF-8: which file, and the line of the first bad byte. */
    public static final class UnreadableFile extends IllegalStateException {
        private final String file;
        private final int line;

        UnreadableFile(String file, int line, String message) {
            super(message);
            this.file = file;
            this.line = line;
        }

        /** Path relative to rules/, e.g. "grading/20-cases.drl". */
        public String file() {
            return file;
        }

        public int line() {
            return line;
        }
    }

    /**
     * The .drl files under {@code rulesDir/kind} (e.g. rules/grading) and the scenarios of that kind
     * (see {@link #testsFolder}): for grading, rules/tests without the subfolders of other kinds
     * (rules/tests/sampling belongs to rules/sampling).
     */
    public static RuleSource fromDirectory(Path rulesDir, String kind) {
        Path dir = rulesDir.resolve(kind);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("rule folder not found: " + dir.toAbsolutePath());
        }
        Path tests = rulesDir.resolve(testsFolder(kind));
        return of(read(rulesDir, dir, p -> true, ".drl"), read(rulesDir, tests, p -> !ofOtherKind(rulesDir, kind, p), ".yaml", ".yml"));
    }

    /** Where the scenarios of a kind live, relative to rules/: "tests" for grading, "tests/sampling" for sampling. */
    public static String testsFolder(String kind) {
        return GRADING.equals(kind) ? TESTS : TESTS + "/" + kind;
    }

    /** A file in a subfolder of tests/ named like a rule folder (tests/sampling when rules/sampling exists) belongs to that kind. */
    private static boolean ofOtherKind(Path rulesDir, String kind, Path file) {
        if (!GRADING.equals(kind)) return false;
        Path rel = rulesDir.resolve(TESTS).relativize(file);
        if (rel.getNameCount() < 2) return false;
        String sub = rel.getName(0).toString();
        return !sub.equals(kind) && !sub.equals(TESTS) && Files.isDirectory(rulesDir.resolve(sub));
    }

    private static Map<String, String> read(Path rulesDir, Path dir, java.util.function.Predicate<Path> keep, String... suffixes) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) return files;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.filter(Files::isRegularFile).filter(p -> endsWith(p, suffixes)).filter(keep).sorted().toList()) {
                String name = rulesDir.relativize(p).toString().replace('\\', '/');
                try {
                    files.put(name, RuleText.decode(Files.readAllBytes(p)));
                } catch (RuleText.InvalidUtf8 e) {
                    throw new UnreadableFile(name, e.line(), "文件" + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static boolean endsWith(Path p, String... suffixes) {
        String name = p.getFileName().toString();
        for (String s : suffixes) {
            if (name.endsWith(s)) return true;
        }
        return false;
    }

    /** The same rules with other tests. */
    public RuleSource withTests(Map<String, String> newTests) {
        return of(files, newTests);
    }

    public String shortHash() {
        return hash.substring(0, 12);
    }

    private static String hash(SortedMap<String, String> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            files.forEach((path, content) -> {
                md.update(path.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(content.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            });
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
