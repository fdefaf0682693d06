package dev.vesper.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.autograd.CrossEntropy;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.io.TensorFile;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.model.SamplingOptions;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden model case: logits, loss and entropy within relative 1e-4, every gradient within 1e-3
 * (max-abs difference over the tensor's norm), and the KV-cache greedy decoder equal to
 * {@code expected.greedy}.
 */
class GoldenParityTest {
    static Stream<Path> cases() {
        return Fixtures.goldenModels().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReference(Path file) {
        TensorFile f = Fixtures.read(file);
        ModelConfig config = Fixtures.config(f);
        LanguageModel model = Fixtures.factory().create(config, 1);
        load(model, f, file.toString());
        // the golden gradients cover base weights too; freezing is the trainer's choice, not the maths'
        for (Tensor t : model.weights(false).values()) {
            t.requiresGrad(true);
        }
        IntTensor ids = f.ints().get("input.ids");
        IntTensor targets = f.ints().get("input.targets");
        try (Graph g = Fixtures.AUTOGRAD.record(0)) {
            Tensor logits = model.forward(g, ids);
            CrossEntropy ce = g.crossEntropy(logits, targets, -100);
            g.backward(ce.loss());
            assertClose("logits", f.tensor("expected.logits"), logits, 1e-4);
            assertRelative("loss", f.tensor("expected.loss").get(0), ce.lossValue(), 1e-4);
            assertRelative("entropy", f.tensor("expected.entropy").get(0), ce.entropy(), 1e-4);
        }
        List<String> checked = new ArrayList<>();
        Map<String, Tensor> all = new LinkedHashMap<>(model.weights(false));
        all.putAll(model.weights(true));
        for (Map.Entry<String, Tensor> e : f.floats().entrySet()) {
            if (!e.getKey().startsWith("grad.")) {
                continue;
            }
            String name = e.getKey().substring("grad.".length());
            Tensor p = all.get(name);
            assertTrue(p != null && p.hasGrad(), name + " should have received a gradient");
            assertGradient(name, e.getValue(), p.grad());
            checked.add(name);
        }
        assertFalse(checked.isEmpty(), "the case has gradients");
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            if (!f.floats().containsKey("grad." + e.getKey())) {
                assertTrue(!e.getValue().hasGrad() || maxAbs(e.getValue().grad()) == 0,
                        e.getKey() + " has no reference gradient, so it must receive none");
            }
        }
        IntTensor greedy = f.ints().get("expected.greedy");
        if (greedy != null) {
            int[] expected = greedy.data();
            int[] prompt = Arrays.copyOf(expected, 3);
            List<Integer> streamed = new ArrayList<>();
            int[] got = model.generate(prompt, SamplingOptions.greedy(expected.length - 3), (i, t) -> streamed.add(t));
            assertArrayEquals(Arrays.copyOfRange(expected, 3, expected.length), got, "greedy continuation");
            assertEquals(got.length, streamed.size());
        }
    }

    static void load(LanguageModel model, TensorFile f, String source) {
        Map<String, Tensor> base = new LinkedHashMap<>();
        Map<String, Tensor> adapter = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : f.floats().entrySet()) {
            if (e.getKey().startsWith("param.")) {
                String name = e.getKey().substring("param.".length());
                (name.contains(".lora_") ? adapter : base).put(name, e.getValue());
            }
        }
        model.loadWeights(base, false, false, source);
        if (!adapter.isEmpty()) {
            model.loadWeights(adapter, true, false, source);
        }
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.size(); i++) {
            diff = Math.max(diff, Math.abs(expected.get(i) - actual.get(i)));
            scale = Math.max(scale, Math.abs(expected.get(i)));
        }
        assertTrue(diff <= tol * scale, what + ": max difference " + diff + " exceeds " + tol + " of the largest value " + scale);
    }

    static void assertRelative(String what, double expected, double actual, double tol) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.abs(expected), what + ": " + actual + " vs " + expected);
    }

    static void assertGradient(String name, Tensor expected, float[] actual) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.size(); i++) {
            diff = Math.max(diff, Math.abs(expected.get(i) - actual[i]));
            norm += (double) expected.get(i) * expected.get(i);
        }
        norm = Math.sqrt(norm);
        assertTrue(diff <= 1e-3 * norm, "gradient of " + name + ": max difference " + diff + " over norm " + norm);
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
