package dev.vesper.trainer.internal;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.TokenDataset;
import dev.vesper.api.data.Tokenizer;

/**
 * What the steps train on: the sampler over the training split, whose position is the run's place in
 * the data, and what a checkpoint records of where the tokens came from (the tokenizer and the data's
 * fingerprint). The dataset itself is closed by the {@link Preparation} that opened it.
 */
final class TrainingData {
    private final Tokenizer tokenizer;
    private final TokenDataset dataset;
    private final BatchSampler sampler;
    private final long batchesPerEpoch;

    TrainingData(Tokenizer tokenizer, TokenDataset dataset, BatchSampler sampler) {
        this.tokenizer = tokenizer;
        this.dataset = dataset;
        this.sampler = sampler;
        this.batchesPerEpoch = Math.max(1, sampler.batchesPerEpoch());
    }

    /** The next batch, as {@link StepRunner.BatchSource} draws it. */
    void next(int[] inputs, int[] targets) {
        sampler.next(inputs, targets);
    }

    /** Batches drawn so far, counted over epochs. */
    long position() {
        return sampler.position();
    }

    void seek(long position) {
        sampler.seek(position);
    }

    long batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The epoch the next batch is drawn in: whole passes over the training split so far. */
    long epoch() {
        return sampler.position() / batchesPerEpoch;
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The fingerprint of the data the tokens were read from; null when unknown. */
    String sourceFingerprint() {
        return dataset.sourceFingerprint();
    }
}
