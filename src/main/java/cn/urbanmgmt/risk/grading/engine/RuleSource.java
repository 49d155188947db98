package cn.urbanmgmt.risk.grading.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The text of a rule set: file path (relative to rules/, e.g. "grading/static-risk.drl") to content.
 * Its version is the SHA-256 of the paths and contents, so the same text always has the same version.
 */
public record RuleSource(SortedMap<String, String> files, String hash) {

    public static RuleSource of(Map<String, String> files) {
        SortedMap<String, String> sorted = new TreeMap<>(files);
        return new RuleSource(java.util.Collections.unmodifiableSortedMap(sorted), hash(sorted));
    }

    /** The .drl files under {@code rulesDir/kind}, e.g. rules/grading. */
    public static RuleSource fromDirectory(Path rulesDir, String kind) {
        Path dir = rulesDir.resolve(kind);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("rule folder not found: " + dir.toAbsolutePath());
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
                files.put(rulesDir.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(files);
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
