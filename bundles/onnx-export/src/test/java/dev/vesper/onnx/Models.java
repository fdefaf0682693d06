package dev.vesper.onnx;

import dev.vesper.activation.era.EraActivation;
import dev.vesper.activation.gelu.GeluActivation;
import dev.vesper.activation.relu.ReluActivation;
import dev.vesper.activation.silu.SiluActivation;
import dev.vesper.api.autograd.Autograd;
import dev.vesper.api.autograd.Graph;
import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;
import dev.vesper.autograd.TapeAutograd;
import dev.vesper.model.VesperModelFactory;
import dev.vesper.tensor.cpu.CpuBackend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Random;

/** Real VesperLM models, built by the factory outside OSGi, with weights that look trained. */
final class Models {
    static final Autograd AUTOGRAD = new TapeAutograd(new CpuBackend());
    private static final Map<String, Activation> ACTIVATIONS = new HashMap<>();

    static {
        for (Activation a : List.of(new EraActivation(), new GeluActivation(), new SiluActivation(), new ReluActivation())) {
            ACTIVATIONS.put(a.name(), a);
        }
    }

    private Models() {
    }

    /** Two layers, two heads of 8, context 8, a vocabulary of 37: small enough for the plain-loop oracle. */
    static ModelConfig small(String activation) {
        return ModelConfig.fromMap(Map.of("layers", 2, "heads", 2, "d_model", 16, "context", 8,
                "vocab_size", 37, "activation", activation));
    }

    static LanguageModel create(ModelConfig c, long seed) {
        LanguageModel m = new VesperModelFactory(ACTIVATIONS::get).create(c, seed);
        perturb(m, seed);
        return m;
    }

    /**
     * GPT-2 initialisation leaves attention nearly uniform and adapters at zero, which would hide a
     * wrong RoPE or a missing adapter; these weights have unit-scale activations, peaked attention and
     * an adapter update of the same order as the base.
     */
    private static void perturb(LanguageModel m, long seed) {
        Random r = new Random(seed * 31 + 7);
        for (Entry<String, Tensor> e : m.weights(false).entrySet()) {
            Tensor t = e.getValue();
            String name = e.getKey();
            for (int i = 0; i < t.size(); i++) {
                double g = r.nextGaussian();
                float v;
                if (name.endsWith("norm.weight")) {
                    v = (float) (1 + 0.2 * g);
                } else if (name.endsWith("norm.bias")) {
                    v = (float) (0.2 * g);
                } else if (name.equals("tok_embeddings.weight")) {
                    v = (float) g;
                } else if (name.contains(".wq.") || name.contains(".wk.")) {
                    v = (float) (2 * g / Math.sqrt(t.dim(1)));   // sharp attention: RoPE matters
                } else {
                    v = (float) (g / Math.sqrt(t.dim(1)));
                }
                t.set(i, v);
            }
        }
        for (Entry<String, Tensor> e : m.weights(true).entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey().endsWith("lora_b")) {
                for (int i = 0; i < t.size(); i++) {
                    t.set(i, (float) (0.3 * r.nextGaussian()));
                }
            } else if (e.getKey().endsWith("lora_bias")) {
                for (int i = 0; i < t.size(); i++) {
                    t.set(i, (float) (0.05 * r.nextGaussian()));
                }
            }
        }
    }

    static float[] logits(LanguageModel m, int[][] ids) {
        int b = ids.length;
        int t = ids[0].length;
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, flat, i * t, t);
        }
        try (Graph g = AUTOGRAD.noGrad()) {
            return m.forward(g, IntTensor.wrap(flat, b, t)).toArray();
        }
    }

    static int[][] ids(int batch, int seq, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] ids = new int[batch][seq];
        for (int[] row : ids) {
            for (int j = 0; j < seq; j++) {
                row[j] = r.nextInt(vocab);
            }
        }
        return ids;
    }

    /** Max-abs difference over the largest reference value, the spec's relative error on logits. */
    static double relativeError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(expected.length + " values expected, got " + actual.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
