package dev.vesper.onnx.internal;

import dev.vesper.api.model.ModelConfig;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Causal multi-head self-attention with rotate-half RoPE. The position tables and the causal mask are
 * initializers sized for the full context and sliced to the input's length, so one graph serves every
 * sequence length up to the context.
 */
final class AttentionGraph {
    private final OnnxGraph g;
    private final int heads;
    private final int hd;
    private final String cos;
    private final String sin;
    private final String mask;

    AttentionGraph(OnnxGraph g, ModelConfig c, String seq) {
        this.g = g;
        this.heads = c.heads();
        this.hd = c.headDim();
        int half = hd / 2;
        float[][] tables = ropeTables(c.context(), hd, (float) c.ropeTheta());
        // rows 0..seq of each table: Slice(data, starts [0], ends [seq], axes [0])
        String zero = g.ints(0);
        cos = g.op("Slice", List.of(g.weight("rope.cos", Floats.of(tables[0]), c.context(), half), zero, seq, zero));
        sin = g.op("Slice", List.of(g.weight("rope.sin", Floats.of(tables[1]), c.context(), half), zero, seq, zero));
        String ends = g.op("Concat", List.of(seq, seq), Attr.i("axis", 0));
        String full = g.weight("causal_mask", Floats.of(causalMask(c.context())), c.context(), c.context());
        mask = g.op("Slice", List.of(full, g.ints(0, 0), ends, g.ints(0, 1)));
    }

    /**
     * Layer {@code l}'s attention output {@code merge_heads(softmax(q·kᵀ/√hd + mask)·v)·Woᵀ}, with
     * {@code linear} applying a named [D, D] weight.
     */
    String emit(String a, int l, BinaryOperator<String> linear) {
        String p = "layers." + l + ".attn.";
        String q = rope(heads(linear.apply(a, p + "wq.weight")));
        // keys go straight to [B, H, hd, T] so that q·kᵀ is a plain MatMul
        String kt = g.op("Transpose", List.of(rope(heads(linear.apply(a, p + "wk.weight")))),
                Attr.ints("perm", 0, 1, 3, 2));
        String v = heads(linear.apply(a, p + "wv.weight"));
        String scores = g.op("Mul", List.of(g.op("MatMul", List.of(q, kt)), g.scalar((float) (1 / Math.sqrt(hd)))));
        String probs = g.op("Softmax", List.of(g.op("Add", List.of(scores, mask))), Attr.i("axis", -1));
        String o = g.op("Transpose", List.of(g.op("MatMul", List.of(probs, v))), Attr.ints("perm", 0, 2, 1, 3));
        String merged = g.op("Reshape", List.of(o, g.ints(0, 0, (long) heads * hd)));
        return linear.apply(merged, p + "wo.weight");
    }

    /** {@code [B, T, D]} to {@code [B, H, T, hd]}. */
    private String heads(String x) {
        // Reshape's 0 copies the input's dimension, so batch and seq stay symbolic
        String split = g.op("Reshape", List.of(x, g.ints(0, 0, heads, hd)));
        return g.op("Transpose", List.of(split), Attr.ints("perm", 0, 2, 1, 3));
    }

    /** Rotate-half: pairs {@code (j, j + hd/2)} turn by {@code t·θ_j}. */
    private String rope(String x) {
        int half = hd / 2;
        String axis = g.ints(3);
        String lo = g.op("Slice", List.of(x, g.ints(0), g.ints(half), axis));
        String hi = g.op("Slice", List.of(x, g.ints(half), g.ints(hd), axis));
        String newLo = g.op("Sub", List.of(g.op("Mul", List.of(lo, cos)), g.op("Mul", List.of(hi, sin))));
        String newHi = g.op("Add", List.of(g.op("Mul", List.of(hi, cos)), g.op("Mul", List.of(lo, sin))));
        return g.op("Concat", List.of(newLo, newHi), Attr.i("axis", 3));
    }

    /** cos and sin of {@code t·θ^(−2j/hd)}, {@code [context, hd/2]}, computed in double as the engine does. */
    static float[][] ropeTables(int context, int hd, float theta) {
        int half = hd / 2;
        float[] cos = new float[context * half];
        float[] sin = new float[context * half];
        for (int j = 0; j < half; j++) {
            double f = Math.pow(theta, -2.0 * j / hd);
            for (int t = 0; t < context; t++) {
                cos[t * half + j] = (float) Math.cos(t * f);
                sin[t * half + j] = (float) Math.sin(t * f);
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * 0 where the key may be seen, −∞ after the query. −∞ rather than a large negative number keeps the
     * softmax exact: exp(−∞) is exactly 0, and the diagonal keeps every row finite.
     */
    static float[] causalMask(int context) {
        float[] m = new float[context * context];
        for (int qPos = 0; qPos < context; qPos++) {
            for (int kPos = qPos + 1; kPos < context; kPos++) {
                m[qPos * context + kPos] = Float.NEGATIVE_INFINITY;
            }
        }
        return m;
    }
}
