package dev.vesper.model.internal;

import dev.vesper.api.model.SamplingOptions;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: repetition penalty (as in CTRL: positive logits divided by the
 * penalty, negative ones multiplied, for every token already in the sequence), then greedy argmax at
 * temperature 0, or else temperature, top-k, top-p (nucleus) and a seeded draw. Buffers are sized to
 * the vocabulary once and reused.
 */
final class Sampler {
    private final int vocab;
    private final boolean[] seen;
    private final int[] seenList;
    private int seenCount;
    private final long[] order;
    private final double[] probs;
    private final int[] ids;

    Sampler(int vocab) {
        this.vocab = vocab;
        seen = new boolean[vocab];
        seenList = new int[vocab];
        order = new long[vocab];
        probs = new double[vocab];
        ids = new int[vocab];
    }

    /** Forgets the sequence; call before each generation. */
    void reset() {
        for (int i = 0; i < seenCount; i++) {
            seen[seenList[i]] = false;
        }
        seenCount = 0;
    }

    /** Records a token of the sequence (prompt or generated) for the repetition penalty. */
    void observe(int token) {
        if (!seen[token]) {
            seen[token] = true;
            seenList[seenCount++] = token;
        }
    }

    int pick(float[] logits, SamplingOptions o, SplittableRandom rng) {
        float penalty = o.repetitionPenalty();
        if (penalty != 1f) {
            for (int i = 0; i < seenCount; i++) {
                int t = seenList[i];
                logits[t] = logits[t] > 0 ? logits[t] / penalty : logits[t] * penalty;
            }
        }
        if (o.temperature() == 0f) {
            return argmax(logits);
        }
        int n = candidates(logits, o.topK());
        double invT = 1.0 / o.temperature();
        double max = logits[ids[0]];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            probs[i] = Math.exp((logits[ids[i]] - max) * invT);
            sum += probs[i];
        }
        if (o.topP() < 1f) {
            double cum = 0;
            int keep = 0;
            while (keep < n) {
                cum += probs[keep++] / sum;
                if (cum >= o.topP()) {
                    break;
                }
            }
            n = keep;
            sum = 0;
            for (int i = 0; i < n; i++) {
                sum += probs[i];
            }
        }
        double r = rng.nextDouble() * sum;
        for (int i = 0; i < n; i++) {
            r -= probs[i];
            if (r < 0) {
                return ids[i];
            }
        }
        return ids[n - 1];
    }

    /** Fills {@link #ids} with the candidate tokens, highest logit first; returns how many. */
    private int candidates(float[] logits, int topK) {
        for (int i = 0; i < vocab; i++) {
            order[i] = ((long) sortableDescending(logits[i]) << 32) | i;
        }
        int n = topK > 0 ? Math.min(topK, vocab) : vocab;
        Arrays.sort(order);
        for (int i = 0; i < n; i++) {
            ids[i] = (int) order[i];
        }
        return n;
    }

    /** An int whose ascending order is the float's descending order (ties keep the lower token id first). */
    private static int sortableDescending(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f);
        int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ~ascending;
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
