package dev.vesper.onnx.internal;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import java.util.List;

/**
 * The feed-forward block {@code W2eff·act(W1eff·f)} with the adapter of spec section 4, if any:
 * a masked adapter is merged into the weight as it is written, a FlyLoRA adapter becomes part of the
 * graph because its routing depends on each token.
 */
final class FfnGraph {
    private final OnnxGraph g;
    private final ModelConfig c;
    private final Weights w;

    FfnGraph(OnnxGraph g, ModelConfig c, Weights w) {
        this.g = g;
        this.c = c;
        this.w = w;
    }

    static void check(ModelConfig c) {
        String a = c.adapter();
        if (a != null && !ModelConfig.ADAPTERS.contains(a)) {
            throw new IllegalArgumentException("onnx export: adapter '" + a + "' is not supported (masked, flylora)");
        }
    }

    String emit(String f, int layer) {
        String u = linear(f, layer, 1, c.dFf(), c.dModel());
        return linear(ActivationGraph.emit(g, u, c), layer, 2, c.dModel(), c.dFf());
    }

    /** {@code x·W{which}effᵀ} with W {@code [out, in]}. */
    private String linear(String x, int layer, int which, int out, int in) {
        String p = "layers." + layer + ".ffn.w" + which + ".";
        Tensor weight = w.base(p + "weight", out, in);
        float scale = (float) (c.loraAlpha() / c.loraRank());
        int r = c.loraRank();
        if ("masked".equals(c.adapter())) {
            Matrix merged = new MaskedMerge(Matrix.of(weight), w.adapter(p + "lora_a", r, in),
                    w.adapter(p + "lora_b", out, r), w.adapter(p + "lora_mask", out, in), scale);
            return g.op("MatMul", List.of(x, g.weight(p + "weight.merged.T", Floats.transposed(merged), in, out)));
        }
        String base = g.op("MatMul", List.of(x, g.weight(p + "weight.T", Floats.transposed(Matrix.of(weight)), in, out)));
        if ("flylora".equals(c.adapter())) {
            FlyLoraGraph fly = new FlyLoraGraph(g, p, w.adapter(p + "lora_a", r, in), w.adapter(p + "lora_b", out, r),
                    w.adapter(p + "lora_bias", r), c.loraTopk(), scale);
            return g.op("Add", List.of(base, fly.emit(x)));
        }
        return base;
    }
}
