package cn.urbanmgmt.risk.grading.engine;

import java.io.File;
import java.io.FilePermission;
import java.net.SocketPermission;
import java.security.Permission;
import java.util.concurrent.ForkJoinPool;
import org.jboss.logging.Logger;

/**
 * Defence in depth behind {@link DrlSandbox}: while a thread evaluates rule code (inserting facts,
 * whose constraints run then, and firing rules), a forbidden call that slipped past the static check
 * still cannot exit or halt the JVM, start a process, touch the file system (write, delete, or read
 * anything but class files and jars, which the JVM may load lazily), open or accept a socket,
 * replace this guard, set the standard streams or load native code. It is a
 * {@link SecurityManager} (Java 17; see docs/rule-sandbox.md for later Java versions) that does
 * nothing at all outside rule code: each permission check costs one thread-local read, and only
 * when the evaluating thread is inside {@link #enter()}/{@link #exit()} can it refuse.
 *
 * <p>Installed once per JVM by the engine when it is first used ({@code -Dapp.rules.runtime-guard=false}
 * turns it off). Netty's direct-buffer cleaner needs a patched class under a security manager in Quarkus
 * ({@code io.netty.util.internal.CleanerJava9$2}, see there). Where the JVM does not allow a security manager (Java 18+ without
 * {@code -Djava.security.manager=allow}), it logs why and the static check stands alone.
 */
public final class RuleGuard extends SecurityManager {

    private static final Logger LOG = Logger.getLogger(RuleGuard.class);
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final String JAVA_HOME = new File(System.getProperty("java.home")).getAbsolutePath();
    private static volatile Boolean installed;
    private static volatile String unavailable;

    private RuleGuard() {
    }

    /** Installs the guard if it is not installed yet; true when it is in force. */
    public static boolean install() {
        Boolean done = installed;
        if (done != null) return done;
        synchronized (RuleGuard.class) {
            if (installed != null) return installed;
            if ("false".equalsIgnoreCase(System.getProperty("app.rules.runtime-guard"))) {
                unavailable = "turned off with -Dapp.rules.runtime-guard=false";
                LOG.warnf("Rule run-time guard %s; the static allow-list (DrlSandbox) stands alone.", unavailable);
                installed = false;
                return false;
            }
            SecurityManager current = System.getSecurityManager();
            if (current instanceof RuleGuard) {
                installed = true;
                return true;
            }
            if (current != null) {
                unavailable = "another security manager is installed: " + current.getClass().getName();
                LOG.warnf("Rule run-time guard not installed: %s", unavailable);
                installed = false;
                return false;
            }
            String nettyProblem = NettyCleanerPatch.apply();
            if (nettyProblem != null) {
                // Installing anyway would drop large requests (see NettyCleanerPatch): the static check stands alone.
                unavailable = "Netty is not ready for a security manager: " + nettyProblem;
                LOG.warnf("Rule run-time guard not installed: %s", unavailable);
                installed = false;
                return false;
            }
            try {
                // The common pool picks its thread factory when first used: let it do so without a security manager.
                ForkJoinPool.commonPool();
                System.setSecurityManager(new RuleGuard());
                installed = true;
                LOG.info("Rule run-time guard installed: rule code cannot exit the JVM, start processes, use files or sockets");
            } catch (UnsupportedOperationException | SecurityException e) {
                unavailable = "the JVM does not allow a security manager (" + e.getMessage()
                        + "); on Java 18+ start it with -Djava.security.manager=allow";
                LOG.warnf("Rule run-time guard not installed: %s. The static allow-list (DrlSandbox) still refuses forbidden rule code.", unavailable);
                installed = false;
            }
            return installed;
        }
    }

    /** Whether the guard is in force; else {@link #unavailable()} says why. */
    public static boolean active() {
        return Boolean.TRUE.equals(installed);
    }

    public static String unavailable() {
        return unavailable;
    }

    /** The current thread starts running rule code. Always pair with {@link #exit()} in a finally block. */
    public static void enter() {
        DEPTH.get()[0]++;
    }

    public static void exit() {
        DEPTH.get()[0]--;
    }

    /** Whether the current thread is inside rule code. */
    public static boolean inRuleCode() {
        return DEPTH.get()[0] > 0;
    }

    @Override
    public void checkPermission(Permission perm) {
        if (DEPTH.get()[0] > 0) check(perm);
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        if (DEPTH.get()[0] > 0) check(perm);
    }

    private static void check(Permission perm) {
        if (perm instanceof RuntimePermission) {
            String name = perm.getName();
            if (name.startsWith("exitVM")) throw refused("退出 Java 虚拟机", perm);
            if (name.equals("setSecurityManager") || name.equals("createSecurityManager")) throw refused("更换安全管理器", perm);
            // Not loadLibrary: the JDK loads its own native code lazily (first socket, first zip); refusing it would break that class for everyone.
            if (name.equals("setIO") || name.equals("writeFileDescriptor") || name.equals("readFileDescriptor")) {
                throw refused("使用本地资源", perm);
            }
        } else if (perm instanceof FilePermission) {
            String actions = perm.getActions();
            if (actions.contains("execute")) throw refused("启动进程", perm);
            if (actions.contains("write") || actions.contains("delete")) throw refused("写入或删除文件", perm);
            if (!loadable(perm.getName())) throw refused("读取文件", perm);
        } else if (perm instanceof SocketPermission) {
            throw refused("打开网络连接", perm);
        }
    }

    /** Files the JVM itself may read while a rule runs: class files and jars (lazy class loading), the JDK. */
    private static boolean loadable(String path) {
        return path.endsWith(".class") || path.endsWith(".jar") || new File(path).getAbsolutePath().startsWith(JAVA_HOME);
    }

    private static SecurityException refused(String what, Permission perm) {
        return new SecurityException("规则代码不能" + what + "（" + perm.getName() + "）：已被运行时防护拒绝");
    }
}
