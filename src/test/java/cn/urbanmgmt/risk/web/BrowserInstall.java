package cn.urbanmgmt.risk.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Obtains Debian's Chromium, chromedriver and CJK fonts when they are missing, so that {@code ./mvnw verify}
 * passes on a fresh Debian machine with only JDK 17 installed. Runs at most once per test JVM; needs root
 * and apt-get (as on the project's machines). Where it cannot install, {@link Browser} fails with the command.
 */
final class BrowserInstall {

    private static final List<String> PACKAGES = List.of("chromium", "chromium-driver", "fonts-noto-cjk");
    private static boolean attempted;

    private BrowserInstall() {
    }

    static synchronized void ensureInstalled(Path chromium, Path chromedriver) {
        if (attempted || (Files.isExecutable(chromium) && Files.isExecutable(chromedriver))) {
            return;
        }
        attempted = true;
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        System.out.println("[browser tests] Chromium is missing: installing " + PACKAGES + " with apt-get");
        run(List.of("apt-get", "update", "-qq"));
        run(concat(List.of("apt-get", "install", "-y", "-qq"), PACKAGES));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            System.out.println("[browser tests] could not run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
