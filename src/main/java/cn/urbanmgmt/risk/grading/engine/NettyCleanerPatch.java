package cn.urbanmgmt.risk.grading.engine;

import cn.urbanmgmt.risk.common.ClassPatch;

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
        // The service's version has a {@code buffer} field; Netty's original has {@code val$buffer}.
        return ClassPatch.apply(anchor, CLASS, type -> ClassPatch.declares(type, "buffer"));
    }
}
