package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.model.Activation;
import dev.vesper.api.tensor.Tensor;
import java.util.Map;

/** Dropout, top-k gating and the activation-service hook. */
public final class GateKernels {
    private final Simd simd;
    private final Parallel parallel;

    public GateKernels(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
    }

    public void dropout(Tensor x, float p, long seed, Tensor out, boolean backward) {
        float[] xd = x.data(), od = out.data();
        int xo = x.offset(), oo = out.offset();
        parallel.forRange(x.size(), Elementwise.GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = xd[xo + i] * Rng.keepScale(seed, i, p);
                if (backward) {
                    od[oo + i] += v;
                } else {
                    od[oo + i] = v;
                }
            }
        });
    }

    /** Forward writes x at the kept entries and 0 elsewhere; backward adds dy at the kept entries into dst. */
    public void topK(Tensor x, Tensor bias, int k, Tensor src, Tensor dst, boolean backward) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] xd = x.data(), bd = bias.data(), sd = src.data(), dd = dst.data();
        int xo = x.offset(), bo = bias.offset(), so = src.offset(), dof = dst.offset();
        parallel.forRange(rows, Elementwise.rowGrain(cols * Math.max(1, k)), (from, to) -> {
            float[] score = Scratch.row(0, cols);
            float[] kept = Scratch.row(1, cols);
            for (int r = from; r < to; r++) {
                int xr = xo + r * cols;
                for (int j = 0; j < cols; j++) {
                    score[j] = xd[xr + j] + bd[bo + j];
                    kept[j] = 0f;
                }
                // k passes of arg-max over the entries not yet kept; ties go to the lower index,
                // and a NaN score never wins while a number is left
                for (int pass = 0; pass < k; pass++) {
                    int best = -1;
                    for (int j = 0; j < cols; j++) {
                        if (kept[j] == 0f && (best < 0 || score[j] > score[best] || Float.isNaN(score[best]) && !Float.isNaN(score[j]))) {
                            best = j;
                        }
                    }
                    kept[best] = 1f;
                }
                int s = so + r * cols, d = dof + r * cols;
                for (int j = 0; j < cols; j++) {
                    boolean keep = kept[j] != 0f;
                    if (backward) {
                        if (keep) {
                            dd[d + j] += sd[s + j];
                        }
                    } else {
                        dd[d + j] = keep ? sd[s + j] : 0f;
                    }
                }
            }
        });
    }

    public void activation(Activation act, Tensor x, Tensor out, Map<String, Double> options) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] xd = x.data(), od = out.data();
        parallel.forRange(rows, Elementwise.rowGrain(cols), (from, to) -> act.forward(xd, od, cols, from, to, options));
    }

    public void activationBackward(Activation act, Tensor x, Tensor dy, Tensor dx, Map<String, Double> options) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] xd = x.data(), gd = dy.data(), dxd = dx.data();
        parallel.forRange(rows, Elementwise.rowGrain(cols),
                (from, to) -> act.backward(xd, gd, dxd, cols, from, to, options));
    }
}
