package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;

/** Cross-entropy fused with log-softmax, its gradient and the mean predictive entropy, in one pass. */
public final class LossKernels {
    /** Rows per partial sum: fixed, so the loss does not depend on the thread count. */
    private static final int CHUNK = 16;

    private final Simd simd;
    private final Parallel parallel;

    public LossKernels(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
    }

    /** Writes {@code result = [mean loss, mean entropy, counted]}; {@code dLogits} unless null. */
    public void crossEntropy(Tensor logits, IntTensor targets, int ignore, Tensor result, Tensor dLogits) {
        int v = logits.dim(-1);
        int rows = logits.size() / v;
        int[] t = targets.data();
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (t[r] != ignore) {
                if (t[r] < 0 || t[r] >= v) {
                    throw new IllegalArgumentException("crossEntropy: target " + t[r] + " at position " + r
                            + " is outside the vocabulary [0," + v + ") and is not the ignore index " + ignore);
                }
                counted++;
            }
        }
        float[] xd = logits.data();
        int xo = logits.offset();
        float[] gdata = dLogits == null ? null : dLogits.data();
        int gof = dLogits == null ? 0 : dLogits.offset();
        float invCount = counted == 0 ? 0f : 1f / counted;
        int chunks = (rows + CHUNK - 1) / CHUNK;
        double[] partial = new double[2 * chunks];
        parallel.forRange(chunks, Math.max(1, (1 << 15) / (CHUNK * v)), (from, to) -> {
            float[] e = Scratch.row(0, v);
            for (int c = from; c < to; c++) {
                double loss = 0, ent = 0;
                for (int r = c * CHUNK; r < Math.min(rows, (c + 1) * CHUNK); r++) {
                    int xr = xo + r * v;
                    if (t[r] == ignore) {
                        if (gdata != null) {
                            java.util.Arrays.fill(gdata, gof + r * v, gof + (r + 1) * v, 0f);
                        }
                        continue;
                    }
                    float mx = simd.max(xd, xr, v);
                    float[] dst = gdata == null ? e : gdata;
                    int dOff = gdata == null ? 0 : gof + r * v;
                    float s = simd.expShift(xd, xr, dst, dOff, v, mx);
                    double lse = mx + Math.log(s);
                    // entropy = lse − Σ p·x, with p = e/s
                    double px = simd.dot(dst, dOff, xd, xr, v) / s;
                    loss += lse - xd[xr + t[r]];
                    ent += lse - px;
                    if (gdata != null) {
                        simd.scale(invCount / s, dst, dOff, dst, dOff, v);
                        dst[dOff + t[r]] -= invCount;
                    }
                }
                partial[2 * c] = loss;
                partial[2 * c + 1] = ent;
            }
        });
        double loss = 0, ent = 0;
        for (int c = 0; c < chunks; c++) {
            loss += partial[2 * c];
            ent += partial[2 * c + 1];
        }
        result.set(0, (float) (counted == 0 ? 0 : loss / counted));
        result.set(1, (float) (counted == 0 ? 0 : ent / counted));
        result.set(2, counted);
    }
}
