package dev.vesper.api.tensor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernels of one compute device: the SPI that the CPU bundle and a CUDA bundle implement.
 *
 * <p>Each backend registers itself as a service with {@link #PROPERTY} (its name) and a
 * {@code service.ranking}; consumers take the highest-ranked one. The CPU backend is always present.
 * Kernels write into caller-supplied outputs and allocate nothing large, so that a training step
 * can reuse its buffers. Shapes follow {@code ../shared/spec/VESPERLM.md}.
 */
@ProviderType
public interface ComputeBackend {
    /** Service property naming the backend, for example {@code vesper.backend=cpu}. */
    String PROPERTY = "vesper.backend";

    /** The backend's name: {@code cpu}, {@code cuda}. */
    String name();

    /** What the backend runs on, for {@code vesper:info}: device, vector path, threads. */
    String describe();

    /**
     * {@code c = op(a)·op(b) + beta·c}, where {@code op} transposes the last two dimensions when asked.
     * Leading dimensions are batch dimensions; a 2-D operand is broadcast across the other's batch.
     */
    void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c, float beta);
}
