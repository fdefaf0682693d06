package dev.vesper.data.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One ordered pass: every token but a segment's first is scored exactly once, whatever the batch. */
class InOrderSamplerTest {
    private static final int IGNORE = -100;
    private static final int EOT = 99;

    @TempDir
    Path dir;

    /** Documents of these lengths, ids counting up from 2 (never 0, the padding input), each then EOT. */
    private MappedTokens cache(int... lengths) throws Exception {
        Path file = dir.resolve("c" + lengths.length + "-" + lengths[0] + ".vtok");
        try (CacheWriter w = new CacheWriter(file, 100, EOT)) {
            int next = 1;
            for (int len : lengths) {
                int[] ids = new int[len];
                for (int i = 0; i < len; i++) {
                    ids[i] = next++ % (EOT - 1) + 1;
                }
                w.add(ids, len);
            }
            w.finish("tok", "src", "test");
        }
        return MappedTokens.open(file);
    }

    private static int[] all(int n) {
        int[] docs = new int[n];
        for (int i = 0; i < n; i++) {
            docs[i] = i;
        }
        return docs;
    }

    /** The (input, target) pairs a full pass scores, in order. */
    private static List<String> scoredPairs(InOrderSampler s) {
        List<String> pairs = new ArrayList<>();
        int[] in = new int[s.batch() * s.seq()];
        int[] tg = new int[in.length];
        s.seek(0);
        for (long b = 0; b < s.batchesPerEpoch(); b++) {
            s.next(in, tg);
            for (int i = 0; i < in.length; i++) {
                if (tg[i] != IGNORE) {
                    pairs.add(in[i] + ">" + tg[i]);
                }
            }
        }
        return pairs;
    }

    /** What scoring each segment once gives: each token followed by the next. */
    private static List<String> expected(MappedTokens t, long[] segments, SplitView v) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < segments.length; i += 2) {
            int n = (int) (segments[i + 1] - segments[i]);
            int[] seg = new int[n];
            v.read(segments[i], n, seg);
            for (int k = 0; k + 1 < n; k++) {
                pairs.add(seg[k] + ">" + seg[k + 1]);
            }
        }
        return pairs;
    }

    @Test
    void packedAndUnpackedPassesScoreEachTokenOnceForAnyBatch() throws Exception {
        MappedTokens t = cache(5, 1, 17, 0, 9, 33);
        for (boolean pack : new boolean[] {true, false}) {
            SplitView v = new SplitView(t, all(6), pack);
            List<String> want = expected(t, v.segments(), v);
            for (int batch : new int[] {1, 3, 8}) {
                for (int seq : new int[] {1, 4, 7, 64}) {
                    InOrderSampler s = new InOrderSampler(v, batch, seq, IGNORE);
                    assertEquals(want, scoredPairs(s), "pack " + pack + ", batch " + batch + ", seq " + seq);
                }
            }
        }
    }

    @Test
    void unpackedWindowsStayInsideDocumentsAndSkipTheEmptyOnes() throws Exception {
        // documents of 3, 0, 1 and 2 tokens: ids 2 3 4 | - | 5 | 6 7 (separators are left out unpacked)
        SplitView v = new SplitView(cache(3, 0, 1, 2), all(4), false);
        InOrderSampler s = new InOrderSampler(v, 1, 2, IGNORE);
        assertEquals(2, s.windows(), "one window of 2 targets in the first document, one of 1 in the last");
        int[] in = new int[2];
        int[] tg = new int[2];
        s.next(in, tg);
        assertArrayEquals(new int[] {2, 3}, in);
        assertArrayEquals(new int[] {3, 4}, tg);
        s.next(in, tg);
        assertArrayEquals(new int[] {6, 7}, in, "the last token is an input whose target is ignored");
        assertArrayEquals(new int[] {7, IGNORE}, tg);
    }

    @Test
    void thePaddingIsIgnoredAndASecondPassRepeatsTheFirst() throws Exception {
        SplitView v = new SplitView(cache(10), all(1), true);   // 11 tokens with the separator: 10 targets
        InOrderSampler s = new InOrderSampler(v, 2, 4, IGNORE);
        assertEquals(3, s.windows());
        assertEquals(2, s.batchesPerEpoch());
        int[] in = new int[8];
        int[] tg = new int[8];
        s.next(in, tg);
        s.next(in, tg);
        // the third window holds the last 3 tokens (2 targets); the fourth row is all padding
        assertArrayEquals(new int[] {10, 11, EOT, 0, 0, 0, 0, 0}, in);
        assertArrayEquals(new int[] {11, EOT, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE}, tg);
        int[] again = new int[8];
        s.next(again, tg);
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 9}, again, "the pass starts over");
    }

    @Test
    void aSplitWithNothingToScoreIsRefused() throws Exception {
        SplitView v = new SplitView(cache(1, 0), all(2), false);
        assertThrows(IllegalArgumentException.class, () -> new InOrderSampler(v, 1, 4, IGNORE));
    }
}
