package dev.vesper.tokenizer.internal;

import java.util.PriorityQueue;

/**
 * BPE merges for long pre-tokens (long runs of one character class), in O(n log n): a heap of
 * candidate merges ordered by rank then position over a linked list of symbols. Same result as the
 * quadratic scan used for short words: the lowest-rank pair merges first, the leftmost on ties.
 */
final class LongWordMerger {
    private LongWordMerger() {
    }

    static int[] merge(int[] s, PairMap rank, int[][] merges) {
        int n = s.length;
        int[] prev = new int[n];
        int[] next = new int[n];
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1;
            if (i + 1 < n) {
                push(heap, rank.get(s[i], s[i + 1]), i);
            }
        }
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = next[i];
            if (s[i] < 0 || j >= n || rank.get(s[i], s[j]) != r) {
                continue;
            }
            s[i] = merges[r][2];
            s[j] = -1;
            next[i] = next[j];
            if (next[i] < n) {
                prev[next[i]] = i;
                push(heap, rank.get(s[i], s[next[i]]), i);
            }
            if (prev[i] >= 0) {
                push(heap, rank.get(s[prev[i]], s[i]), prev[i]);
            }
        }
        int count = 0;
        for (int v : s) {
            if (v >= 0) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int v : s) {
            if (v >= 0) {
                out[k++] = v;
            }
        }
        return out;
    }

    private static void push(PriorityQueue<Long> heap, int r, int pos) {
        if (r >= 0) {
            heap.add(((long) r << 32) | pos);
        }
    }
}
