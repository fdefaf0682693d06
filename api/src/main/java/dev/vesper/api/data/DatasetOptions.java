package dev.vesper.api.data;

import java.nio.file.Path;

/**
 * How a dataset is tokenized and split: the fraction of documents held out for validation, whether
 * documents are packed with the end-of-text separator, the seed of the split, and where caches go.
 */
public final class DatasetOptions {
    private final double validationFraction;
    private final boolean pack;
    private final long seed;
    private final Path cacheDirectory;

    public DatasetOptions(double validationFraction, boolean pack, long seed, Path cacheDirectory) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        this.validationFraction = validationFraction;
        this.pack = pack;
        this.seed = seed;
        this.cacheDirectory = cacheDirectory;
    }

    public double validationFraction() {
        return validationFraction;
    }

    public boolean pack() {
        return pack;
    }

    public long seed() {
        return seed;
    }

    public Path cacheDirectory() {
        return cacheDirectory;
    }
}
