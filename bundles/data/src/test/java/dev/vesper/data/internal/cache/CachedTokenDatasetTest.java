package dev.vesper.data.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.data.TokenDataset.Split;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedTokenDatasetTest {
    @TempDir
    Path dir;

    /** The split before large documents were passed over: every existing run's, which must not change. */
    private static boolean[] plainShuffle(int n, double fraction, long seed) {
        boolean[] held = new boolean[n];
        int k = (int) Math.round(fraction * n);
        if (fraction > 0 && n >= 2) {
            k = Math.max(1, k);
        }
        k = Math.min(k, Math.max(0, n - 1));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(n - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
            held[order[i]] = true;
        }
        return held;
    }

    @Test
    void theSplitOfAnOrdinaryDatasetIsTheSeededShuffleAsBefore() {
        SplittableRandom sizes = new SplittableRandom(1);
        for (int n : new int[] {2, 3, 10, 57, 4000}) {
            long[] lengths = new long[n];
            for (int d = 0; d < n; d++) {
                lengths[d] = n == 2 ? 50 : 100 + sizes.nextInt(900);   // stories: no document near half of all
            }
            for (double fraction : new double[] {0, 0.05, 0.1, 0.25}) {
                for (long seed = 0; seed < 40; seed++) {
                    assertArrayEquals(plainShuffle(n, fraction, seed), CachedTokenDataset.holdOut(lengths, fraction, seed),
                            n + " documents, fraction " + fraction + ", seed " + seed);
                }
            }
        }
    }

    @Test
    void aDocumentHoldingMostOfTheTokensIsNeverHeldOut() {
        long[] lengths = {300, 3};
        boolean plainTookTheLargeOne = false;
        for (long seed = 0; seed < 64; seed++) {
            plainTookTheLargeOne |= plainShuffle(2, 0.1, seed)[0];
            assertArrayEquals(new boolean[] {false, true}, CachedTokenDataset.holdOut(lengths, 0.1, seed), "seed " + seed);
        }
        assertTrue(plainTookTheLargeOne, "the seeded shuffle alone holds out the large document for some seeds");
        long[] heavyTail = new long[20];
        java.util.Arrays.fill(heavyTail, 10);
        heavyTail[3] = 400;
        heavyTail[11] = 300;
        for (long seed = 0; seed < 64; seed++) {
            boolean[] held = CachedTokenDataset.holdOut(heavyTail, 0.1, seed);
            assertFalse(held[3] && held[11], "the two large documents together are most of the data; seed " + seed);
            assertEquals(2, count(held), "still round(0.1 x 20) documents");
        }
    }

    private static int count(boolean[] held) {
        int n = 0;
        for (boolean h : held) {
            n += h ? 1 : 0;
        }
        return n;
    }

    @Test
    void aTrainSplitWithoutAWindowSaysWhatValidationHoldsOut() throws Exception {
        Path file = dir.resolve("c.vtok");
        try (CacheWriter w = new CacheWriter(file, 300, 299)) {
            w.add(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 9);
            w.add(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 8);
            w.finish("tok", "src", "test");
        }
        for (long seed = 0; seed < 8; seed++) {
            CachedTokenDataset d = new CachedTokenDataset(MappedTokens.open(file), "small.jsonl", 0.1, true, seed);
            assertEquals(10, d.tokens(Split.TRAIN), "the larger document (and its separator) trains, whatever the seed");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.sampler(Split.TRAIN, 1, 16, 1));
            assertEquals("small.jsonl: the train split has no window of seq + 1 = 17 tokens (1 document, 10 tokens, longest"
                    + " document 10; validation holds out 1 document of 2, 9 tokens); use a shorter seq or more data",
                    e.getMessage());
        }
    }
}
