package dev.weft.engine.kernels;

import java.util.logging.Logger;

/**
 * Decides once whether the SIMD kernels can be used.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which a JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}. Classes that touch it are
 * loaded only when {@link #ENABLED} is true; otherwise every kernel runs its scalar twin, after one
 * logged line saying how to enable the fast path. Setting {@code -Dweft.vector=false} forces the
 * scalar path (for tests and benchmarks).
 */
public final class VectorSupport {
    private VectorSupport() {}

    /** True when SIMD kernels are in use. */
    public static final boolean ENABLED = detect();

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("weft.vector", "true"))) {
            Logger.getLogger("dev.weft").info("Weft: SIMD kernels disabled by -Dweft.vector=false; using scalar kernels.");
            return false;
        }
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present) {
            Logger.getLogger("dev.weft").warning("Weft: jdk.incubator.vector is not available; using scalar kernels. "
                    + "Start java with --add-modules jdk.incubator.vector for the fast SIMD path.");
        }
        return present;
    }
}
