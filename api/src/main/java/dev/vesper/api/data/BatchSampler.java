package dev.vesper.api.data;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Draws batches of {@code batch} windows of {@code seq + 1} tokens: inputs are the first
 * {@code seq}, targets the last {@code seq}. Its {@linkplain #position() position} is part of the
 * state that a resume restores.
 */
@ProviderType
public interface BatchSampler {
    int batch();

    int seq();

    /** Fills {@code inputs} and {@code targets}, each {@code batch·seq} long, row-major. */
    void next(int[] inputs, int[] targets);

    /** Batches drawn so far, counted over epochs. */
    long position();

    /** Moves to a position, so that the next batch is the one drawn at that point of the original run. */
    void seek(long position);

    /** Batches in one pass over the split. */
    long batchesPerEpoch();
}
