package dev.vesper.tokenizer.internal;

import java.util.Arrays;

/**
 * Pre-token bytes to their ids, so that each distinct word is merged once: open addressing over
 * plain arrays, keys kept in a byte arena, no allocation on a hit. Not thread-safe: the tokenizer
 * keeps one per thread. When full it starts over, which bounds its memory.
 */
final class WordCache {
    static final int MAX_WORD = 64;
    private static final int SLOTS = 1 << 16;
    private static final int MASK = SLOTS - 1;
    private static final int ARENA = 1 << 20;

    private final int[] hashes = new int[SLOTS];
    private final int[] starts = new int[SLOTS];
    private final byte[] lengths = new byte[SLOTS];
    private final int[][] values = new int[SLOTS][];
    private final byte[] arena = new byte[ARENA];
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
        for (int i = (h ^ (h >>> 16)) & MASK; ; i = (i + 1) & MASK) {
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
        if (size >= SLOTS / 2 || used + len > ARENA) {
            clear();
        }
        int i = (h ^ (h >>> 16)) & MASK;
        while (hashes[i] != 0) {
            i = (i + 1) & MASK;
        }
        hashes[i] = h;
        starts[i] = used;
        lengths[i] = (byte) len;
        values[i] = ids;
        System.arraycopy(b, from, arena, used, len);
        used += len;
        size++;
    }

    private void clear() {
        Arrays.fill(hashes, 0);
        Arrays.fill(values, null);
        used = 0;
        size = 0;
    }
}
