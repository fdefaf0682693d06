package dev.vesper.api.autograd;

import dev.vesper.api.tensor.ComputeBackend;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates graphs. Registered as a service by the autograd engine, which computes with the
 * highest-ranked {@link ComputeBackend}.
 */
@ProviderType
public interface Autograd {
    /** A graph that records operations for {@link Graph#backward}; dropout draws from {@code seed}. */
    Graph record(long seed);

    /** A graph for inference: nothing is recorded, dropout is off. */
    Graph noGrad();

    /** The backend the graphs compute with. */
    ComputeBackend backend();
}
