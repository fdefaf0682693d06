package dev.vesper.metacog.internal;

import dev.vesper.api.tensor.Parameter;
import dev.vesper.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** A copy of some weights as they were at the step with the lowest loss so far, to put back at the end. */
final class BestWeights {
    private final List<Parameter> weights;
    private final List<float[]> copies = new ArrayList<>();
    private double loss = Double.POSITIVE_INFINITY;
    private int step = -1;

    BestWeights(List<Parameter> weights) {
        this.weights = weights;
        for (Parameter p : weights) {
            copies.add(p.value().toArray());
        }
    }

    /** Keeps the weights as they are now if {@code lossNow} is the lowest yet. */
    void offer(int stepNow, double lossNow) {
        if (lossNow < loss) {
            loss = lossNow;
            step = stepNow;
            for (int i = 0; i < weights.size(); i++) {
                Tensor w = weights.get(i).value();
                System.arraycopy(w.data(), w.offset(), copies.get(i), 0, w.size());
            }
        }
    }

    /** Puts the kept weights back; returns the step they are from. */
    int restore() {
        for (int i = 0; i < weights.size(); i++) {
            Tensor w = weights.get(i).value();
            System.arraycopy(copies.get(i), 0, w.data(), w.offset(), w.size());
        }
        return step;
    }
}
