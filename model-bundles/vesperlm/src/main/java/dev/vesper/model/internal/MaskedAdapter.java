package dev.vesper.model.internal;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code W_eff = W + (α/r)·(B·A) ⊙ M} with M a fixed binary mask (spec section 4, {@code masked}). */
final class MaskedAdapter extends FfnAdapter {
    final Tensor mask;

    MaskedAdapter(String prefix, Tensor a, Tensor b, Tensor mask, float scale) {
        super(prefix, a, b, scale);
        this.mask = mask;
    }

    @Override
    Tensor linear(Graph g, Tensor x, Tensor w) {
        Tensor delta = g.scale(g.mul(g.matmul(b, false, a, false), mask), scale);
        return g.linear(x, g.add(w, delta));
    }

    @Override
    Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(prefix + "lora_a", a);
        m.put(prefix + "lora_b", b);
        m.put(prefix + "lora_mask", mask);
        return m;
    }

    @Override
    void mergeInto(Tensor w) {
        float[] dst = w.data();
        for (int o = 0; o < out(); o++) {
            for (int i = 0; i < in(); i++) {
                dst[w.offset() + o * in() + i] += (float) delta(o, i);
            }
        }
    }

    /** One entry of the scaled, masked low-rank update, summed in double. */
    double delta(int o, int i) {
        float m = mask.get(o * in() + i);
        if (m == 0f) {
            return 0;
        }
        double s = 0;
        int r = rank();
        for (int j = 0; j < r; j++) {
            s += (double) b.get(o * r + j) * a.get(j * in() + i);
        }
        return scale * s * m;
    }
}
