package dev.vesper.model.internal;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FlyLoRA (spec section 4): a frozen sparse projection {@code y = A·x}, the top-k of {@code y + d} by
 * signed value kept, {@code Δ = (α/r)·B·(y ⊙ 1[S])}. The expert bias {@code d} is not trained by
 * gradient: after each step it moves by {@code u·sign(mean(c) − c)}, where {@code c} counts how often
 * each rank was selected over the batch, so that rarely chosen experts become likelier.
 */
final class FlyLoraAdapter extends FfnAdapter {
    static final float BIAS_STEP = 1e-3f;

    final Tensor bias;
    final int k;
    private final long[] counts;

    FlyLoraAdapter(String prefix, Tensor a, Tensor b, Tensor bias, int k, float scale) {
        super(prefix, a, b, scale);
        this.bias = bias;
        this.k = k;
        this.counts = new long[a.dim(0)];
    }

    @Override
    Tensor linear(Graph g, Tensor x, Tensor w) {
        Tensor y = g.linear(x, a);
        if (g.recording()) {
            count(y);
        }
        Tensor delta = g.scale(g.linear(g.topK(y, bias, k), b), scale);
        return g.add(g.linear(x, w), delta);
    }

    /** Adds this batch's per-rank selections to the counts the next {@link #afterStep} uses. */
    private void count(Tensor y) {
        int r = rank();
        float[] d = y.data();
        float[] bb = bias.data();
        int bo = bias.offset();
        for (int row = 0, rows = y.size() / r; row < rows; row++) {
            int o = y.offset() + row * r;
            for (int j = 0; j < r; j++) {
                float v = d[o + j] + bb[bo + j];
                int above = 0;
                for (int i = 0; i < r && above < k; i++) {
                    float u = d[o + i] + bb[bo + i];
                    if (u > v || (u == v && i < j)) {
                        above++;
                    }
                }
                if (above < k) {
                    counts[j]++;
                }
            }
        }
    }

    /** Selection counts gathered since the last step (for tests and diagnostics). */
    long[] counts() {
        return counts.clone();
    }

    @Override
    void afterStep() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return;
        }
        double mean = (double) total / counts.length;
        for (int j = 0; j < counts.length; j++) {
            bias.set(j, bias.get(j) + BIAS_STEP * (float) Math.signum(mean - counts[j]));
        }
        afterSkippedStep();
    }

    @Override
    void afterSkippedStep() {
        Arrays.fill(counts, 0);
    }

    @Override
    Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(prefix + "lora_a", a);
        m.put(prefix + "lora_b", b);
        m.put(prefix + "lora_bias", bias);
        return m;
    }

    /** The top-k routing depends on each input, so no single matrix equals W plus this adapter. */
    @Override
    void mergeInto(Tensor w) {
        throw new UnsupportedOperationException("a flylora adapter cannot be merged into " + prefix
                + "weight: its top-k routing depends on the input, so no fixed matrix reproduces it; "
                + "export the base and adapter.safetensors together instead");
    }

    /**
     * The decoding path (no graph): {@code out[outOff..] += Δ·x[xOff..]}, routing this one input, with
     * {@code y} as scratch of at least {@code 2·r} floats.
     */
    void addDelta(float[] x, int xOff, float[] out, int outOff, float[] y) {
        int r = rank();
        int in = in();
        float[] ad = a.data();
        for (int j = 0; j < r; j++) {
            y[j] = Kernels.dot(ad, a.offset() + j * in, x, xOff, in);
        }
        float[] bb = bias.data();
        for (int j = 0; j < r; j++) {
            float v = y[j] + bb[bias.offset() + j];
            int above = 0;
            for (int i = 0; i < r && above < k; i++) {
                float u = y[i] + bb[bias.offset() + i];
                if (u > v || (u == v && i < j)) {
                    above++;
                }
            }
            y[r + j] = above < k ? y[j] * scale : 0f;
        }
        float[] bd = b.data();
        for (int o = 0, n = out(); o < n; o++) {
            float s = 0;
            int row = b.offset() + o * r;
            for (int j = 0; j < r; j++) {
                s += bd[row + j] * y[r + j];
            }
            out[outOff + o] += s;
        }
    }
}
