package dev.vesper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModelTest {
    static ModelConfig small() {
        return ModelConfig.fromMap(Map.of("layers", 2, "heads", 2, "d_model", 16, "context", 16, "vocab_size", 37));
    }

    static IntTensor ids(int b, int t, int vocab, long seed) {
        Random r = new Random(seed);
        int[] d = new int[b * t];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(vocab);
        }
        return IntTensor.wrap(d, b, t);
    }

    static float[] logits(LanguageModel m, IntTensor ids) {
        try (Graph g = Fixtures.AUTOGRAD.noGrad()) {
            return m.forward(g, ids).toArray();
        }
    }

    /** One recorded forward and backward of the mean loss; returns the loss. */
    static float trainStep(LanguageModel m, IntTensor ids, IntTensor targets) {
        try (Graph g = Fixtures.AUTOGRAD.record(3)) {
            var ce = g.crossEntropy(m.forward(g, ids), targets, -100);
            g.backward(ce.loss());
            return ce.lossValue();
        }
    }

    @Test
    void parameterCountsAreExact() {
        VesperModelFactory f = Fixtures.factory();
        assertEquals(List.of("tiny", "small", "medium", "large"), f.presets());
        // tiny at V=4096: embeddings 4096·256, six blocks of 12·256² + 4·256, final norm 2·256
        assertEquals(4096L * 256 + 6L * (12 * 256 * 256 + 4 * 256) + 2 * 256, f.parameterCount(ModelConfig.preset("tiny", 4096)));
        assertEquals(5_773_824L, f.parameterCount(ModelConfig.preset("tiny", 4096)));
        for (String p : f.presets()) {
            ModelConfig c = ModelConfig.preset(p, 32000);
            long d = c.dModel();
            long expected = 32000 * d + c.layers() * (12 * d * d + 4 * d) + 2 * d;
            assertEquals(expected, f.parameterCount(c), p);
            assertEquals(expected + 32000 * d, f.parameterCount(c.with("tie_embeddings", false)), p + " untied");
        }
        for (ModelConfig c : List.of(small(), small().with("tie_embeddings", false), small().with("adapter", "masked"),
                small().with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 4))) {
            LanguageModel m = f.create(c, 1);
            long counted = m.parameters().stream().mapToLong(p -> p.value().size()).sum();
            assertEquals(f.parameterCount(c), counted, c.toString());
        }
        // masked r=16 on W1 [64,16] and W2 [16,64]: A and B of each count, the mask does not
        assertEquals(f.parameterCount(small()) + 2L * (16 * 16 + 64 * 16 + 16 * 64 + 16 * 16),
                f.parameterCount(small().with("adapter", "masked")));
    }

    @Test
    void namesFollowTheSpecAndDecayOnlyMatrices() {
        LanguageModel m = Fixtures.factory().create(small().with("tie_embeddings", false), 1);
        List<String> names = m.parameters().stream().map(Parameter::name).collect(Collectors.toList());
        assertEquals("tok_embeddings.weight", names.get(0));
        assertTrue(names.containsAll(List.of("layers.1.attn_norm.weight", "layers.1.attn_norm.bias", "layers.0.attn.wq.weight",
                "layers.0.attn.wk.weight", "layers.0.attn.wv.weight", "layers.0.attn.wo.weight", "layers.1.ffn_norm.bias",
                "layers.1.ffn.w1.weight", "layers.1.ffn.w2.weight", "norm.weight", "norm.bias", "lm_head.weight")));
        for (Parameter p : m.parameters()) {
            boolean matrix = p.value().rank() == 2 && !p.name().equals("tok_embeddings.weight");
            assertEquals(matrix, p.decay(), p.name());
            assertTrue(p.trainable(), p.name());
        }
        assertArrayEquals(new int[] {64, 16}, m.weights(false).get("layers.0.ffn.w1.weight").shape());
    }

    @Test
    void initialisationIsGpt2StyleAndSeeded() {
        ModelConfig c = ModelConfig.fromMap(Map.of("layers", 8, "heads", 4, "d_model", 64, "vocab_size", 500));
        LanguageModel a = Fixtures.factory().create(c, 7);
        Map<String, Tensor> w = a.weights(false);
        assertEquals(0.02, std(w.get("tok_embeddings.weight")), 0.001);
        assertEquals(0.02, std(w.get("layers.3.attn.wq.weight")), 0.001);
        assertEquals(0.02 / Math.sqrt(16), std(w.get("layers.3.attn.wo.weight")), 0.0003);
        assertEquals(0.02 / Math.sqrt(16), std(w.get("layers.3.ffn.w2.weight")), 0.0003);
        assertEquals(0.02, std(w.get("layers.3.ffn.w1.weight")), 0.001);
        assertArrayEquals(filled(64, 1f), w.get("layers.2.ffn_norm.weight").toArray());
        assertArrayEquals(filled(64, 0f), w.get("norm.bias").toArray());
        LanguageModel same = Fixtures.factory().create(c, 7);
        LanguageModel other = Fixtures.factory().create(c, 8);
        assertArrayEquals(w.get("layers.5.attn.wk.weight").toArray(), same.weights(false).get("layers.5.attn.wk.weight").toArray());
        assertFalse(java.util.Arrays.equals(w.get("layers.5.attn.wk.weight").toArray(),
                other.weights(false).get("layers.5.attn.wk.weight").toArray()));
    }

    @Test
    void adaptersStartAsTheSpecSays() {
        ModelConfig masked = small().with("adapter", "masked").with("lora_sparsity", 0.75);
        Map<String, Tensor> a = Fixtures.factory().create(masked, 1).weights(true);
        Tensor mask = a.get("layers.0.ffn.w1.lora_mask");
        int zeros = 0;
        for (float v : mask.toArray()) {
            assertTrue(v == 0f || v == 1f);
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(Math.round(0.75 * mask.size()), zeros);
        assertArrayEquals(filled(64 * 16, 0f), a.get("layers.0.ffn.w1.lora_b").toArray(), "B starts at zero");
        assertEquals(1 / Math.sqrt(16), std(a.get("layers.1.ffn.w2.lora_a")), 0.03);

        ModelConfig fly = small().with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 8);
        Map<String, Tensor> b = Fixtures.factory().create(fly, 1).weights(true);
        Tensor sparse = b.get("layers.0.ffn.w2.lora_a"); // [8, 64]: p = floor(64·2/8) = 16 non-zeros a row
        for (int r = 0; r < 8; r++) {
            int nz = 0;
            for (int i = 0; i < 64; i++) {
                nz += sparse.get(r * 64 + i) != 0f ? 1 : 0;
            }
            assertEquals(16, nz, "row " + r);
        }
        assertArrayEquals(filled(8, 0f), b.get("layers.1.ffn.w1.lora_bias").toArray());
    }

    @Test
    void adapterFreezesTheBaseWhichReceivesNoGradient() {
        for (String kind : List.of("masked", "flylora")) {
            ModelConfig c = small().with("adapter", kind).with("lora_topk", 2).with("lora_rank", 4);
            LanguageModel m = Fixtures.factory().create(c, 2);
            // B starts at zero, which would hide A's gradient: give it values
            for (Map.Entry<String, Tensor> e : m.weights(true).entrySet()) {
                if (e.getKey().endsWith("lora_b")) {
                    dev.vesper.model.internal.TestAccess.fill(e.getValue(), 0.1, 5);
                }
            }
            List<String> trainable = m.trainableParameters().stream().map(Parameter::name).collect(Collectors.toList());
            for (String n : trainable) {
                assertTrue(n.endsWith(kind.equals("masked") ? "lora_a" : "lora_b") || n.endsWith("lora_b"), n);
            }
            assertEquals(kind.equals("masked") ? 8 : 4, trainable.size(), kind + ": " + trainable);
            trainStep(m, ids(2, 8, 37, 1), ids(2, 8, 37, 2));
            for (Map.Entry<String, Tensor> e : m.weights(false).entrySet()) {
                assertFalse(e.getValue().requiresGrad(), e.getKey());
                assertTrue(!e.getValue().hasGrad() || GoldenParityTest.maxAbs(e.getValue().grad()) == 0,
                        kind + ": frozen " + e.getKey() + " received a gradient");
            }
            for (Parameter p : m.trainableParameters()) {
                assertTrue(p.value().hasGrad() && GoldenParityTest.maxAbs(p.value().grad()) > 0, kind + ": " + p.name());
            }
        }
    }

    @Test
    void swappingTheActivationBetweenTwoPassesChangesTheOutput() {
        Map<String, Activation> registry = Fixtures.registry();
        VesperModelFactory f = new VesperModelFactory(registry::get);
        LanguageModel m = f.create(small(), 4);
        LanguageModel silu = f.create(small().with("activation", "silu"), 4);
        IntTensor x = ids(2, 8, 37, 9);
        float[] era = logits(m, x);
        registry.put("era", registry.get("silu"));
        float[] swapped = logits(m, x);
        assertFalse(java.util.Arrays.equals(era, swapped), "the next pass uses the new service");
        assertArrayEquals(logits(silu, x), swapped, "and computes exactly what a silu model computes");
        registry.remove("era");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> logits(m, x));
        assertTrue(e.getMessage().contains("'era'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.generate(new int[] {1}, dev.vesper.api.model.SamplingOptions.greedy(2), null));
        registry.put("era", new dev.vesper.activation.era.EraActivation());
        assertArrayEquals(era, logits(m, x), "and back");
    }

    @Test
    void flyloraExpertBiasFollowsTheSelectionCounts() {
        ModelConfig c = small().with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 4);
        LanguageModel m = Fixtures.factory().create(c, 3);
        Tensor bias = m.weights(true).get("layers.0.ffn.w1.lora_bias");
        float[] before = bias.toArray();
        logits(m, ids(2, 8, 37, 1));
        m.afterStep();
        assertArrayEquals(before, bias.toArray(), "inference passes count nothing");
        trainStep(m, ids(2, 8, 37, 1), ids(2, 8, 37, 2));
        long[] counts = dev.vesper.model.internal.TestAccess.counts(m, 0);
        assertEquals(2 * 8 * 2, java.util.Arrays.stream(counts).sum(), "k selections per token");
        m.afterStep();
        double mean = 2 * 8 * 2 / 4.0;
        for (int j = 0; j < 4; j++) {
            float expected = before[j] + 1e-3f * (float) Math.signum(mean - counts[j]);
            assertEquals(expected, bias.get(j), 0f, "rank " + j + " selected " + counts[j] + " times");
        }
        assertEquals(0, java.util.Arrays.stream(dev.vesper.model.internal.TestAccess.counts(m, 0)).sum(), "counts restart after a step");
    }

    @Test
    void maskedAdapterMergesExactlyAndFlyloraRefuses() {
        ModelConfig c = small().with("adapter", "masked");
        LanguageModel m = Fixtures.factory().create(c, 5);
        for (Map.Entry<String, Tensor> e : m.weights(true).entrySet()) {
            if (e.getKey().endsWith("lora_b")) {
                dev.vesper.model.internal.TestAccess.fill(e.getValue(), 0.2, 6);
            }
        }
        IntTensor x = ids(2, 8, 37, 9);
        float[] before = logits(m, x);
        m.mergeAdapter();
        assertFalse(m.config().hasAdapter());
        assertTrue(m.weights(true).isEmpty());
        assertEquals(Fixtures.factory().parameterCount(small()), m.parameters().stream().mapToLong(p -> p.value().size()).sum());
        assertTrue(m.weights(false).get("norm.weight").requiresGrad(), "the merged base trains again");
        float[] after = logits(m, x);
        double diff = 0;
        for (int i = 0; i < before.length; i++) {
            diff = Math.max(diff, Math.abs(before[i] - after[i]));
        }
        assertTrue(diff < 1e-5, "merged logits differ by " + diff);

        LanguageModel fly = Fixtures.factory().create(small().with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 4), 5);
        Tensor w1 = fly.weights(false).get("layers.0.ffn.w1.weight");
        float[] w1Before = w1.toArray();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, fly::mergeAdapter);
        assertTrue(e.getMessage().contains("flylora"), e.getMessage());
        assertArrayEquals(w1Before, w1.toArray(), "nothing changed");
        assertTrue(fly.config().hasAdapter());
    }

    @Test
    void loadWeightsChecksNamesAndShapesBeforeCopying() {
        LanguageModel m = Fixtures.factory().create(small(), 1);
        Tensor norm = m.weights(false).get("norm.weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadWeights(
                Map.of("norm.weight", Tensor.zeros(16), "norm.bias", Tensor.zeros(3)), false, true, "x.safetensors"));
        assertTrue(e.getMessage().contains("x.safetensors") && e.getMessage().contains("'norm.bias'"), e.getMessage());
        assertEquals(1f, norm.get(0), "nothing was copied");
        e = assertThrows(IllegalArgumentException.class, () -> m.loadWeights(Map.of("nope", Tensor.zeros(1)), false, true, "y"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.loadWeights(Map.of("norm.weight", Tensor.zeros(16)), false, false, "z"));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.loadWeights(Map.of(), true, true, "w"));
        m.loadWeights(Map.of("norm.weight", Tensor.zeros(16)), false, true, "ok");
        assertEquals(0f, norm.get(0));
        assertTrue(norm == m.weights(false).get("norm.weight"), "weights are live tensors");
    }

    @Test
    void badInputIsRejectedClearly() {
        LanguageModel m = Fixtures.factory().create(small(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> logits(m, IntTensor.wrap(new int[] {1, 99}, 1, 2)));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> logits(m, ids(1, 17, 37, 1)));
        assertThrows(IllegalArgumentException.class, () -> m.generate(new int[0], dev.vesper.api.model.SamplingOptions.greedy(1), null));
        assertNotEquals(null, m.toString());
    }

    static double std(Tensor t) {
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.get(i);
            s2 += (double) t.get(i) * t.get(i);
        }
        double mean = s / t.size();
        return Math.sqrt(s2 / t.size() - mean * mean);
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
