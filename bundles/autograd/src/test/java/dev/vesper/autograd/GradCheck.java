package dev.vesper.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.Tensor;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Central finite differences in double precision against the analytic gradient. The function under
 * test maps leaves to one output; the check reduces it to {@code L = Σ w·out} with fixed random
 * weights {@code w}, so every output element's gradient path is exercised.
 */
final class GradCheck {
    private final Autograd ag;
    private final long seed;

    GradCheck(Autograd ag, long seed) {
        this.ag = ag;
        this.seed = seed;
    }

    static Tensor randn(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextGaussian());
        }
        return t.requiresGrad(true);
    }

    /** Loss in double from the op's output, evaluated on a recording graph with the same seed (same dropout masks). */
    private double loss(BiFunction<Graph, Tensor[], Tensor> f, Tensor[] leaves, float[] w) {
        try (Graph g = ag.record(seed)) {
            Tensor out = f.apply(g, leaves);
            double s = 0;
            for (int i = 0; i < out.size(); i++) {
                s += (double) w[i] * out.get(i);
            }
            return s;
        }
    }

    /** Checks d(Σ w·f)/d(leaf) for every leaf that requires a gradient; returns the worst relative error. */
    double check(String what, BiFunction<Graph, Tensor[], Tensor> f, Tensor... leaves) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        int outSize;
        try (Graph g = ag.noGrad()) {
            outSize = f.apply(g, leaves).size();
        }
        float[] w = new float[outSize];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (Tensor t : leaves) {
            t.zeroGrad();
        }
        try (Graph g = ag.record(seed)) {
            Tensor out = f.apply(g, leaves);
            Tensor wt = Tensor.wrap(w.clone(), out.shape());
            g.backward(g.sum(g.mul(out, wt)));
        }
        double worst = 0;
        for (int li = 0; li < leaves.length; li++) {
            Tensor t = leaves[li];
            if (!t.requiresGrad()) {
                continue;
            }
            float[] analytic = t.grad().clone();
            double maxErr = 0, maxRef = 0;
            int n = t.size();
            int stride = Math.max(1, n / 150);   // large leaves: a deterministic sample of entries
            for (int i = 0; i < n; i += stride) {
                float x0 = t.get(i);
                float h = Math.max(1e-2f, Math.abs(x0) * 1e-2f);
                t.set(i, x0 + h);
                double up = loss(f, leaves, w);
                t.set(i, x0 - h);
                double down = loss(f, leaves, w);
                t.set(i, x0);
                double numeric = (up - down) / (2.0 * h);
                maxErr = Math.max(maxErr, Math.abs(numeric - analytic[i]));
                maxRef = Math.max(maxRef, Math.abs(numeric));
            }
            double rel = maxErr / Math.max(1.0, maxRef);
            worst = Math.max(worst, rel);
            assertTrue(rel < 5e-3, what + ": leaf " + li + " " + t.shapeString() + ": max error " + maxErr
                    + " against max |gradient| " + maxRef);
        }
        return worst;
    }
}
