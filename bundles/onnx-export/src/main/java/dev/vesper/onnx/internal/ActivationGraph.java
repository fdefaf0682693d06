package dev.vesper.onnx.internal;

import dev.vesper.api.model.ModelConfig;
import java.util.List;

/**
 * The FFN activations of spec section 3 as ONNX subgraphs. Activations are services that any bundle
 * may add; only those whose mathematics this exporter knows can be written, and any other name is
 * refused rather than guessed.
 */
final class ActivationGraph {
    static final List<String> KNOWN = List.of("relu", "silu", "gelu", "era");
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    private ActivationGraph() {
    }

    static void check(String name) {
        if (!KNOWN.contains(name)) {
            throw new IllegalArgumentException("onnx export: activation '" + name + "' has no ONNX form in this"
                    + " exporter (it knows " + String.join(", ", KNOWN) + "); a third-party activation cannot be exported");
        }
    }

    /** {@code act(u)} on the FFN hidden vector {@code u [B, T, F]}. */
    static String emit(OnnxGraph g, String u, ModelConfig c) {
        check(c.activation());
        return switch (c.activation()) {
            case "relu" -> g.op("Relu", List.of(u));
            case "silu" -> g.op("Mul", List.of(u, g.op("Sigmoid", List.of(u))));
            case "gelu" -> gelu(g, u);
            default -> era(g, u, c);
        };
    }

    /** GPT-2's tanh form, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}; opset 17 has no Gelu op. */
    private static String gelu(OnnxGraph g, String x) {
        String cube = g.op("Mul", List.of(g.op("Mul", List.of(x, x)), x));
        String inner = g.op("Add", List.of(x, g.op("Mul", List.of(cube, g.scalar((float) GELU_A)))));
        String t = g.op("Tanh", List.of(g.op("Mul", List.of(inner, g.scalar((float) GELU_C)))));
        String half = g.op("Mul", List.of(x, g.scalar(0.5f)));
        return g.op("Mul", List.of(half, g.op("Add", List.of(t, g.scalar(1f)))));
    }

    /**
     * ERA, {@code x·σ(x/T)·(1 + γ·Ĥ)} with {@code Ĥ} the entropy of {@code softmax(x/T)} over the F
     * features divided by ln F. The entropy comes from Softmax and LogSoftmax, which stay finite where a
     * log of an underflowed probability would not.
     */
    private static String era(OnnxGraph g, String x, ModelConfig c) {
        String z = g.op("Mul", List.of(x, g.scalar((float) (1 / c.eraTemperature()))));
        String gated = g.op("Mul", List.of(x, g.op("Sigmoid", List.of(z))));
        int f = c.dFf();
        if (f < 2) {
            return gated;  // one feature: the entropy is 0 and ln F would divide by zero
        }
        String p = g.op("Softmax", List.of(z), Attr.i("axis", -1));
        String logP = g.op("LogSoftmax", List.of(z), Attr.i("axis", -1));
        // Σ p·ln p = −H, kept as [B, T, 1] so that it broadcasts over the features
        String negH = g.op("ReduceSum", List.of(g.op("Mul", List.of(p, logP)), g.ints(-1)), Attr.i("keepdims", 1));
        String scale = g.op("Sub", List.of(g.scalar(1f),
                g.op("Mul", List.of(negH, g.scalar((float) (c.eraGamma() / Math.log(f)))))));
        return g.op("Mul", List.of(gated, scale));
    }
}
