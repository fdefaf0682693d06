package dev.vesper.tensor.cpu.internal;

/**
 * Counter-based random numbers: a pure function of (seed, index), so a backward pass regenerates
 * the forward's dropout mask without storing it, whatever the thread partition.
 */
public final class Rng {
    private Rng() {
    }

    /** A uniform float in [0, 1) for element {@code index} of the stream {@code seed} (SplitMix64 finaliser). */
    public static float uniform(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24f;
    }

    /** The multiplier of an inverted-dropout element: 0 when dropped, {@code 1/(1−p)} when kept. */
    public static float keepScale(long seed, long index, float p) {
        if (p <= 0f) {
            return 1f;
        }
        if (p >= 1f) {
            return 0f;
        }
        return uniform(seed, index) >= p ? 1f / (1f - p) : 0f;
    }
}
