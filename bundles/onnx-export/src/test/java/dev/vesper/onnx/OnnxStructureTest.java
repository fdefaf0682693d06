package dev.vesper.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.io.ModelExporter;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.onnx.OnnxModel.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file's header, its typed inputs and outputs, its operators and its weights, as the brief fixes them. */
class OnnxStructureTest {
    private static final Set<String> OPSET_17_OPS = Set.of("Identity", "Shape", "Gather", "Slice", "Concat",
            "Reshape", "Transpose", "MatMul", "Add", "Sub", "Mul", "LayerNormalization", "Softmax", "LogSoftmax",
            "ReduceSum", "Sigmoid", "Tanh", "Relu", "TopK", "OneHot");

    @TempDir
    Path dir;

    @Test
    void formatIsOnnx() {
        assertEquals("onnx", new OnnxExporter().format());
        assertEquals("vesper.export.format", ModelExporter.PROPERTY);
    }

    @Test
    void headerInputsAndOutputs() throws IOException {
        OnnxModel m = export(Models.create(Models.small("era"), 1));
        assertEquals(8, m.irVersion);
        assertEquals("vesper", m.producer);
        assertEquals(java.util.Map.of("", 17L), m.opsets);
        assertEquals(List.of(new OnnxModel.ValueInfo("input_ids", 7, List.of("batch", "seq"))), m.inputs);
        assertEquals(List.of(new OnnxModel.ValueInfo("logits", 1, List.of("batch", "seq", 37L))), m.outputs);
        for (Node n : m.nodes) {
            assertTrue(OPSET_17_OPS.contains(n.opType()), "unexpected operator " + n.opType());
        }
    }

    @Test
    void everyNodeReadsOnlyWhatExistsAndWritesFreshNames() throws IOException {
        OnnxModel m = export(Models.create(Models.small("gelu").with("adapter", "flylora").with("lora_topk", 2)
                .with("lora_rank", 4), 2));
        Set<String> defined = new HashSet<>(m.initializers.keySet());
        defined.add("input_ids");
        for (Node n : m.nodes) {
            for (String in : n.inputs()) {
                assertTrue(defined.contains(in), n.opType() + " reads undefined '" + in + "'");
            }
            for (String out : n.outputs()) {
                assertTrue(defined.add(out), "'" + out + "' is assigned twice");
            }
        }
        assertTrue(defined.contains("logits"));
    }

    /** Linear weights are stored transposed; a tied head reuses the embedding, an untied one has its own. */
    @Test
    void weightsAreTheModelsTransposed() throws IOException {
        LanguageModel model = Models.create(Models.small("relu").with("tie_embeddings", false), 3);
        OnnxModel m = export(model);
        Tensor wq = model.weights(false).get("layers.1.attn.wq.weight");
        Value t = m.initializers.get("layers.1.attn.wq.weight.T");
        assertEquals(List.of(16, 16), List.of(t.shape[0], t.shape[1]));
        for (int o = 0; o < 16; o++) {
            for (int i = 0; i < 16; i++) {
                assertEquals(wq.get(o * 16 + i), t.f[i * 16 + o]);
            }
        }
        Value head = m.initializers.get("lm_head.weight.T");
        assertEquals(List.of(16, 37), List.of(head.shape[0], head.shape[1]));
        assertTrue(m.initializers.containsKey("tok_embeddings.weight"));

        OnnxModel tied = export(Models.create(Models.small("relu"), 3));
        assertFalse(tied.initializers.containsKey("lm_head.weight.T"));
    }

    @Test
    void masksAndPositionTablesCoverTheContext() throws IOException {
        OnnxModel m = export(Models.create(Models.small("silu"), 4));
        Value mask = m.initializers.get("causal_mask");
        assertEquals(List.of(8, 8), List.of(mask.shape[0], mask.shape[1]));
        assertEquals(0f, mask.f[3 * 8 + 3]);
        assertEquals(Float.NEGATIVE_INFINITY, mask.f[3 * 8 + 4]);
        Value cos = m.initializers.get("rope.cos");
        assertEquals(List.of(8, 4), List.of(cos.shape[0], cos.shape[1]));
        // position 2, pair 1 of head size 8: angle 2·10000^(−2/8)
        assertEquals((float) Math.cos(2 * Math.pow(10000, -0.25)), cos.f[2 * 4 + 1]);
    }

    private OnnxModel export(LanguageModel model) throws IOException {
        Path file = dir.resolve("m" + System.nanoTime() + ".onnx");
        new OnnxExporter().export(model, file);
        return OnnxModel.read(file);
    }
}
