package dev.vesper.api.optim;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Updates parameters from their gradients, one step at a time. Not thread-safe: the trainer
 * calls it from its own thread, between two training steps.
 */
@ConsumerType
public interface Optimizer {
    /** The factory name this optimizer came from. */
    String name();

    /** One update from the gradients currently held by the trainable parameters. */
    void step(StepContext context);

    /** What the last step did: effective learning rate, β1, fraction of elements skipped. */
    StepStats lastStats();

    /** The full state (moments, step count, running values), named as spec section 7. */
    OptimizerState exportState();

    /**
     * Restores state exported by this optimizer or by a compatible one (AdamW and Velvet share
     * their moments). A resumed run continues bit-identically.
     *
     * @throws IncompatibleStateException when the state cannot be used; nothing has changed then
     */
    void importState(OptimizerState state);
}
