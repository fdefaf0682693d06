package dev.vesper.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported graph, run by the plain-loop oracle, gives the model's own logits within the spec's
 * relative 1e-4: every activation, tied and untied heads, both adapters, at the full context and at
 * shorter sequence lengths.
 */
class OnnxParityTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, tied={1}")
    @CsvSource({"relu, true", "silu, true", "gelu, true", "era, true", "relu, false", "silu, false", "gelu, false", "era, false"})
    void activationsAndHeads(String activation, boolean tied) throws IOException {
        ModelConfig c = Models.small(activation).with("tie_embeddings", tied);
        assertParity(Models.create(c, 11));
    }

    @Test
    void eraWithOtherTemperatureAndGamma() throws IOException {
        assertParity(Models.create(Models.small("era").with("era_temperature", 0.5).with("era_gamma", 0.7), 12));
    }

    @Test
    void maskedAdapterIsMergedExactly() throws IOException {
        LanguageModel m = Models.create(Models.small("silu").with("adapter", "masked").with("lora_rank", 4), 13);
        assertAdapterMatters(m);
        assertParity(m);
    }

    @Test
    void flyLoraAdapterRunsInTheGraph() throws IOException {
        LanguageModel m = Models.create(Models.small("gelu").with("adapter", "flylora").with("lora_rank", 8)
                .with("lora_topk", 3), 14);
        assertAdapterMatters(m);
        assertParity(m);
    }

    /**
     * Equal routing scores: ranks 0 to 5 of every FlyLoRA adapter get the same row of A and the same
     * bias, so six scores tie exactly and only three are kept. The model keeps the lowest indices, and so
     * must the graph (a comparison against the k-th value would keep all six).
     */
    @Test
    void flyLoraTiesGoToTheLowerIndex() throws IOException {
        LanguageModel m = Models.create(Models.small("relu").with("adapter", "flylora").with("lora_rank", 8)
                .with("lora_topk", 3), 15);
        for (Map.Entry<String, Tensor> e : m.weights(true).entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey().endsWith("lora_a")) {
                int in = t.dim(1);
                for (int row = 1; row < 6; row++) {
                    for (int i = 0; i < in; i++) {
                        t.set(row * in + i, t.get(i));
                    }
                }
            } else if (e.getKey().endsWith("lora_bias")) {
                for (int row = 1; row < 6; row++) {
                    t.set(row, t.get(0) + 10f);   // the tied ranks always lead
                }
                t.set(0, t.get(0) + 10f);
            }
        }
        // the premise: keeping all six tied ranks would give other logits, so the tie rule is tested
        LanguageModel keepAll = Models.create(m.config().with("lora_topk", 6), 15);
        keepAll.loadWeights(m.weights(false), false, false, "test");
        keepAll.loadWeights(m.weights(true), true, false, "test");
        int[][] ids = Models.ids(2, m.config().context(), m.config().vocabSize(), 6);
        double effect = Models.relativeError(Models.logits(m, ids), Models.logits(keepAll, ids));
        assertTrue(effect > 100 * TOLERANCE, "ties change the logits by only " + effect);
        assertParity(m);
    }

    private void assertParity(LanguageModel m) throws IOException {
        Path file = dir.resolve("model.onnx");
        new OnnxExporter().export(m, file);
        NaiveEvaluator oracle = new NaiveEvaluator(OnnxModel.read(file));
        int ctx = m.config().context();
        int vocab = m.config().vocabSize();
        long seed = 100;
        for (int[] shape : new int[][] {{2, ctx}, {3, 5}, {1, 1}}) {
            int[][] ids = Models.ids(shape[0], shape[1], vocab, seed++);
            Value got = oracle.run(ids);
            assertArrayEquals(new int[] {shape[0], shape[1], vocab}, got.shape, "logits shape");
            double err = Models.relativeError(Models.logits(m, ids), got.f);
            assertTrue(err <= TOLERANCE, m.config() + " at [" + shape[0] + ", " + shape[1] + "]: relative error " + err);
        }
    }

    /** The adapter changes the logits well beyond the tolerance, so a graph without it would fail. */
    private static void assertAdapterMatters(LanguageModel m) {
        int[][] ids = Models.ids(2, m.config().context(), m.config().vocabSize(), 5);
        float[] with = Models.logits(m, ids);
        Map<String, Tensor> adapter = m.weights(true);
        Map<String, float[]> saved = new java.util.HashMap<>();
        for (Map.Entry<String, Tensor> e : adapter.entrySet()) {
            if (e.getKey().endsWith("lora_b")) {
                saved.put(e.getKey(), e.getValue().toArray());
                e.getValue().fill(0f);
            }
        }
        float[] without = Models.logits(m, ids);
        saved.forEach((k, v) -> adapter.get(k).copyFrom(Tensor.wrap(v, new int[] {v.length})));
        double effect = Models.relativeError(with, without);
        assertTrue(effect > 100 * TOLERANCE, "the adapter changes the logits by only " + effect);
    }
}
