package dev.vesper.trainer.internal;

/**
 * What a job's status says of its last step, published as one object so that a reader on another
 * thread never sees the step of one iteration with the loss of another.
 *
 * @param loss the last finite step's loss (a skipped step keeps it)
 * @param msPerStep a running average (see {@link #after})
 */
record StepFigures(long step, long epoch, double loss, double learningRate, double gradNorm, double msPerStep,
                   double tokensPerSecond) {
    static final StepFigures NONE = new StepFigures(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Where a resumed run starts: its step, epoch and loss, nothing timed yet. */
    static StepFigures at(long step, long epoch, double loss) {
        return new StepFigures(step, epoch, loss, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * The figures after one more step. {@code weight} is how much the step's time counts in the running
     * average; a skipped step ({@code loss} not finite) leaves the loss as it was.
     */
    StepFigures after(long step, long epoch, double loss, boolean skipped, double learningRate, double gradNorm,
                      double ms, double weight, long tokensPerStep) {
        double average = Double.isNaN(msPerStep) ? ms : (1 - weight) * msPerStep + weight * ms;
        return new StepFigures(step, epoch, skipped ? this.loss : loss, learningRate, gradNorm, average,
                tokensPerStep / (average / 1000.0));
    }

    /** Back at an earlier step (a reload): its step, epoch and loss, the timing as it was. */
    StepFigures reloaded(long step, long epoch, double loss) {
        return new StepFigures(step, epoch, loss, learningRate, gradNorm, msPerStep, tokensPerSecond);
    }
}
