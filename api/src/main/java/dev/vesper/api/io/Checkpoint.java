package dev.vesper.api.io;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.optim.OptimizerState;
import dev.vesper.api.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint directory's contents (spec section 7). Only the model weights, configuration and
 * tokenizer are required; a checkpoint for inference has no optimizer or trainer state.
 */
public final class Checkpoint {
    private final ModelConfig config;
    private final Map<String, Tensor> model;
    private final Map<String, Tensor> adapter;
    private final OptimizerState optimizer;
    private final String trainerJson;
    private final String tokenizerJson;

    public Checkpoint(ModelConfig config, Map<String, Tensor> model, Map<String, Tensor> adapter,
                      OptimizerState optimizer, String trainerJson, String tokenizerJson) {
        this.config = config;
        this.model = Map.copyOf(model);
        this.adapter = adapter == null ? Map.of() : Map.copyOf(adapter);
        this.optimizer = optimizer;
        this.trainerJson = trainerJson;
        this.tokenizerJson = tokenizerJson;
    }

    public ModelConfig config() { return config; }

    /** Base weights by spec name (without any adapter merged in). */
    public Map<String, Tensor> model() { return model; }

    /** Adapter weights by spec name; empty without an adapter. */
    public Map<String, Tensor> adapter() { return adapter; }

    /** Optimizer state, or null. */
    public OptimizerState optimizer() { return optimizer; }

    /** {@code trainer.json} text (step, epoch, data position, RNG, schedule, metrics), or null. */
    public String trainerJson() { return trainerJson; }

    /** The Hugging Face {@code tokenizer.json} text. */
    public String tokenizerJson() { return tokenizerJson; }

    /**
     * Puts these weights into {@code model}: all of the base weights, then the adapter's where both the
     * checkpoint's configuration and the model have one (a model given an adapter the checkpoint lacks,
     * to fine-tune, keeps its fresh one; a checkpoint whose configuration has an adapter but no adapter
     * weights is refused).
     *
     * @param from the checkpoint folder the weights came from, which errors name with the file
     * @throws IllegalArgumentException naming the file and tensor that do not fit the model
     */
    public void loadInto(LanguageModel model, Path from) {
        model.loadWeights(this.model, false, false, from.resolve(CheckpointLayout.MODEL).toString());
        if (config.hasAdapter() && model.config().hasAdapter()) {
            model.loadWeights(adapter, true, false, from.resolve(CheckpointLayout.ADAPTER).toString());
        }
    }
}
