package dev.vesper.api.autograd;

import dev.vesper.api.tensor.Tensor;

/**
 * The result of a fused cross-entropy: the mean loss as a scalar tensor of the graph, and the
 * batch's mean predictive entropy (nats), which Velvet uses, over the positions counted.
 */
public final class CrossEntropy {
    private final Tensor loss;
    private final double entropy;
    private final int counted;

    public CrossEntropy(Tensor loss, double entropy, int counted) {
        this.loss = loss;
        this.entropy = entropy;
        this.counted = counted;
    }

    /** Mean loss, shape {@code [1]}; call {@code backward} on it. */
    public Tensor loss() {
        return loss;
    }

    public float lossValue() {
        return loss.get(0);
    }

    /** Mean entropy of the predicted distributions at counted positions, in nats. */
    public double entropy() {
        return entropy;
    }

    /** Number of target positions that were not ignored. */
    public int counted() {
        return counted;
    }
}
