package dev.vesper.model.internal;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initialisation. Base weights are GPT-2 style: N(0, 0.02) (standard deviation 0.02), the
 * residual output projections {@code wo} and {@code w2} scaled by {@code 1/sqrt(2·layers)}, norms at
 * weight 1 and bias 0. Adapters follow spec section 4, whose {@code N(0, 1/r)} and {@code N(0, 1/r²)}
 * are read as variances, as in the FlyLoRA paper: masked A has standard deviation {@code 1/sqrt(r)},
 * FlyLoRA's non-zeros {@code 1/r}; B starts at zero, the expert bias at zero.
 */
final class Init {
    static final double STD = 0.02;

    private Init() {
    }

    static Map<String, Tensor> base(ModelConfig c, SplittableRandom rng) {
        double residual = STD / Math.sqrt(2.0 * c.layers());
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : Layout.base(c).entrySet()) {
            String name = e.getKey();
            Tensor t = Tensor.zeros(e.getValue());
            if (name.endsWith("norm.weight")) {
                t.fill(1f);
            } else if (name.endsWith(".wo.weight") || name.endsWith(".w2.weight")) {
                normal(t, residual, rng);
            } else if (!name.endsWith(".bias")) {
                normal(t, STD, rng);
            }
            m.put(name, t);
        }
        return m;
    }

    static Map<String, Tensor> adapter(ModelConfig c, SplittableRandom rng) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        int r = c.hasAdapter() ? c.loraRank() : 0;
        for (Map.Entry<String, int[]> e : Layout.adapter(c).entrySet()) {
            String name = e.getKey();
            Tensor t = Tensor.zeros(e.getValue());
            if (name.endsWith(".lora_a")) {
                if (Layout.masked(c)) {
                    normal(t, 1 / Math.sqrt(r), rng);
                } else {
                    sparse(t, Math.max(1, t.dim(1) * c.loraTopk() / r), 1.0 / r, rng);
                }
            } else if (name.endsWith(".lora_mask")) {
                mask(t, c.loraSparsity(), rng);
            }
            m.put(name, t);
        }
        return m;
    }

    static void normal(Tensor t, double std, SplittableRandom rng) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (rng.nextGaussian() * std));
        }
    }

    /** Each row gets exactly {@code perRow} non-zeros at distinct random columns. */
    static void sparse(Tensor t, int perRow, double std, SplittableRandom rng) {
        int cols = t.dim(1);
        int[] idx = new int[cols];
        for (int row = 0; row < t.dim(0); row++) {
            for (int i = 0; i < cols; i++) {
                idx[i] = i;
            }
            for (int i = 0; i < Math.min(perRow, cols); i++) {
                int j = i + rng.nextInt(cols - i);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
                t.set(row * cols + idx[i], (float) (rng.nextGaussian() * std));
            }
        }
    }

    /** Exactly {@code round(sparsity·n)} zeros at random places, ones elsewhere. */
    static void mask(Tensor t, double sparsity, SplittableRandom rng) {
        int n = t.size();
        int zeros = (int) Math.round(sparsity * n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        t.fill(1f);
        for (int i = 0; i < zeros; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
            t.set(idx[i], 0f);
        }
    }
}
