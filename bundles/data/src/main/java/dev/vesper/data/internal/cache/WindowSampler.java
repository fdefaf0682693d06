package dev.vesper.data.internal.cache;

import java.util.SplittableRandom;

/**
 * Random windows of {@code seq + 1} tokens. Batch {@code k} is drawn from a generator seeded by
 * {@code (seed, k)} alone, so that {@link #seek} to any position replays the original run exactly
 * with no state beyond the position. Windows are drawn with replacement; an "epoch" is as many
 * batches as cover the split's tokens once.
 */
public final class WindowSampler extends SplitSampler {
    private final SplitView split;
    private final long seed;
    private final long windows;
    private final long[] prefix;
    private final int[] window;

    /** {@code heldOut} ends the message of a split without a window: "; validation holds out …", or empty. */
    public WindowSampler(SplitView split, String location, String splitName, String heldOut, int batch, int seq, long seed) {
        super(batch, seq);
        this.split = split;
        this.seed = seed;
        this.windows = split.windows(seq + 1);
        if (windows <= 0) {
            throw new IllegalArgumentException(location + ": the " + splitName + " split has no window of seq + 1 = " + (seq + 1)
                    + " tokens (" + split.documentCount() + ", " + split.tokens() + " tokens, longest document "
                    + split.longestDocument() + heldOut + "); use a shorter seq or more data"
                    + (split.packed() ? "" : " (or pack the documents)"));
        }
        this.prefix = split.windowPrefix(seq + 1);
        this.window = new int[seq + 1];
    }

    @Override
    public void next(int[] inputs, int[] targets) {
        checkBuffers(inputs, targets);
        SplittableRandom r = new SplittableRandom(mix(seed ^ mix(position + 0x632BE59BD9B4E019L)));
        for (int b = 0; b < batch; b++) {
            split.window(r.nextLong(windows), seq + 1, prefix, window);
            System.arraycopy(window, 0, inputs, b * seq, seq);
            System.arraycopy(window, 1, targets, b * seq, seq);
        }
        position++;
    }

    @Override
    public long batchesPerEpoch() {
        return Math.max(1, split.tokens() / ((long) batch * seq));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
