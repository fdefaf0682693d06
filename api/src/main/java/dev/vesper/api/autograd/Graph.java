package dev.vesper.api.autograd;

import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A tape of tensor operations and their reverse pass.
 *
 * <p>Every operation returns a new tensor owned by the graph. Leaves are tensors created outside
 * it; gradients reach a leaf only when it {@linkplain Tensor#requiresGrad() requires one}, and
 * accumulate into its {@link Tensor#grad()}. {@link #close()} releases the intermediates and their
 * buffers for reuse by the next graph: copy out any result needed afterwards.
 *
 * <p>Shapes: {@code B} batch, {@code T} time, {@code H} heads, {@code D} model width, {@code V} vocabulary.
 * A mismatch throws {@link IllegalArgumentException} naming the operation and both shapes.
 */
@ProviderType
public interface Graph extends AutoCloseable {

    /** Whether operations are recorded for backward. */
    boolean recording();

    /** {@code op(a)·op(b)} over the last two dimensions; leading dimensions are batched or broadcast. */
    Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB);

    /** {@code x·wᵀ}: {@code x [..., in]}, {@code w [out, in]}, result {@code [..., out]}. */
    Tensor linear(Tensor x, Tensor w);

    /** Elementwise sum; {@code b} may have fewer leading dimensions and is broadcast over them. */
    Tensor add(Tensor a, Tensor b);

    /** Elementwise product, broadcasting {@code b} as {@link #add} does. */
    Tensor mul(Tensor a, Tensor b);

    /** {@code a·s}. */
    Tensor scale(Tensor a, float s);

    /** The sum of all elements, a scalar tensor of shape {@code [1]}. */
    Tensor sum(Tensor a);

    /** The mean of all elements, shape {@code [1]}. */
    Tensor mean(Tensor a);

    /** Rows of {@code table [V, D]} picked by {@code ids [...]}: result {@code [..., D]}. Backward scatter-adds. */
    Tensor embedding(Tensor table, IntTensor ids);

    /** LayerNorm over the last dimension with weight and bias (biased variance). */
    Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps);

    /** {@code [B, T, H·hd]} to {@code [B, H, T, hd]}. */
    Tensor splitHeads(Tensor x, int heads);

    /** {@code [B, H, T, hd]} to {@code [B, T, H·hd]}. */
    Tensor mergeHeads(Tensor x);

    /** Rotate-half RoPE on {@code [B, H, T, hd]}; position of row {@code t} is {@code t + positionOffset}. */
    Tensor rope(Tensor x, int positionOffset, float theta);

    /**
     * Fused causal attention on {@code q [B, H, Tq, hd]}, {@code k, v [B, H, Tk, hd]} with {@code Tk ≥ Tq}:
     * query {@code i} sits at position {@code Tk − Tq + i} and sees keys up to it. Scores are scaled by
     * {@code 1/sqrt(hd)}; attention dropout with probability {@code dropout} applies while recording.
     */
    Tensor causalAttention(Tensor q, Tensor k, Tensor v, float dropout);

    /** Softmax over the last dimension. */
    Tensor softmax(Tensor x);

    /** Inverted dropout with the graph's seeded generator; identity when not recording or {@code p == 0}. */
    Tensor dropout(Tensor x, float p);

    /** An activation service applied row by row over the last dimension, with its own backward. */
    Tensor activation(Tensor x, Activation activation, Map<String, Double> options);

    /**
     * Per row of the last dimension, keeps the {@code k} entries whose {@code x + bias} is largest
     * (by signed value) and zeroes the rest; the gradient passes through the kept entries only.
     * {@code bias} has the size of the last dimension and receives no gradient.
     */
    Tensor topK(Tensor x, Tensor bias, int k);

    /**
     * Mean cross-entropy of {@code logits [..., V]} against {@code targets [...]}, fused with
     * log-softmax; targets equal to {@code ignoreIndex} count for nothing.
     */
    CrossEntropy crossEntropy(Tensor logits, IntTensor targets, int ignoreIndex);

    /** Runs the reverse pass from a scalar (shape {@code [1]}), seeding its gradient with 1. */
    void backward(Tensor scalar);

    /** Releases intermediates; their buffers return to the engine's pool. */
    @Override
    void close();
}
