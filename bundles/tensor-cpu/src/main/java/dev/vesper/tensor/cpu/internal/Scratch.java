package dev.vesper.tensor.cpu.internal;

/** Per-thread scratch rows that grow to the largest size seen and are then reused. */
final class Scratch {
    private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[4][0]);

    private Scratch() {
    }

    /** Scratch array number {@code slot} (0..3) of at least {@code size} floats; contents undefined. */
    static float[] row(int slot, int size) {
        float[][] r = ROWS.get();
        if (r[slot].length < size) {
            r[slot] = new float[Math.max(size, r[slot].length * 2)];
        }
        return r[slot];
    }
}
