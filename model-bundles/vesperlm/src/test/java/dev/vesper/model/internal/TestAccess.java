package dev.vesper.model.internal;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.Tensor;
import java.util.SplittableRandom;

/** Test helpers that reach into the model's internals. */
public final class TestAccess {
    private TestAccess() {
    }

    public static void fill(Tensor t, double std, long seed) {
        Init.normal(t, std, new SplittableRandom(seed));
    }

    /** The FlyLoRA selection counts of layer {@code layer}'s W1 adapter gathered since the last step. */
    public static long[] counts(LanguageModel m, int layer) {
        return ((FlyLoraAdapter) ((VesperLM) m).adapter(layer, 0)).counts();
    }
}
