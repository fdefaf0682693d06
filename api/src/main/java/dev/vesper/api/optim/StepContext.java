package dev.vesper.api.optim;

/**
 * What the trainer hands the optimizer each step: the scheduled learning rate, and the batch's
 * mean loss and mean predictive entropy in nats (spec section 5).
 */
public final class StepContext {
    private final double learningRate;
    private final double loss;
    private final double entropy;

    public StepContext(double learningRate, double loss, double entropy) {
        this.learningRate = learningRate;
        this.loss = loss;
        this.entropy = entropy;
    }

    /**
     * The learning rate the schedule gives this step. NaN means "none given": the optimizer then uses
     * its configured {@code lr} option.
     */
    public double learningRate() {
        return learningRate;
    }

    public double loss() {
        return loss;
    }

    public double entropy() {
        return entropy;
    }
}
