package dev.vesper.model.internal;

/**
 * The few inference kernels of batch-1 decoding: dot products (a matrix-vector product is one per
 * weight row), softmax exponentials and axpy. They use the Vector API when the module is present and
 * fall back to plain loops otherwise (the answer is probed once and cached).
 */
final class Kernels {
    static final boolean VECTOR = probe();

    private Kernels() {
    }

    private static boolean probe() {
        if (Boolean.getBoolean("vesper.model.novector")) {
            return false;
        }
        try {
            return VectorKernels.usable();
        } catch (LinkageError e) {
            return false;
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return VECTOR ? VectorKernels.dot(a, ao, b, bo, n) : scalarDot(a, ao, b, bo, n);
    }

    /** {@code a[i] = exp(a[i] − max)} for {@code ao <= i < ao + n}; returns their sum (a softmax's numerators). */
    static float expShift(float[] a, int ao, int n, float max) {
        if (VECTOR) {
            return VectorKernels.expShift(a, ao, n, max);
        }
        float sum = 0;
        for (int i = ao; i < ao + n; i++) {
            float e = (float) Math.exp(a[i] - max);
            a[i] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code y += s·x} over {@code n} values. */
    static void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        if (VECTOR) {
            VectorKernels.axpy(s, x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yo + i] += s * x[xo + i];
        }
    }

    static float scalarDot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
