package dev.vesper.api.data;

import org.osgi.annotation.versioning.ProviderType;

/** A tokenized dataset with a train and a validation split, memory-mapped from its cache. */
@ProviderType
public interface TokenDataset extends AutoCloseable {
    enum Split { TRAIN, VALIDATION }

    long tokens(Split split);

    long documents(Split split);

    /** A seeded sampler of random windows of {@code seq + 1} tokens from one split. */
    BatchSampler sampler(Split split, int batch, int seq, long seed);

    @Override
    void close();
}
