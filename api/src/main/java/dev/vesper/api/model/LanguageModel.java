package dev.vesper.api.model;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** A VesperLM instance: weights, forward pass and generation (spec sections 2 to 4). */
@ProviderType
public interface LanguageModel {
    ModelConfig config();

    /** Every parameter, base and adapter, named as in spec section 7. */
    List<Parameter> parameters();

    /** The parameters that train: all base weights, or only the adapter's when one is on. */
    List<Parameter> trainableParameters();

    /** The final hidden states after the last LayerNorm, {@code [B, T, D]}. */
    Tensor hidden(Graph graph, IntTensor ids);

    /** Logits {@code [B, T, V]} for token ids {@code [B, T]}. */
    Tensor forward(Graph graph, IntTensor ids);

    /** Logits from final hidden states, {@code [B, T, D]} to {@code [B, T, V]}. */
    Tensor head(Graph graph, Tensor hidden);

    /** Work after each optimizer step, such as the FlyLoRA expert-bias update. */
    void afterStep();

    /**
     * Forgets what the forward passes since the last step gathered for {@link #afterStep}, because
     * their step was skipped (a non-finite loss or gradient): a skipped step leaves no trace.
     *
     * @since 1.3
     */
    default void afterSkippedStep() {
    }

    /**
     * Continues {@code prompt} with a KV cache, streaming each new token to {@code sink}; returns the
     * generated ids (without the prompt). The activation is resolved once for the whole call.
     */
    int[] generate(int[] prompt, SamplingOptions options, TokenSink sink);

    /** Base weights by spec name (live tensors, not copies); with {@code adapter}, the adapter's instead. */
    Map<String, Tensor> weights(boolean adapter);

    /**
     * Copies weights into the model. Every name must exist with the same shape; with
     * {@code partial = false} every weight of that kind must be present.
     *
     * @throws IllegalArgumentException naming {@code source} and the tensor at fault
     */
    void loadWeights(Map<String, Tensor> weights, boolean adapter, boolean partial, String source);

    /** Folds the adapter into the base weights and removes it, for export. */
    void mergeAdapter();
}
