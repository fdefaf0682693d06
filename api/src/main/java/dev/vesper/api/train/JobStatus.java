package dev.vesper.api.train;

/** A snapshot of a job, as {@code vesper:status} shows it. NaN where a figure is not known yet. */
public final class JobStatus {
    private final String jobId;
    private final JobState state;
    private final long step;
    private final long totalSteps;
    private final long epoch;
    private final double loss;
    private final double learningRate;
    private final double gradNorm;
    private final double tokensPerSecond;
    private final double msPerStep;
    private final long heapUsedBytes;
    private final double etaSeconds;
    private final double validationLoss;
    private final long convergenceStep;
    private final String optimizer;
    private final String activation;
    private final String message;

    public JobStatus(String jobId, JobState state, long step, long totalSteps, long epoch, double loss,
                     double learningRate, double gradNorm, double tokensPerSecond, double msPerStep,
                     long heapUsedBytes, double etaSeconds, double validationLoss, long convergenceStep,
                     String optimizer, String activation, String message) {
        this.jobId = jobId;
        this.state = state;
        this.step = step;
        this.totalSteps = totalSteps;
        this.epoch = epoch;
        this.loss = loss;
        this.learningRate = learningRate;
        this.gradNorm = gradNorm;
        this.tokensPerSecond = tokensPerSecond;
        this.msPerStep = msPerStep;
        this.heapUsedBytes = heapUsedBytes;
        this.etaSeconds = etaSeconds;
        this.validationLoss = validationLoss;
        this.convergenceStep = convergenceStep;
        this.optimizer = optimizer;
        this.activation = activation;
        this.message = message;
    }

    public String jobId() { return jobId; }

    public JobState state() { return state; }

    public long step() { return step; }

    public long totalSteps() { return totalSteps; }

    public long epoch() { return epoch; }

    /** Training loss of the last step (mean over its micro-batches). */
    public double loss() { return loss; }

    public double perplexity() { return Math.exp(loss); }

    public double learningRate() { return learningRate; }

    public double gradNorm() { return gradNorm; }

    public double tokensPerSecond() { return tokensPerSecond; }

    public double msPerStep() { return msPerStep; }

    public long heapUsedBytes() { return heapUsedBytes; }

    public double etaSeconds() { return etaSeconds; }

    public double validationLoss() { return validationLoss; }

    /** The first step whose validation loss came within tolerance of the best, or -1. */
    public long convergenceStep() { return convergenceStep; }

    public String optimizer() { return optimizer; }

    public String activation() { return activation; }

    /** Why the job waits, failed or stopped; null when there is nothing to say. */
    public String message() { return message; }
}
