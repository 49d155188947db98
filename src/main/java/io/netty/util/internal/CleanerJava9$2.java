package io.netty.util.internal;

import java.nio.ByteBuffer;
import java.security.PrivilegedAction;

/**
 * Replaces Netty's own {@code CleanerJava9$2} (removed from netty-common by
 * {@code quarkus.class-loading.removed-resources} in application.properties).
 *
 * <p>Why: the rule run-time guard ({@code RuleGuard}) is a security manager. With one installed,
 * Netty frees direct buffers through this privileged action, and the original calls
 * {@code CleanerJava9.access$000()}, a synthetic accessor that Quarkus' build-time rewrite of
 * {@code CleanerJava9} removes; the event loop then dies with {@code NoSuchMethodError} on large
 * request bodies. This version does what the original does (invoke the buffer's cleaner through
 * {@code Unsafe}, as the rewritten {@code CleanerJava9} itself does when no security manager is
 * installed) without the removed accessor. Same name, constructor and contract as the original.
 */
@SuppressWarnings({"removal", "unused"})
final class CleanerJava9$2 implements PrivilegedAction<Exception> {

    private final ByteBuffer buffer;

    CleanerJava9$2(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public Exception run() {
        try {
            PlatformDependent0.UNSAFE.invokeCleaner(buffer);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
