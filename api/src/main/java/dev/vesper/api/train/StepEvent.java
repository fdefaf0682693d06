package dev.vesper.api.train;

/** One finished training step, sent to every {@link TrainingListener} and the metrics file. */
public final class StepEvent {
    private final String jobId;
    private final long step;
    private final long epoch;
    private final double loss;
    private final double entropy;
    private final double learningRate;
    private final double beta1;
    private final double skippedFraction;
    private final double gradNorm;
    private final double msPerStep;
    private final double tokensPerSecond;
    private final boolean skipped;

    public StepEvent(String jobId, long step, long epoch, double loss, double entropy, double learningRate,
                     double beta1, double skippedFraction, double gradNorm, double msPerStep,
                     double tokensPerSecond, boolean skipped) {
        this.jobId = jobId;
        this.step = step;
        this.epoch = epoch;
        this.loss = loss;
        this.entropy = entropy;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.skippedFraction = skippedFraction;
        this.gradNorm = gradNorm;
        this.msPerStep = msPerStep;
        this.tokensPerSecond = tokensPerSecond;
        this.skipped = skipped;
    }

    public String jobId() { return jobId; }

    public long step() { return step; }

    public long epoch() { return epoch; }

    public double loss() { return loss; }

    public double perplexity() { return Math.exp(loss); }

    /** Mean predictive entropy of the batch, nats. */
    public double entropy() { return entropy; }

    /** The learning rate the optimizer applied. */
    public double learningRate() { return learningRate; }

    public double beta1() { return beta1; }

    /** Fraction of elements the optimizer skipped. */
    public double skippedFraction() { return skippedFraction; }

    /** Global gradient norm before clipping. */
    public double gradNorm() { return gradNorm; }

    public double msPerStep() { return msPerStep; }

    public double tokensPerSecond() { return tokensPerSecond; }

    /** True when the step was skipped for a non-finite loss or gradient. */
    public boolean skipped() { return skipped; }
}
