package cn.urbanmgmt.risk.grading.engine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Makes Netty safe to run under the rule run-time guard (a security manager). With one installed, Netty
 * frees direct buffers through the privileged action {@code io.netty.util.internal.CleanerJava9$2}, whose
 * original calls an accessor that Quarkus' build-time rewrite of {@code CleanerJava9} removes: the event
 * loop then fails with {@code NoSuchMethodError} on large requests and connections are dropped.
 *
 * <p>The original class is removed from netty-common ({@code quarkus.class-loading.removed-resources} in
 * application.properties) and the service's own version (same name, constructor and effect, source in
 * {@code src/main/java/io/netty/util/internal}) takes its place. Where Netty's class loader cannot see the
 * service's classes (test and dev mode load libraries in a parent loader), the class is defined in Netty's
 * package through a private lookup, before the guard is installed.
 */
final class NettyCleanerPatch {

    static final String CLASS = "io.netty.util.internal.CleanerJava9$2";

    private NettyCleanerPatch() {
    }

    /** Ensures Netty's loader resolves the patched class; null when done, else why it could not be. */
    static String apply() {
        Class<?> anchor;
        try {
            anchor = Class.forName("io.netty.util.internal.PlatformDependent0", false, io.netty.buffer.ByteBuf.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null; // no Netty, nothing to patch
        }
        ClassLoader netty = anchor.getClassLoader();
        try {
            Class<?> existing = Class.forName(CLASS, false, netty);
            return patched(existing) ? null : "Netty's original " + CLASS + " is still on the class path";
        } catch (ClassNotFoundException notVisible) {
            // define it below
        }
        try (InputStream in = NettyCleanerPatch.class.getClassLoader().getResourceAsStream(CLASS.replace('.', '/') + ".class")) {
            if (in == null) return "the patched " + CLASS + " is missing from the service";
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
            return patched(lookup.defineClass(in.readAllBytes())) ? null : "could not define the patched " + CLASS;
        } catch (IOException | IllegalAccessException | LinkageError e) {
            return "could not define the patched " + CLASS + ": " + e;
        }
    }

    /** The service's version has a {@code buffer} field; Netty's original has {@code val$buffer}. */
    private static boolean patched(Class<?> type) {
        try {
            type.getDeclaredField("buffer");
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }
}
