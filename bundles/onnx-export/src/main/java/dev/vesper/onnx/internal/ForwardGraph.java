package dev.vesper.onnx.internal;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import java.util.List;

/**
 * The VesperLM forward pass (spec section 2) as an ONNX graph: {@code input_ids} int64
 * {@code [batch, seq]} to {@code logits} float {@code [batch, seq, vocab]}, for any {@code seq} up to
 * the context. Linear layers are MatMuls against transposed weight initializers ({@code x·Wᵀ}).
 */
final class ForwardGraph {
    static final String INPUT = "input_ids";
    static final String OUTPUT = "logits";

    private final OnnxGraph g = new OnnxGraph("vesperlm");
    private final ModelConfig c;
    private final Weights w;
    private final int d;

    private ForwardGraph(ModelConfig c, Weights w) {
        this.c = c;
        this.w = w;
        this.d = c.dModel();
    }

    /** Checks that every part of the model has an ONNX form before anything is built. */
    static void checkSupported(ModelConfig c) {
        ActivationGraph.check(c.activation());
        FfnGraph.check(c);
    }

    static OnnxGraph build(ModelConfig c, Weights w) {
        checkSupported(c);
        return new ForwardGraph(c, w).build();
    }

    private OnnxGraph build() {
        g.input(INPUT, Onnx.INT64, "batch", "seq");
        // the actual sequence length, as a 1-D int64 [1], for slicing the position tables
        String seq = g.op("Shape", List.of(INPUT), Attr.i("start", 1), Attr.i("end", 2));
        AttentionGraph attention = new AttentionGraph(g, c, seq);
        FfnGraph ffn = new FfnGraph(g, c, w);
        Tensor emb = w.base("tok_embeddings.weight", c.vocabSize(), d);
        String embName = g.weight("tok_embeddings.weight", Floats.of(emb), c.vocabSize(), d);
        String h = g.op("Gather", List.of(embName, INPUT), Attr.i("axis", 0));
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            String a = layerNorm(h, p + "attn_norm");
            h = g.op("Add", List.of(h, attention.emit(a, l, this::linear)));
            String f = layerNorm(h, p + "ffn_norm");
            h = g.op("Add", List.of(h, ffn.emit(f, l)));
        }
        String out = g.op("MatMul", List.of(layerNorm(h, "norm"), head(embName)));
        g.identity(out, OUTPUT);
        g.output(OUTPUT, Onnx.FLOAT, "batch", "seq", (long) c.vocabSize());
        return g;
    }

    /** Eᵀ by a Transpose node when tied, so the largest tensor is stored once; lm_head.weightᵀ otherwise. */
    private String head(String embName) {
        if (c.tieEmbeddings()) {
            return g.op("Transpose", List.of(embName), Attr.ints("perm", 1, 0));
        }
        return linearWeight("lm_head.weight", c.vocabSize(), d);
    }

    private String layerNorm(String x, String prefix) {
        String scale = g.weight(prefix + ".weight", Floats.of(w.base(prefix + ".weight", d)), d);
        String bias = g.weight(prefix + ".bias", Floats.of(w.base(prefix + ".bias", d)), d);
        return g.op("LayerNormalization", List.of(x, scale, bias),
                Attr.i("axis", -1), Attr.f("epsilon", (float) c.normEps()));
    }

    /** {@code x·Wᵀ} for a square [D, D] attention weight. */
    private String linear(String x, String weight) {
        return g.op("MatMul", List.of(x, linearWeight(weight, d, d)));
    }

    private String linearWeight(String name, int out, int in) {
        Tensor t = w.base(name, out, in);
        return g.weight(name + ".T", Floats.transposed(Matrix.of(t)), in, out);
    }
}
