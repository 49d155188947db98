package cn.urbanmgmt.risk.common;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.function.Predicate;

/**
 * Replaces one class of a library by the service's own version of it (same name, source under
 * {@code src/main/java/<library package>}). In the packaged service the library's original is removed with
 * {@code quarkus.class-loading.removed-resources}, so the one class loader finds only the service's version.
 * In test and dev mode libraries are loaded by a parent class loader that cannot see the service's classes:
 * there the service's version is defined in the library's package through a private lookup, which must happen
 * before the library first loads the class.
 */
public final class ClassPatch {

    private ClassPatch() {
    }

    /**
     * Ensures that the loader of {@code anchor} (a class in the same package as {@code className}) resolves the
     * service's version; {@code isPatched} tells the service's version from the original.
     *
     * @return null when the patched class is in place, else why it is not
     */
    public static String apply(Class<?> anchor, String className, Predicate<Class<?>> isPatched) {
        ClassLoader library = anchor.getClassLoader();
        try {
            Class<?> existing = Class.forName(className, false, library);
            return isPatched.test(existing) ? null : "the library's original " + className + " is in use";
        } catch (ClassNotFoundException notVisible) {
            // define it below
        } catch (LinkageError e) {
            return "could not load " + className + ": " + e;
        }
        try (InputStream in = ClassPatch.class.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) return "the patched " + className + " is missing from the service";
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
            return isPatched.test(lookup.defineClass(in.readAllBytes())) ? null : "could not define the patched " + className;
        } catch (IOException | IllegalAccessException | LinkageError e) {
            return "could not define the patched " + className + ": " + e;
        }
    }

    /** True when the class declares the named method or field, a mark only the service's version carries. */
    public static boolean declares(Class<?> type, String member) {
        for (var m : type.getDeclaredMethods()) {
            if (m.getName().equals(member)) return true;
        }
        for (var f : type.getDeclaredFields()) {
            if (f.getName().equals(member)) return true;
        }
        return false;
    }
}
