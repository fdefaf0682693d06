package dev.vesper.api.optim;

/** What one optimizer step did, for the trainer's metrics. */
public final class StepStats {
    public static final StepStats NONE = new StepStats(0, 0, 0, 0);

    private final long step;
    private final double learningRate;
    private final double beta1;
    private final double skippedFraction;

    public StepStats(long step, double learningRate, double beta1, double skippedFraction) {
        this.step = step;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.skippedFraction = skippedFraction;
    }

    /** The optimizer's step count after this step. */
    public long step() {
        return step;
    }

    /** The learning rate actually applied. */
    public double learningRate() {
        return learningRate;
    }

    /** The β1 actually applied. */
    public double beta1() {
        return beta1;
    }

    /** Fraction of trainable elements left untouched (sparse-aware updates). */
    public double skippedFraction() {
        return skippedFraction;
    }
}
