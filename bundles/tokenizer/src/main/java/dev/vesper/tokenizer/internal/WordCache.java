package dev.vesper.tokenizer.internal;

import java.util.Arrays;

/**
 * Pre-token bytes to their ids, so that each distinct word is merged once: open addressing over
 * plain arrays, keys kept in a byte arena, no allocation on a hit. Not thread-safe: the tokenizer
 * keeps one per thread. It starts small, grows to a bound, and when full starts over, which bounds
 * its memory (about 2 MB).
 */
final class WordCache {
    static final int MAX_WORD = 64;
    private static final int MAX_SLOTS = 1 << 16;
    private static final int MAX_ARENA = 1 << 20;

    private int[] hashes = new int[1 << 10];
    private int[] starts = new int[1 << 10];
    private byte[] lengths = new byte[1 << 10];
    private int[][] values = new int[1 << 10][];
    private byte[] arena = new byte[1 << 14];
    private int used;
    private int size;

    static int hash(byte[] b, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h == 0 ? 1 : h;
    }

    int[] get(byte[] b, int from, int to, int h) {
        int len = to - from;
        int mask = hashes.length - 1;
        for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
            int at = hashes[i];
            if (at == 0) {
                return null;
            }
            if (at == h && lengths[i] == len
                    && Arrays.equals(arena, starts[i], starts[i] + len, b, from, to)) {
                return values[i];
            }
        }
    }

    void put(byte[] b, int from, int to, int h, int[] ids) {
        int len = to - from;
        if (size >= hashes.length / 2) {
            if (hashes.length < MAX_SLOTS) {
                rehash(hashes.length * 2);
            } else {
                clear();
            }
        }
        if (used + len > arena.length) {
            if (arena.length < MAX_ARENA) {
                arena = Arrays.copyOf(arena, arena.length * 2);
            } else {
                clear();
            }
        }
        insert(h, used, len, ids);
        System.arraycopy(b, from, arena, used, len);
        used += len;
    }

    private void insert(int h, int start, int len, int[] ids) {
        int mask = hashes.length - 1;
        int i = (h ^ (h >>> 16)) & mask;
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        starts[i] = start;
        lengths[i] = (byte) len;
        values[i] = ids;
        size++;
    }

    private void rehash(int slots) {
        int[] oldHashes = hashes;
        int[] oldStarts = starts;
        byte[] oldLengths = lengths;
        int[][] oldValues = values;
        hashes = new int[slots];
        starts = new int[slots];
        lengths = new byte[slots];
        values = new int[slots][];
        size = 0;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                insert(oldHashes[i], oldStarts[i], oldLengths[i], oldValues[i]);
            }
        }
    }

    private void clear() {
        Arrays.fill(hashes, 0);
        Arrays.fill(values, null);
        used = 0;
        size = 0;
    }
}
