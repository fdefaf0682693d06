package dev.vesper.api.optim;

import dev.vesper.api.tensor.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates optimizers of one kind. Registered as a service with {@link #PROPERTY} set to the name
 * that users type ({@code adamw}, {@code velvet}); third-party bundles add their own.
 */
@ConsumerType
public interface OptimizerFactory {
    /** Service property naming the optimizer, for example {@code vesper.optimizer=velvet}. */
    String PROPERTY = "vesper.optimizer";

    String name();

    /**
     * An optimizer over {@code parameters} (only the trainable ones are stepped). {@code options}
     * holds hyperparameters by name ({@code lr}, {@code beta1}, {@code beta2}, {@code eps},
     * {@code weight_decay}, and the optimizer's own), as numbers, booleans or strings. Before a run starts,
     * the trainer checks its options by asking for an optimizer over no parameters.
     *
     * @throws IllegalArgumentException naming the option at fault: unknown, or out of range
     */
    Optimizer create(List<Parameter> parameters, Map<String, Object> options);
}
