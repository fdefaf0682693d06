package dev.vesper.cuda.internal;

import dev.vesper.cuda.internal.GemmPlan.Launch;
import java.util.List;

/**
 * A device that runs {@link GemmPlan}s over host arrays: the seam between the backend's choice of
 * where a product runs and the driver calls that run it ({@link CudaDevice}).
 */
public interface GemmDevice {
    /** Name, compute capability and memory, for {@code vesper:info}. */
    String description();

    /** Whether every launch of the plan fits the device's grid. */
    boolean fits(List<Launch> plan);

    /**
     * Runs the plan (offsets count from {@code aOffset}, {@code bOffset}, {@code cOffset}); false,
     * with {@code c} untouched, when the device is closed.
     *
     * {@code c} is written only at the end, so that after a failure it still holds what it held and
     * the host can do the product instead.
     *
     * @throws RuntimeException when the driver fails
     */
    boolean gemm(List<Launch> plan, float[] a, int aOffset, int aSize, float[] b, int bOffset, int bSize,
                 float[] c, int cOffset, int cSize);
}
