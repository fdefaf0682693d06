package dev.vesper.model.internal;

import dev.vesper.api.model.Activation;
import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.model.ModelConfig;
import dev.vesper.api.tensor.Tensor;
import java.util.SplittableRandom;

/** Test helpers that reach into the model's internals. */
public final class TestAccess {
    private TestAccess() {
    }

    public static void fill(Tensor t, double std, long seed) {
        Init.normal(t, std, new SplittableRandom(seed));
    }

    /**
     * Runs {@code tokens} through a fresh decoder of {@code m} in blocks of {@code block} tokens (1: token by
     * token) and returns the last position's logits and final hidden state.
     */
    public static float[][] decode(LanguageModel m, Activation act, int[] tokens, int block) {
        VesperLM lm = (VesperLM) m;
        ModelConfig c = m.config();
        FfnAdapter[][] adapters = new FfnAdapter[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            adapters[l] = lm.adapter(l, 0) == null ? null : new FfnAdapter[] {lm.adapter(l, 0), lm.adapter(l, 1)};
        }
        Decoder d = new Decoder(c, m.weights(false), adapters);
        d.prepare();
        for (int i = 0; i < tokens.length; i += block) {
            int count = Math.min(block, tokens.length - i);
            d.run(tokens, i, count, i + count == tokens.length, act, c.activationOptions());
        }
        return new float[][] {d.logits().clone(), d.hidden().clone()};
    }

    /** The FlyLoRA selection counts of layer {@code layer}'s W1 adapter gathered since the last step. */
    public static long[] counts(LanguageModel m, int layer) {
        return ((FlyLoraAdapter) ((VesperLM) m).adapter(layer, 0)).counts();
    }
}
