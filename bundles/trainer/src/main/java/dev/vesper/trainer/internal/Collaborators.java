package dev.vesper.trainer.internal;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.data.DataService;
import dev.vesper.api.data.TokenizerFactory;
import dev.vesper.api.io.CheckpointStore;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.ModelFactory;
import dev.vesper.api.optim.OptimizerFactory;
import dev.vesper.api.train.TrainingListener;
import java.util.Objects;
import java.util.function.Function;

/**
 * The services a job works with. Optimizers and activations are looked up by name at every step
 * boundary (they come and go with their bundles); the lookups return null for a name not installed.
 */
public record Collaborators(Autograd autograd, ModelFactory models, TokenizerFactory tokenizers, DataService data,
                            CheckpointStore checkpoints, Function<String, OptimizerFactory> optimizers,
                            Function<String, Activation> activations, Iterable<TrainingListener> listeners) {
    public Collaborators {
        Objects.requireNonNull(autograd, "autograd");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(tokenizers, "tokenizers");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(optimizers, "optimizers");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(listeners, "listeners");
    }
}
