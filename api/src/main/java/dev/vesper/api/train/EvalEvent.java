package dev.vesper.api.train;

/** A periodic evaluation on the validation split. */
public final class EvalEvent {
    private final String jobId;
    private final long step;
    private final double validationLoss;
    private final long tokens;

    public EvalEvent(String jobId, long step, double validationLoss, long tokens) {
        this.jobId = jobId;
        this.step = step;
        this.validationLoss = validationLoss;
        this.tokens = tokens;
    }

    public String jobId() { return jobId; }

    public long step() { return step; }

    public double validationLoss() { return validationLoss; }

    public double validationPerplexity() { return Math.exp(validationLoss); }

    public long tokens() { return tokens; }
}
