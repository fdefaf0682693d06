package dev.vesper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationTest {
    private static ModelConfig config() {
        return ModelConfig.fromMap(Map.of("layers", 2, "heads", 2, "d_model", 16, "context", 24, "vocab_size", 37));
    }

    /** A model whose outputs depend strongly on the input, so that greedy paths are not trivial. */
    private static LanguageModel model(ModelConfig c, long seed) {
        LanguageModel m = Fixtures.factory().create(c, seed);
        for (Map.Entry<String, Tensor> e : m.weights(false).entrySet()) {
            if (e.getValue().rank() == 2) {
                dev.vesper.model.internal.TestAccess.fill(e.getValue(), 0.3, seed + e.getKey().hashCode());
            }
        }
        for (Map.Entry<String, Tensor> e : m.weights(true).entrySet()) {
            if (e.getKey().endsWith("lora_b")) {
                dev.vesper.model.internal.TestAccess.fill(e.getValue(), 0.3, seed + 1);
            }
        }
        return m;
    }

    /** Greedy decoding by full recomputation through the graph at every step: what the KV cache must equal. */
    private static int[] greedyFromScratch(LanguageModel m, int[] prompt, int n) {
        int[] seq = Arrays.copyOf(prompt, prompt.length + n);
        int v = m.config().vocabSize();
        for (int len = prompt.length; len < seq.length; len++) {
            try (Graph g = Fixtures.AUTOGRAD.noGrad()) {
                Tensor logits = m.forward(g, IntTensor.wrap(Arrays.copyOf(seq, len), 1, len));
                int best = 0;
                for (int i = 1; i < v; i++) {
                    if (logits.get((len - 1) * v + i) > logits.get((len - 1) * v + best)) {
                        best = i;
                    }
                }
                seq[len] = best;
            }
        }
        return Arrays.copyOfRange(seq, prompt.length, seq.length);
    }

    @Test
    void kvCacheEqualsFullRecomputationWithAndWithoutAdapters() {
        List<ModelConfig> configs = List.of(config(), config().with("tie_embeddings", false).with("activation", "gelu"),
                config().with("adapter", "masked").with("lora_rank", 4),
                config().with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 4));
        for (ModelConfig c : configs) {
            LanguageModel m = model(c, 11);
            int[] prompt = {3, 1, 4, 1, 5};
            int[] expected = greedyFromScratch(m, prompt, 15);
            assertArrayEquals(expected, m.generate(prompt, SamplingOptions.greedy(15), null), c.toString());
            assertArrayEquals(expected, m.generate(prompt, SamplingOptions.greedy(15), null), "a second call reuses the cache cleanly");
        }
    }

    /** Wide enough that the products are split with the helper thread (when the machine has two cores). */
    @Test
    void splitProductsEqualFullRecomputation() {
        ModelConfig c = ModelConfig.fromMap(Map.of("layers", 1, "heads", 2, "d_model", 128, "context", 32, "vocab_size", 300));
        for (ModelConfig cc : List.of(c, c.with("adapter", "masked").with("lora_rank", 4),
                c.with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 4))) {
            LanguageModel m = model(cc, 21);
            int[] prompt = {3, 1, 4};
            assertArrayEquals(greedyFromScratch(m, prompt, 12), m.generate(prompt, SamplingOptions.greedy(12), null), cc.toString());
        }
    }

    /**
     * A prompt runs through the decoder in blocks; every block size gives the bits of token-by-token
     * decoding, and a prompt of several blocks continues as full recomputation does.
     */
    @Test
    void blockPrefillGivesTheBitsOfTokenByToken() {
        List<ModelConfig> configs = List.of(config(), config().with("adapter", "masked").with("lora_rank", 4),
                config().with("adapter", "flylora").with("lora_topk", 2).with("lora_rank", 4));
        int[] prompt = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4};
        for (ModelConfig c : configs) {
            LanguageModel m = model(c, 13);
            Activation act = Fixtures.registry().get(c.activation());
            float[][] stepwise = dev.vesper.model.internal.TestAccess.decode(m, act, prompt, 1);
            for (int block : new int[] {2, 7, 16}) {
                float[][] blocked = dev.vesper.model.internal.TestAccess.decode(m, act, prompt, block);
                assertArrayEquals(stepwise[0], blocked[0], c + ", logits, blocks of " + block);
                assertArrayEquals(stepwise[1], blocked[1], c + ", hidden state, blocks of " + block);
            }
            assertArrayEquals(greedyFromScratch(m, prompt, 4), m.generate(prompt, SamplingOptions.greedy(4), null), c.toString());
        }
    }

    @Test
    void tokensStreamAsTheyAreMade() {
        LanguageModel m = model(config(), 2);
        List<int[]> seen = new ArrayList<>();
        int[] out = m.generate(new int[] {1, 2}, SamplingOptions.defaults().withMaxTokens(9).withSeed(4),
                (i, t) -> seen.add(new int[] {i, t}));
        assertEquals(9, out.length);
        for (int i = 0; i < out.length; i++) {
            assertArrayEquals(new int[] {i, out[i]}, seen.get(i));
        }
    }

    @Test
    void samplingIsSeeded() {
        LanguageModel m = model(config(), 3);
        SamplingOptions o = SamplingOptions.defaults().withTemperature(1.5f).withTopK(0).withTopP(1f).withMaxTokens(20);
        int[] a = m.generate(new int[] {5}, o.withSeed(1), null);
        assertArrayEquals(a, m.generate(new int[] {5}, o.withSeed(1), null));
        assertFalse(Arrays.equals(a, m.generate(new int[] {5}, o.withSeed(2), null)));
        assertArrayEquals(m.generate(new int[] {5}, SamplingOptions.greedy(20), null),
                m.generate(new int[] {5}, o.withTopK(1).withSeed(9), null), "top-k 1 is greedy");
        assertArrayEquals(m.generate(new int[] {5}, SamplingOptions.greedy(20), null),
                m.generate(new int[] {5}, o.withTopP(1e-6f).withSeed(9), null), "a tiny nucleus is greedy");
    }

    @Test
    void stopTokensEndGenerationWithoutBeingEmitted() {
        LanguageModel m = model(config(), 4);
        int[] free = m.generate(new int[] {7}, SamplingOptions.greedy(12), null);
        int stop = free[4];
        int first = 0;
        while (free[first] != stop) {
            first++;
        }
        int[] stopped = m.generate(new int[] {7}, SamplingOptions.greedy(12).withStopTokens(stop), null);
        assertArrayEquals(Arrays.copyOf(free, first), stopped);
        assertEquals(0, m.generate(new int[] {7}, SamplingOptions.greedy(0), null).length);
    }

    @Test
    void repetitionPenaltyAvoidsRepeats() {
        LanguageModel m = model(config(), 5);
        int[] plain = m.generate(new int[] {1}, SamplingOptions.greedy(30), null);
        assertTrue(distinct(plain) < 30, "greedy decoding of this model repeats itself");
        int[] penalised = m.generate(new int[] {1}, SamplingOptions.greedy(30).withRepetitionPenalty(1e4f), null);
        assertTrue(distinct(penalised) > distinct(plain), distinct(penalised) + " vs " + distinct(plain));
    }

    @Test
    void regulatorCanStopEarly() {
        LanguageModel m = model(config(), 6);
        List<Float> norms = new ArrayList<>();
        int[] out = m.generate(new int[] {2}, SamplingOptions.greedy(10).withRegulator((n, tok, hidden) -> {
            assertEquals(16, hidden.length);
            norms.add(hidden[0]);
            return n == 3;
        }), null);
        assertEquals(3, out.length);
        assertEquals(3, norms.size());
    }

    @Test
    void maxTokensIsABoundNotAnAllocation() {
        LanguageModel m = model(config(), 6);
        int[] out = m.generate(new int[] {2}, SamplingOptions.greedy(Integer.MAX_VALUE)
                .withRegulator((n, tok, hidden) -> n == 300), null);
        assertEquals(300, out.length, "past the first room of 256 tokens, within a bound no array could hold");
        assertArrayEquals(m.generate(new int[] {2}, SamplingOptions.greedy(300), null), out, "the same tokens");
    }

    @Test
    void generationContinuesPastTheContextBySlidingTheWindow() {
        LanguageModel m = model(config(), 7);
        int[] prompt = new int[30];
        Arrays.fill(prompt, 3);
        int[] out = m.generate(prompt, SamplingOptions.defaults().withMaxTokens(60), null);
        assertEquals(60, out.length);
        LanguageModel one = model(config().with("context", 1), 7);
        assertArrayEquals(new int[] {one.generate(new int[] {4}, SamplingOptions.greedy(1), null)[0]},
                one.generate(new int[] {9, 4}, SamplingOptions.greedy(1), null), "a context of one sees only the last token");
        assertEquals(5, one.generate(new int[] {4}, SamplingOptions.greedy(5), null).length);
    }

    @Test
    void batchOneDecodingReusesItsBuffers() {
        // d_model 256 makes every per-token buffer at least 1 KiB: a hidden row is 1 KiB, the logits 1.2 KiB,
        // one position of the KV cache 4 KiB. relu: the Vector API activations allocate until the JIT has
        // compiled them, which is not what this checks.
        LanguageModel m = model(ModelConfig.fromMap(Map.of("layers", 2, "heads", 2, "d_model", 256, "context", 512,
                "vocab_size", 300, "activation", "relu")), 8);
        // Until the JIT has compiled the kernels they allocate; what must hold is the steady state, so measure
        // until it is reached (a loaded machine compiles late), within a generous time limit. In a test JVM
        // that has run many other models, call sites the JIT finds megamorphic can leave a few small objects
        // per token that escape analysis would otherwise remove: CI once saw 181 bytes a token for 30 s. The
        // bound sits between that and the smallest buffer a real regression would allocate.
        long perToken = Long.MAX_VALUE;
        long shortCall = 0;
        long longCall = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (perToken > MAX_BYTES_PER_TOKEN && System.nanoTime() < deadline) {
            longCall = allocated(m, 400);
            shortCall = allocated(m, 40);
            perToken = (longCall - shortCall) / 360;
        }
        // the result and sequence arrays grow by three ints a token; no buffer may grow with the length
        assertTrue(perToken <= MAX_BYTES_PER_TOKEN, "decoding allocated " + perToken + " bytes per token ("
                + shortCall + " for 40 tokens, " + longCall + " for 400)");
    }

    private static final int MAX_BYTES_PER_TOKEN = 512;

    /** Bytes one generate call allocates on this thread. */
    private static long allocated(LanguageModel m, int tokens) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertTrue(before > 0, "allocation accounting is on");
        m.generate(new int[] {1, 2, 3}, SamplingOptions.defaults().withMaxTokens(tokens), null);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static int distinct(int[] a) {
        return (int) Arrays.stream(a).distinct().count();
    }
    /** An activation of a plug-in: {@code nan} gives NaN everywhere, {@code broken} throws from its own code. */
    private static final class PluginActivation implements Activation {
        private final String name;

        PluginActivation(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
            if (name.equals("broken")) {
                throw new IllegalStateException("forward blew up on purpose");
            }
            Arrays.fill(y, rowFrom * cols, rowTo * cols, Float.NaN);
        }

        @Override
        public void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, Map<String, Double> options) {
            throw new AssertionError("generation needs no backward");
        }
    }

    private static LanguageModel withActivation(String name) {
        Map<String, Activation> registry = Fixtures.registry();
        registry.put(name, new PluginActivation(name));
        return new VesperModelFactory(registry::get).create(config().with("activation", name), 3);
    }

    @Test
    void anActivationsFailureInGenerationNamesTheActivation() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> withActivation("broken").generate(new int[] {1, 2}, SamplingOptions.greedy(5), null));
        assertEquals("activation 'broken' failed: forward blew up on purpose", e.getMessage());
    }

    @Test
    void nonFiniteOutputStopsGenerationWithAReasonInsteadOfSamplingGarbage() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> withActivation("nan").generate(new int[] {1, 2}, SamplingOptions.defaults().withMaxTokens(5), null));
        assertEquals("token 1: the model's output is not finite (NaN): its weights, or its activation 'nan', give it"
                + " for this text; nothing more is generated", e.getMessage());
    }
}
