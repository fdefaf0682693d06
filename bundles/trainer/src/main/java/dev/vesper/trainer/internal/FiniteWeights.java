package dev.vesper.trainer.internal;

import dev.vesper.api.model.LanguageModel;
import dev.vesper.api.tensor.Tensor;

/**
 * Whether every weight a checkpoint would hold is finite. A non-finite weight is never saved, and a run
 * whose weights turned non-finite goes back rather than training on: every later step would be skipped.
 */
final class FiniteWeights {
    private FiniteWeights() {
    }

    static boolean of(LanguageModel model) {
        return allFinite(model, false) && (!model.config().hasAdapter() || allFinite(model, true));
    }

    private static boolean allFinite(LanguageModel model, boolean adapter) {
        for (Tensor t : model.weights(adapter).values()) {
            float[] d = t.data();
            for (int i = t.offset(), end = i + t.size(); i < end; i++) {
                if (!Float.isFinite(d[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
