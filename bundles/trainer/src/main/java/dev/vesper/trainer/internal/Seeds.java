package dev.vesper.trainer.internal;

/**
 * Seeds derived from the run's seed, so that no random state has to be carried between steps: the
 * dropout of step s, micro-batch k is the same in a run and in its resumed copy.
 */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 of the pair, a well-spread 64-bit seed. */
    public static long mix(long seed, long salt) {
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The dropout seed of an optimizer step (counted from 1). */
    public static long forStep(long seed, long step) {
        return mix(seed, step);
    }
}
