package dev.vesper.api.train;

/** The result of a {@link ModelEvaluator}: mean loss over the target tokens counted. */
public final class Evaluation {
    private final String checkpoint;
    private final String data;
    private final double loss;
    private final long tokens;
    private final int window;
    private final long batches;
    private final long batchesInPass;
    private long skippedLines;
    private String firstSkippedLine;

    public Evaluation(String checkpoint, String data, double loss, long tokens) {
        this(checkpoint, data, loss, tokens, -1, -1, -1);
    }

    /**
     * @param batches the batches scored
     * @param batchesInPass the batches that one pass over all of the data takes
     * @since 1.2
     */
    public Evaluation(String checkpoint, String data, double loss, long tokens, int window, long batches,
                      long batchesInPass) {
        this.batches = batches;
        this.batchesInPass = batchesInPass;
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

    /** Batches scored; -1 when not recorded. @since 1.2 */
    public long batches() { return batches; }

    /**
     * Batches that one pass over all of the data takes: when more than {@link #batches()}, the
     * score is of a sample of batches spread evenly over the data. -1 when not recorded.
     *
     * @since 1.2
     */
    public long batchesInPass() { return batchesInPass; }

    /**
     * This result, saying that reading the data skipped {@code lines} malformed records, the first of
     * them as {@code first} ({@code file:line:column: reason}).
     *
     * @since 1.4
     */
    public Evaluation withSkippedLines(long lines, String first) {
        Evaluation e = new Evaluation(checkpoint, data, loss, tokens, window, batches, batchesInPass);
        e.skippedLines = lines;
        e.firstSkippedLine = first;
        return e;
    }

    /** Malformed records skipped while reading the data (with {@code skipBadLines}); 0 when none. @since 1.4 */
    public long skippedLines() { return skippedLines; }

    /** The first skipped record, {@code file:line:column: reason}, or null. @since 1.4 */
    public String firstSkippedLine() { return firstSkippedLine; }
}
