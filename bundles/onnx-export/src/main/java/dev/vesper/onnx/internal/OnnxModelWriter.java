package dev.vesper.onnx.internal;

import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** The entry point of the internals: a model's configuration and tensors in, an ONNX file's bytes out. */
public final class OnnxModelWriter {
    private final OnnxGraph graph;
    private final String doc;

    private OnnxModelWriter(OnnxGraph graph, String doc) {
        this.graph = graph;
        this.doc = doc;
    }

    /** Throws {@link IllegalArgumentException} naming what cannot be exported, before any work is done. */
    public static void checkSupported(ModelConfig config) {
        ForwardGraph.checkSupported(config);
    }

    /** Builds the graph; the weights are read only when {@link #write} streams them. */
    public static OnnxModelWriter of(ModelConfig config, Map<String, Tensor> base, Map<String, Tensor> adapter) {
        OnnxGraph g = ForwardGraph.build(config, new Weights(base, adapter));
        return new OnnxModelWriter(g, "VesperLM exported by vesper; vesper.config=" + config);
    }

    public void write(OutputStream out) throws IOException {
        ModelFile.write(graph, doc, out);
    }
}
