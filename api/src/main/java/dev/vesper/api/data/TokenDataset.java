package dev.vesper.api.data;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tokenized dataset with a train and a validation split (by document), memory-mapped from its
 * cache. With packing, a split is its documents back to back, each followed by the end-of-text
 * separator (when the tokenizer has one), and windows may span documents; without packing, windows
 * lie inside single documents and separators are not counted.
 */
@ProviderType
public interface TokenDataset extends AutoCloseable {
    enum Split { TRAIN, VALIDATION }

    /** Tokens in the split that windows are drawn from (separators included when packing). */
    long tokens(Split split);

    long documents(Split split);

    /** UTF-8 bytes of the text of all documents, both splits; -1 when unknown. */
    default long sourceBytes() {
        return -1;
    }

    /**
     * The fingerprint of the data the tokens were read from (changes when a file is edited or a Hub
     * revision moves); null when unknown. A resumed run compares it with its checkpoint's.
     *
     * @since 1.4
     */
    default String sourceFingerprint() {
        return null;
    }

    /** Bad lines or records that the read skipped ({@link ReadOptions#skipBadLines()}); 0 when none. */
    default long skippedLines() {
        return 0;
    }

    /** Why the first skipped line was bad, naming its file and line; null when none was skipped. */
    default String firstSkippedLine() {
        return null;
    }

    /**
     * A seeded sampler of random windows of {@code seq + 1} tokens from one split.
     *
     * @throws IllegalArgumentException when the split holds no window that long
     */
    BatchSampler sampler(Split split, int batch, int seq, long seed);

    /**
     * One pass over a split in order, for measuring rather than training: consecutive windows of
     * {@code seq + 1} tokens that overlap by one, so that every token but the first (of the split
     * when packing, of each document otherwise) is a target exactly once. Rows after the last
     * window, and the end of a short last window, have targets {@code ignoreTarget}.
     * {@link BatchSampler#batchesPerEpoch()} is the number of batches in the pass.
     *
     * @throws IllegalArgumentException when the split has no two consecutive tokens
     * @since 1.1
     */
    BatchSampler inOrder(Split split, int batch, int seq, int ignoreTarget);

    @Override
    void close();
}
