package dev.vesper.data.internal.cache;


/**
 * One pass over a split, in order: window {@code k} of a segment starting at {@code s} holds the
 * tokens {@code [s + k·seq, s + k·seq + seq]}, so that every token but a segment's first is a
 * target exactly once. A segment's last window, and the rows after the last window, are padded:
 * inputs with token 0 (they sit after every real position, so causal attention never sees them),
 * targets with the ignore id. A second pass repeats the first.
 */
public final class InOrderSampler extends SplitSampler {
    private final SplitView split;
    private final int ignore;
    private final long[] segments;
    /** windowStart[i]: the number of windows before segment i; the last entry is their total. */
    private final long[] windowStart;
    private final int[] window;

    public InOrderSampler(SplitView split, int batch, int seq, int ignoreTarget) {
        super(batch, seq);
        this.split = split;
        this.ignore = ignoreTarget;
        this.segments = split.segments();
        int n = segments.length / 2;
        this.windowStart = new long[n + 1];
        for (int i = 0; i < n; i++) {
            long targets = Math.max(0, segments[2 * i + 1] - segments[2 * i] - 1);
            windowStart[i + 1] = windowStart[i] + (targets + seq - 1) / seq;
        }
        if (windowStart[n] == 0) {
            throw new IllegalArgumentException("the split has no two consecutive tokens to score ("
                    + split.documentCount() + ", " + split.tokens() + " tokens)");
        }
        this.window = new int[seq + 1];
    }

    /** Windows in one pass. */
    public long windows() {
        return windowStart[windowStart.length - 1];
    }

    @Override
    public void next(int[] inputs, int[] targets) {
        checkBuffers(inputs, targets);
        long first = (position % batchesPerEpoch()) * batch;
        for (int b = 0; b < batch; b++) {
            int filled = fill(first + b);
            System.arraycopy(window, 0, inputs, b * seq, Math.min(filled, seq));
            java.util.Arrays.fill(inputs, b * seq + Math.min(filled, seq), (b + 1) * seq, 0);
            int scored = Math.max(0, filled - 1);
            System.arraycopy(window, 1, targets, b * seq, scored);
            java.util.Arrays.fill(targets, b * seq + scored, (b + 1) * seq, ignore);
        }
        position++;
    }

    /** Reads window {@code w} into {@link #window}; returns how many tokens it has (0 past the end). */
    private int fill(long w) {
        if (w >= windows()) {
            return 0;
        }
        int i = java.util.Arrays.binarySearch(windowStart, w);
        i = i >= 0 ? lastStartingAt(i) : -i - 2;
        long start = segments[2 * i] + (w - windowStart[i]) * seq;
        int n = (int) Math.min(seq + 1, segments[2 * i + 1] - start);
        split.read(start, n, window);
        return n;
    }

    /** Segments without windows share their start with the next one; the window is in the last of them. */
    private int lastStartingAt(int i) {
        while (i + 1 < windowStart.length - 1 && windowStart[i + 1] == windowStart[i]) {
            i++;
        }
        return i;
    }

    @Override
    public long batchesPerEpoch() {
        return (windows() + batch - 1) / batch;
    }
}
