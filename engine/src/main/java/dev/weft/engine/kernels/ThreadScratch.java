package dev.weft.engine.kernels;

/**
 * A per-thread float buffer that grows to the largest size asked for and is reused from call to call.
 * Kernels use it for packed operands and partial results: allocating them fresh cost 3-10 % of a
 * convolution (the JVM zeroes every new array, and on these VMs a page's first touch is ~10x slower
 * than a reused one). A buffer stays allocated with the thread that used it.
 */
final class ThreadScratch {
    private final ThreadLocal<float[][]> holder = ThreadLocal.withInitial(() -> new float[1][0]);

    /** The calling thread's buffer, at least size floats; its contents are arbitrary. */
    float[] get(int size) {
        float[][] h = holder.get();
        if (h[0].length < size) h[0] = new float[size];
        return h[0];
    }
}
