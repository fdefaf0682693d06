package dev.vesper.api.train;

/** The result of a {@link ModelEvaluator}: mean loss over the target tokens counted. */
public final class Evaluation {
    private final String checkpoint;
    private final String data;
    private final double loss;
    private final long tokens;
    private final int window;

    public Evaluation(String checkpoint, String data, double loss, long tokens) {
        this(checkpoint, data, loss, tokens, -1);
    }

    /** @since 1.2 */
    public Evaluation(String checkpoint, String data, double loss, long tokens, int window) {
        this.checkpoint = checkpoint;
        this.data = data;
        this.loss = loss;
        this.tokens = tokens;
        this.window = window;
    }

    public String checkpoint() { return checkpoint; }

    public String data() { return data; }

    /** Mean cross-entropy, nats per token. */
    public double loss() { return loss; }

    public double perplexity() { return Math.exp(loss); }

    /** Target tokens the mean covers. */
    public long tokens() { return tokens; }

    /**
     * Tokens per window: the {@code seq} asked for, or the model's context when that is shorter;
     * -1 when not recorded.
     *
     * @since 1.2
     */
    public int window() { return window; }
}
