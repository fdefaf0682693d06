package dev.vesper.api.metacog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to train a meta head: the data, steps, batch shape, learning rate and seed, and optionally a
 * file of texts labelled with their errors. Immutable; the {@code with} methods return modified copies.
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
    private final Path errorLabels;

    private MetaTrainingConfig(String data, int steps, int batch, int seq, double learningRate, long seed,
                               int validationBatches, Path errorLabels) {
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
        this.errorLabels = errorLabels;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** 300 steps of 8 × 128 tokens at learning rate 1e-3, seed 1234, 20 validation batches. */
    public static MetaTrainingConfig of(String data) {
        return new MetaTrainingConfig(data, 300, 8, 128, 1e-3, 1234, 20, null);
    }

    public MetaTrainingConfig withSteps(int n) {
        return new MetaTrainingConfig(data, n, batch, seq, learningRate, seed, validationBatches, errorLabels);
    }

    public MetaTrainingConfig withBatch(int n) {
        return new MetaTrainingConfig(data, steps, n, seq, learningRate, seed, validationBatches, errorLabels);
    }

    public MetaTrainingConfig withSeq(int n) {
        return new MetaTrainingConfig(data, steps, batch, n, learningRate, seed, validationBatches, errorLabels);
    }

    public MetaTrainingConfig withLearningRate(double lr) {
        return new MetaTrainingConfig(data, steps, batch, seq, lr, seed, validationBatches, errorLabels);
    }

    public MetaTrainingConfig withSeed(long s) {
        return new MetaTrainingConfig(data, steps, batch, seq, learningRate, s, validationBatches, errorLabels);
    }

    public MetaTrainingConfig withValidationBatches(int n) {
        return new MetaTrainingConfig(data, steps, batch, seq, learningRate, seed, n, errorLabels);
    }

    /**
     * Also trains the error classes, on the texts of a JSON Lines file labelled with their errors:
     * one object per line, {@code {"text": "...", "error": "factual"}}, the error being one of
     * {@link Assessment#ERROR_CLASSES} or {@code "none"}. Null trains them on nothing, as before.
     *
     * @since 1.2
     */
    public MetaTrainingConfig withErrorLabels(Path file) {
        return new MetaTrainingConfig(data, steps, batch, seq, learningRate, seed, validationBatches, file);
    }

    public String data() { return data; }

    public int steps() { return steps; }

    public int batch() { return batch; }

    public int seq() { return seq; }

    public double learningRate() { return learningRate; }

    public long seed() { return seed; }

    public int validationBatches() { return validationBatches; }

    /**
     * The file of labelled texts the error classes train on, if any.
     *
     * @since 1.2
     */
    public Optional<Path> errorLabels() { return Optional.ofNullable(errorLabels); }
}
