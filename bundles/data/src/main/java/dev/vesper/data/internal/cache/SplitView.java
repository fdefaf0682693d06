package dev.vesper.data.internal.cache;

import java.util.Arrays;

/**
 * One split as a stream of windows. Packed: the split's documents, each with its end-of-text
 * separator, back to back; a window may cross from one document into the next. Not packed:
 * windows lie inside single documents (separators left out), so documents shorter than a window
 * contribute none.
 */
public final class SplitView {
    private final MappedTokens tokens;
    private final int[] docs;
    private final boolean pack;
    private final long[] cumulative;
    private final long total;

    /** Whether the split's documents run back to back, windows crossing from one into the next. */
    boolean packed() {
        return pack;
    }

    /** "1 document", "3 documents". */
    String documentCount() {
        return documents() + (documents() == 1 ? " document" : " documents");
    }

    SplitView(MappedTokens tokens, int[] docs, boolean pack) {
        this.tokens = tokens;
        this.docs = docs;
        this.pack = pack;
        long[] starts = tokens.documentStarts();
        boolean separated = tokens.header().endOfText >= 0;
        this.cumulative = new long[docs.length + 1];
        for (int i = 0; i < docs.length; i++) {
            int d = docs[i];
            long len = starts[d + 1] - starts[d] - (pack || !separated ? 0 : 1);
            cumulative[i + 1] = cumulative[i] + len;
        }
        this.total = cumulative[docs.length];
    }

    public long tokens() {
        return total;
    }

    public int documents() {
        return docs.length;
    }

    private long length(int i) {
        return cumulative[i + 1] - cumulative[i];
    }

    /** How many distinct windows of {@code span} tokens there are. */
    public long windows(int span) {
        if (pack) {
            return Math.max(0, total - span + 1);
        }
        long n = 0;
        for (int i = 0; i < docs.length; i++) {
            n += Math.max(0, length(i) - span + 1);
        }
        return n;
    }

    /** The longest document, in tokens, for messages. */
    public long longestDocument() {
        long max = 0;
        for (int i = 0; i < docs.length; i++) {
            max = Math.max(max, length(i));
        }
        return max;
    }

    /** Window-count prefix sums for unpacked sampling, built once per sampler. */
    long[] windowPrefix(int span) {
        long[] prefix = new long[docs.length + 1];
        for (int i = 0; i < docs.length; i++) {
            prefix[i + 1] = prefix[i] + Math.max(0, length(i) - span + 1);
        }
        return prefix;
    }

    /** Copies window number {@code w} (of {@link #windows}) into {@code dst}. */
    void window(long w, int span, long[] prefix, int[] dst) {
        if (pack) {
            copy(w, span, dst);
            return;
        }
        int i = upperBound(prefix, w) - 1;
        long start = tokens.documentStarts()[docs[i]] + (w - prefix[i]);
        tokens.read(start, dst, 0, span);
    }

    /**
     * The spans that windows may not cross, as {@code [start, end)} pairs in this view's token
     * positions: the whole split when packed, else each document (without its separator).
     */
    long[] segments() {
        if (pack) {
            return new long[] {0, total};
        }
        long[] s = new long[2 * docs.length];
        for (int i = 0; i < docs.length; i++) {
            s[2 * i] = cumulative[i];
            s[2 * i + 1] = cumulative[i + 1];
        }
        return s;
    }

    /** Copies {@code span} tokens from position {@code pos} of this view (see {@link #segments}). */
    void read(long pos, int span, int[] dst) {
        copy(pos, span, dst);
    }

    /** Copies tokens {@code [pos, pos + span)} of the packed stream, across documents. */
    private void copy(long pos, int span, int[] dst) {
        int i = upperBound(cumulative, pos) - 1;
        int off = 0;
        while (off < span) {
            long within = pos - cumulative[i];
            int n = (int) Math.min(span - off, length(i) - within);
            tokens.read(tokens.documentStarts()[docs[i]] + within, dst, off, n);
            off += n;
            pos += n;
            i++;
        }
    }

    /** The first index whose value is greater than {@code key}. */
    private static int upperBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < a.length && a[i + 1] == key) {
            i++;
        }
        return i + 1;
    }
}
