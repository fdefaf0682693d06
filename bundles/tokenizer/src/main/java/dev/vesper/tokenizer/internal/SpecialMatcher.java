package dev.vesper.tokenizer.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Finds added tokens (such as {@code <|endoftext|>}) in UTF-8 text: leftmost, then longest. */
final class SpecialMatcher {
    private final byte[][] patterns;
    private final int[] ids;
    private final boolean[] first = new boolean[256];

    SpecialMatcher(List<String> contents, List<Integer> tokenIds) {
        Integer[] order = new Integer[contents.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        byte[][] raw = new byte[order.length][];
        for (int i = 0; i < order.length; i++) {
            raw[i] = contents.get(i).getBytes(StandardCharsets.UTF_8);
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(raw[b].length, raw[a].length));
        patterns = new byte[order.length][];
        ids = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            patterns[i] = raw[order[i]];
            ids[i] = tokenIds.get(order[i]);
            if (patterns[i].length > 0) {
                first[patterns[i][0] & 0xFF] = true;
            }
        }
    }

    boolean isEmpty() {
        return patterns.length == 0;
    }

    /** The index of the longest pattern starting at {@code pos}, or -1. */
    int match(byte[] text, int pos, int end) {
        if (!first[text[pos] & 0xFF]) {
            return -1;
        }
        outer:
        for (int i = 0; i < patterns.length; i++) {
            byte[] p = patterns[i];
            if (p.length == 0 || pos + p.length > end) {
                continue;
            }
            for (int k = 0; k < p.length; k++) {
                if (text[pos + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    int length(int match) {
        return patterns[match].length;
    }

    int id(int match) {
        return ids[match];
    }
}
