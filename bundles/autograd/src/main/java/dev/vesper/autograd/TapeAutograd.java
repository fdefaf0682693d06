package dev.vesper.autograd;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.ComputeBackend;
import dev.vesper.autograd.internal.BufferPool;
import dev.vesper.autograd.internal.TapeGraph;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The autograd engine: graphs that record a tape of backend kernel calls and replay their
 * backward kernels in reverse. All graphs of one engine share a buffer pool, so the buffers one
 * training step releases serve the next.
 *
 * <p>Outside OSGi: {@code Autograd ag = new TapeAutograd(new CpuBackend());}
 */
@Component(service = Autograd.class)
public class TapeAutograd implements Autograd {
    /** Floats the pool keeps at most while idle (system property {@code vesper.pool.maxFloats}); 1 Gi floats by default. */
    private static final long MAX_POOLED = Long.getLong("vesper.pool.maxFloats", 1L << 30);

    private final ComputeBackend backend;
    private final BufferPool pool = new BufferPool(MAX_POOLED);

    /** Computes with {@code backend}; as a component, with the highest-ranked backend service. */
    @Activate
    public TapeAutograd(@Reference(name = "backend", policyOption = ReferencePolicyOption.GREEDY) ComputeBackend backend) {
        this.backend = backend;
    }

    @Override
    public Graph record(long seed) {
        return new TapeGraph(backend, pool, true, seed);
    }

    @Override
    public Graph noGrad() {
        return new TapeGraph(backend, pool, false, 0L);
    }

    @Override
    public ComputeBackend backend() {
        return backend;
    }

    /** Arrays the buffer pool has allocated so far: flat across steady-state steps (the allocation evidence). */
    public long pooledAllocations() {
        return pool.newArrays();
    }

    /** Floats held by those arrays. */
    public long pooledAllocatedFloats() {
        return pool.newFloats();
    }
}
