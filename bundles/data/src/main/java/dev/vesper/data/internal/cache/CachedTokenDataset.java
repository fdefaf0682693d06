package dev.vesper.data.internal.cache;

import dev.vesper.api.data.BatchSampler;
import dev.vesper.api.data.TokenDataset;
import java.util.SplittableRandom;

/**
 * A token cache seen as train and validation splits. The split is by document: a seeded shuffle
 * holds out round(fraction x documents) of them (at least one when the fraction is positive and
 * there are two or more; never all), passing over those that would leave validation more tokens than
 * training ({@link #holdOut}).
 */
public final class CachedTokenDataset implements TokenDataset {
    private final MappedTokens tokens;
    private final String location;
    private final SplitView train;
    private final SplitView validation;

    /** {@code location} names the source in messages. */
    public CachedTokenDataset(MappedTokens tokens, String location, double validationFraction, boolean pack, long seed) {
        this.tokens = tokens;
        this.location = location;
        boolean[] held = holdOut(lengths(tokens.documentStarts()), validationFraction, seed);
        int v = 0;
        for (boolean h : held) {
            v += h ? 1 : 0;
        }
        int[] trainDocs = new int[held.length - v];
        int[] validationDocs = new int[v];
        int t = 0;
        int k = 0;
        for (int d = 0; d < held.length; d++) {
            if (held[d]) {
                validationDocs[k++] = d;
            } else {
                trainDocs[t++] = d;
            }
        }
        this.train = new SplitView(tokens, trainDocs, pack);
        this.validation = new SplitView(tokens, validationDocs, pack);
    }

    /** Each document's tokens, its separator included, from the document index. */
    private static long[] lengths(long[] starts) {
        long[] lengths = new long[starts.length - 1];
        for (int d = 0; d < lengths.length; d++) {
            lengths[d] = starts[d + 1] - starts[d];
        }
        return lengths;
    }

    /**
     * The held-out documents: the first of a seeded shuffle, round(fraction x documents) of them (at least
     * one when the fraction is positive and there are two or more; never all). A document that would give
     * the validation split more tokens than the train split keeps is passed over for the next one in the
     * shuffle: on a small dataset, one large document held out would otherwise leave training next to
     * nothing, or nothing at all, depending on the seed. Only then does the shuffle go on past its first
     * draws, so the split of any dataset where this never happens (all but the smallest) is as it was.
     */
    static boolean[] holdOut(long[] lengths, double fraction, long seed) {
        int n = lengths.length;
        boolean[] held = new boolean[n];
        int k = heldOutCount(n, fraction);
        long total = 0;
        for (long length : lengths) {
            total += length;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        long heldTokens = 0;
        for (int i = 0, taken = 0; i < n && taken < k; i++) {
            int j = i + r.nextInt(n - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
            long length = lengths[order[i]];
            if (heldTokens + length > total - heldTokens - length) {
                continue;
            }
            held[order[i]] = true;
            heldTokens += length;
            taken++;
        }
        return held;
    }

    private static int heldOutCount(int n, double fraction) {
        int k = (int) Math.round(fraction * n);
        if (fraction > 0 && n >= 2) {
            k = Math.max(1, k);
        }
        return Math.min(k, Math.max(0, n - 1));
    }

    private SplitView view(Split split) {
        return split == Split.TRAIN ? train : validation;
    }

    @Override
    public long tokens(Split split) {
        return view(split).tokens();
    }

    @Override
    public long documents(Split split) {
        return view(split).documents();
    }

    @Override
    public long sourceBytes() {
        return tokens.header().sourceBytes;
    }

    @Override
    public String sourceFingerprint() {
        return tokens.header().sourceFingerprint;
    }

    @Override
    public long skippedLines() {
        return tokens.header().skippedLines;
    }

    @Override
    public String firstSkippedLine() {
        String first = tokens.header().firstSkippedLine;
        return first.isEmpty() ? null : first;
    }

    @Override
    public BatchSampler inOrder(Split split, int batch, int seq, int ignoreTarget) {
        requireText(split, seq);
        return new InOrderSampler(view(split), batch, seq, ignoreTarget);
    }

    @Override
    public BatchSampler sampler(Split split, int batch, int seq, long seed) {
        requireText(split, seq);
        return new WindowSampler(view(split), location, name(split), heldOut(split), batch, seq, seed);
    }

    /**
     * For the message of a train split without a window: what validation holds out, since on a small
     * dataset that may be most of it.
     */
    private String heldOut(Split split) {
        if (split != Split.TRAIN || validation.documents() == 0) {
            return "";
        }
        return "; validation holds out " + validation.documentCount() + " of " + tokens.header().documents
                + ", " + validation.tokens() + " tokens";
    }

    /** An empty source is the user's mistake to see at once, not a split's shortage of windows. */
    private void requireText(Split split, int seq) {
        CacheHeader h = tokens.header();
        if (h.documents > 0) {
            return;
        }
        String skipped = h.skippedLines == 0 ? "" : "; " + h.skippedLines + (h.skippedLines == 1 ? " bad line" : " bad lines")
                + " skipped, the first: " + h.firstSkippedLine;
        throw new IllegalArgumentException(location + ": holds no text (0 documents" + skipped + "), so the " + name(split)
                + " split has no window of seq + 1 = " + (seq + 1) + " tokens");
    }

    private static String name(Split split) {
        return split.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        // the mappings are released by the garbage collector; nothing else is held open
    }
}
