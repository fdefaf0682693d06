package dev.vesper.onnx.internal;

import dev.vesper.api.tensor.Tensor;
import java.util.List;

/**
 * FlyLoRA's update {@code Δ = (α/r)·B·(y ⊙ 1[S])} with {@code y = A·x} and {@code S} the top-k of
 * {@code y + d} by signed value, per token.
 *
 * <p>The selection is built from TopK's indices (one-hot, summed over the k picks), not by comparing
 * against the k-th value: with equal scores a comparison would keep more than k ranks, while ONNX
 * TopK breaks ties towards the lower index, which is the rule the model uses. NaN scores are the one
 * case left unspecified by ONNX (the model never picks a NaN while a number is left).
 */
final class FlyLoraGraph {
    private final OnnxGraph g;
    private final String prefix;
    private final Tensor a;
    private final Tensor b;
    private final Tensor bias;
    private final int k;
    private final float scale;

    FlyLoraGraph(OnnxGraph g, String prefix, Tensor a, Tensor b, Tensor bias, int k, float scale) {
        this.g = g;
        this.prefix = prefix;
        this.a = a;
        this.b = b;
        this.bias = bias;
        this.k = k;
        this.scale = scale;
    }

    /** {@code Δ} for the FFN input {@code x [B, T, in]}, {@code [B, T, out]}. */
    String emit(String x) {
        int r = a.dim(0);
        String at = g.weight(prefix + "lora_a.T", Floats.transposed(Matrix.of(a)), a.dim(1), r);
        String bt = g.weight(prefix + "lora_b.T", Floats.transposed(Matrix.of(b)), r, b.dim(0));
        String d = g.weight(prefix + "lora_bias", Floats.of(bias), r);
        String y = g.op("MatMul", List.of(x, at));
        String[] top = g.ops("TopK", 2, List.of(g.op("Add", List.of(y, d)), g.ints(k)),
                Attr.i("axis", -1), Attr.i("largest", 1), Attr.i("sorted", 1));
        // [B, T, k] indices to a 0/1 mask [B, T, r]: one-hot [B, T, k, r], summed over the k picks
        String oneHot = g.op("OneHot", List.of(top[1], g.ints(r), g.weight(prefix + "lora_onehot_values",
                Floats.of(0f, 1f), 2)), Attr.i("axis", -1));
        String selected = g.op("ReduceSum", List.of(oneHot, g.ints(-2)), Attr.i("keepdims", 0));
        String routed = g.op("MatMul", List.of(g.op("Mul", List.of(y, selected)), bt));
        return g.op("Mul", List.of(routed, g.scalar(scale)));
    }
}
