package dev.vesper.api.tensor;

import dev.vesper.api.model.Activation;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernels of one compute device: the SPI that the CPU bundle and a CUDA bundle implement.
 *
 * <p>Each backend registers itself as a service with {@link #PROPERTY} (its name) and a
 * {@code service.ranking}; consumers take the highest-ranked one. The CPU backend is always present.
 * Kernels write into caller-supplied outputs and allocate nothing large, so that a training step
 * can reuse its buffers. Shapes follow {@code ../shared/spec/VESPERLM.md}.
 *
 * <p>Conventions shared by all kernels:
 * <ul>
 * <li>Forward kernels <em>overwrite</em> their output. Backward kernels (the {@code *Backward}
 * methods and {@link #accumulate}) <em>add</em> into their gradient outputs, so that a tensor used
 * twice collects both contributions. A {@code null} gradient output means "not needed".</li>
 * <li>"Rows" are the slices of the last dimension: a tensor of shape {@code [..., C]} has
 * {@code size / C} rows of {@code C} values.</li>
 * <li>"Broadcast over leading dimensions": {@code b}'s shape is a suffix of {@code a}'s, and
 * {@code b} repeats across {@code a}'s remaining leading dimensions.</li>
 * <li>Randomness (dropout) is a pure function of {@code seed} and the element's index, so that a
 * backward pass regenerates the forward's mask without storing it, and the same seed gives the
 * same result on every backend and thread count.</li>
 * <li>A shape mismatch throws {@link IllegalArgumentException} naming the kernel and both shapes.</li>
 * </ul>
 */
@ProviderType
public interface ComputeBackend {
    /** Service property naming the backend, for example {@code vesper.backend=cpu}. */
    String PROPERTY = "vesper.backend";

    /** The backend's name: {@code cpu}, {@code cuda}. */
    String name();

    /** What the backend runs on, for {@code vesper:info}: device, vector path, threads. */
    String describe();

    // ---- dense algebra ------------------------------------------------------------------------

    /**
     * {@code c = op(a)·op(b) + beta·c}, where {@code op} transposes the last two dimensions when asked.
     * Leading dimensions are batch dimensions; a 2-D operand is broadcast across the other's batch.
     * When both operands are batched and {@code c} is 2-D, the batch's products are summed into
     * {@code c} (the gradient of a broadcast operand). {@code beta == 0} overwrites {@code c}
     * whatever it held (NaN included).
     */
    void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor c, float beta);

    // ---- elementwise ---------------------------------------------------------------------------

    /** {@code out = a + b}, {@code b} broadcast over {@code a}'s leading dimensions. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a ⊙ b}, {@code b} broadcast over {@code a}'s leading dimensions. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = s·a}. */
    void scale(Tensor a, float s, Tensor out);

    /**
     * {@code dst += s·src}, where either size may be a multiple of the other: a larger {@code src}
     * is summed over its repeats (the backward of a broadcast), a smaller one is broadcast.
     */
    void accumulate(Tensor src, float s, Tensor dst);

    /** Backward of {@link #mul}: {@code da += dy ⊙ b}, {@code db += Σ_repeats dy ⊙ a}. */
    void mulBackward(Tensor dy, Tensor a, Tensor b, Tensor da, Tensor db);

    /** {@code out[0] = Σ a}, in fixed chunks combined in double precision: the same order whatever the thread count. */
    void sum(Tensor a, Tensor out);

    // ---- embeddings, normalisation, heads -----------------------------------------------------

    /** {@code out[r] = table[ids[r]]}: {@code table [V, D]}, {@code ids [...]}, {@code out [..., D]}. */
    void embedding(Tensor table, IntTensor ids, Tensor out);

    /** Scatter-add: {@code dTable[ids[r]] += dOut[r]}. */
    void embeddingBackward(Tensor dOut, IntTensor ids, Tensor dTable);

    /**
     * LayerNorm over rows with biased variance: {@code out = (x − μ)·rstd·w + b}. Saves per row
     * {@code mean} and {@code rstd = 1/sqrt(var + eps)} (both {@code [rows]}) for the backward.
     */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out, Tensor mean, Tensor rstd);

    /** Backward of {@link #layerNorm}. */
    void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                           Tensor dx, Tensor dWeight, Tensor dBias);

    /** {@code x [B, T, H·hd]} to {@code out [B, H, T, hd]}; adds into {@code out} when {@code accumulate}. */
    void splitHeads(Tensor x, Tensor out, boolean accumulate);

    /** {@code x [B, H, T, hd]} to {@code out [B, T, H·hd]}; adds into {@code out} when {@code accumulate}. */
    void mergeHeads(Tensor x, Tensor out, boolean accumulate);

    /** Rotate-half RoPE (spec §2) on {@code x [B, H, T, hd]}; row {@code t} sits at {@code t + positionOffset}. */
    void rope(Tensor x, int positionOffset, float theta, Tensor out);

    /** Backward of {@link #rope} (the inverse rotation), added into {@code dx}. */
    void ropeBackward(Tensor dy, int positionOffset, float theta, Tensor dx);

    // ---- attention and softmax -----------------------------------------------------------------

    /**
     * Fused causal attention: {@code q [B, H, Tq, hd]}, {@code k, v [B, H, Tk, hd]}, {@code Tk ≥ Tq};
     * query {@code i} sits at position {@code Tk − Tq + i} and sees keys {@code 0..Tk − Tq + i}.
     * Scores are scaled by {@code 1/sqrt(hd)}; with {@code dropout > 0} the probabilities are
     * dropped (inverted dropout) by a mask drawn from {@code seed}. Writes {@code out [B, H, Tq, hd]}
     * and, unless {@code null}, the log-sum-exp of each query's scores {@code lse [B, H, Tq]}, which
     * is all the backward needs besides the inputs.
     */
    void attention(Tensor q, Tensor k, Tensor v, float dropout, long seed, Tensor out, Tensor lse);

    /** Backward of {@link #attention}, recomputing the probabilities from {@code lse}. */
    void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut,
                           float dropout, long seed, Tensor dq, Tensor dk, Tensor dv);

    /** Softmax over rows. */
    void softmax(Tensor x, Tensor out);

    /** Backward of {@link #softmax} given its output {@code y}. */
    void softmaxBackward(Tensor y, Tensor dy, Tensor dx);

    // ---- regularisation, gating, activations ---------------------------------------------------

    /** Inverted dropout: each element kept with probability {@code 1 − p} and scaled by {@code 1/(1 − p)}. */
    void dropout(Tensor x, float p, long seed, Tensor out);

    /** Backward of {@link #dropout}: the same mask, regenerated from {@code seed}. */
    void dropoutBackward(Tensor dy, float p, long seed, Tensor dx);

    /**
     * Per row keeps the {@code k} entries whose {@code x + bias} is largest (ties: the lower index
     * wins) and zeroes the rest; {@code bias} has the row's length.
     */
    void topK(Tensor x, Tensor bias, int k, Tensor out);

    /** Backward of {@link #topK}: {@code dx += dy} at the kept entries. */
    void topKBackward(Tensor x, Tensor bias, int k, Tensor dy, Tensor dx);

    /**
     * Applies an activation service row by row, splitting the rows across the backend's threads.
     * {@code x} and {@code out} must start at offset 0 (the {@link Activation} contract).
     */
    void activation(Activation activation, Tensor x, Tensor out, Map<String, Double> options);

    /** The activation's backward; {@code dx} is <em>overwritten</em>, as {@link Activation#backward} does. */
    void activationBackward(Activation activation, Tensor x, Tensor dy, Tensor dx, Map<String, Double> options);

    // ---- loss ----------------------------------------------------------------------------------

    /**
     * Fused log-softmax cross-entropy of {@code logits [..., V]} against {@code targets [...]};
     * targets equal to {@code ignoreIndex} count for nothing. Writes {@code result [3]}:
     * the mean loss, the mean predictive entropy (nats) and the number of counted positions (both
     * means over counted positions; 0 when none is counted). Unless {@code null}, {@code dLogits}
     * is overwritten with the gradient of the mean loss, {@code (softmax − onehot)/counted}, zero
     * on ignored rows.
     */
    void crossEntropy(Tensor logits, IntTensor targets, int ignoreIndex, Tensor result, Tensor dLogits);
}
