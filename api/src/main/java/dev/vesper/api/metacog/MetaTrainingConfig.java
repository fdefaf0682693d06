package dev.vesper.api.metacog;

/**
 * How to train a meta head: the data, steps, batch shape, learning rate and seed. Immutable; the
 * {@code with} methods return modified copies.
 *
 * @since 1.1
 */
public final class MetaTrainingConfig {
    private final String data;
    private final int steps;
    private final int batch;
    private final int seq;
    private final double learningRate;
    private final long seed;
    private final int validationBatches;

    private MetaTrainingConfig(String data, int steps, int batch, int seq, double learningRate, long seed,
                               int validationBatches) {
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data: a dataset is needed");
        }
        positive("steps", steps);
        positive("batch", batch);
        positive("seq", seq);
        positive("validation batches", validationBatches);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("lr must be a positive number, got " + learningRate);
        }
        this.data = data;
        this.steps = steps;
        this.batch = batch;
        this.seq = seq;
        this.learningRate = learningRate;
        this.seed = seed;
        this.validationBatches = validationBatches;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** 300 steps of 8 × 128 tokens at learning rate 1e-3, seed 1234, 20 validation batches. */
    public static MetaTrainingConfig of(String data) {
        return new MetaTrainingConfig(data, 300, 8, 128, 1e-3, 1234, 20);
    }

    public MetaTrainingConfig withSteps(int n) {
        return new MetaTrainingConfig(data, n, batch, seq, learningRate, seed, validationBatches);
    }

    public MetaTrainingConfig withBatch(int n) {
        return new MetaTrainingConfig(data, steps, n, seq, learningRate, seed, validationBatches);
    }

    public MetaTrainingConfig withSeq(int n) {
        return new MetaTrainingConfig(data, steps, batch, n, learningRate, seed, validationBatches);
    }

    public MetaTrainingConfig withLearningRate(double lr) {
        return new MetaTrainingConfig(data, steps, batch, seq, lr, seed, validationBatches);
    }

    public MetaTrainingConfig withSeed(long s) {
        return new MetaTrainingConfig(data, steps, batch, seq, learningRate, s, validationBatches);
    }

    public MetaTrainingConfig withValidationBatches(int n) {
        return new MetaTrainingConfig(data, steps, batch, seq, learningRate, seed, n);
    }

    public String data() { return data; }

    public int steps() { return steps; }

    public int batch() { return batch; }

    public int seq() { return seq; }

    public double learningRate() { return learningRate; }

    public long seed() { return seed; }

    public int validationBatches() { return validationBatches; }
}
