package dev.vesper.optim.support;

/**
 * The running means of the batch loss {@code L̄} and predictive entropy {@code H̄} (spec section 5):
 * exponential moving averages initialised at the first value. Both optimizers keep them, AdamW
 * included, so that switching to Velvet in the middle of a run finds them warmed up.
 *
 * <p>A step calls {@link #prime} before it uses the means (so that the first step sees its own
 * values) and {@link #update} after. Non-finite values (a NaN loss from a bad batch) are ignored,
 * so that one bad batch cannot poison the means for the rest of the run.
 */
public final class RunningMeans {
    private final double decay;
    private double loss;
    private double entropy;
    private boolean initialised;

    public RunningMeans(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("ema must be in [0, 1), got " + decay);
        }
        this.decay = decay;
    }

    /** Initialises the means at these values if they have none yet. */
    public void prime(double loss, double entropy) {
        if (!initialised && Double.isFinite(loss) && Double.isFinite(entropy)) {
            this.loss = loss;
            this.entropy = entropy;
            this.initialised = true;
        }
    }

    /** Folds this step's values in: {@code x̄ ← d·x̄ + (1 − d)·x}. */
    public void update(double loss, double entropy) {
        prime(loss, entropy);
        if (initialised && Double.isFinite(loss) && Double.isFinite(entropy)) {
            this.loss = decay * this.loss + (1 - decay) * loss;
            this.entropy = decay * this.entropy + (1 - decay) * entropy;
        }
    }

    public double decay() { return decay; }

    /** {@code L̄}, meaningful once {@link #initialised()}. */
    public double loss() { return loss; }

    /** {@code H̄}, meaningful once {@link #initialised()}. */
    public double entropy() { return entropy; }

    public boolean initialised() { return initialised; }

    void restore(double loss, double entropy, boolean initialised) {
        this.loss = initialised ? loss : 0;
        this.entropy = initialised ? entropy : 0;
        this.initialised = initialised;
    }
}
