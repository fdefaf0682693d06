package dev.vesper.model.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API versions of {@link Kernels}; loaded only when {@code jdk.incubator.vector} is present. */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorKernels() {
    }

    static boolean usable() {
        return L >= 4 && dot(new float[] {1, 2, 3, 4, 5}, 0, new float[] {1, 1, 1, 1, 1}, 0, 5) == 15f;
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            acc0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), acc1);
        }
        for (; i + L <= n; i += L) {
            acc0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** Four rows at a time, so that each load of x serves four dot products. */
    static void gemv(float[] w, int wo, int cols, float[] x, int xo, float[] y, int yo, int from, int to) {
        int r = from;
        int vecEnd = cols - cols % L;
        for (; r + 3 < to; r += 4) {
            int w0 = wo + r * cols;
            int w1 = w0 + cols;
            int w2 = w1 + cols;
            int w3 = w2 + cols;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int i = 0; i < vecEnd; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xo + i);
                a0 = FloatVector.fromArray(S, w, w0 + i).fma(xv, a0);
                a1 = FloatVector.fromArray(S, w, w1 + i).fma(xv, a1);
                a2 = FloatVector.fromArray(S, w, w2 + i).fma(xv, a2);
                a3 = FloatVector.fromArray(S, w, w3 + i).fma(xv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            float s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD);
            float s3 = a3.reduceLanes(VectorOperators.ADD);
            for (int i = vecEnd; i < cols; i++) {
                float xi = x[xo + i];
                s0 += w[w0 + i] * xi;
                s1 += w[w1 + i] * xi;
                s2 += w[w2 + i] * xi;
                s3 += w[w3 + i] * xi;
            }
            y[yo + r] = s0;
            y[yo + r + 1] = s1;
            y[yo + r + 2] = s2;
            y[yo + r + 3] = s3;
        }
        for (; r < to; r++) {
            y[yo + r] = dot(w, wo + r * cols, x, xo, cols);
        }
    }

    static float expShift(float[] a, int n, float max) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = FloatVector.fromArray(S, a, i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(a, i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(a[i] - max);
            a[i] = e;
            sum += e;
        }
        return sum;
    }

    static void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(sv, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += s * x[xo + i];
        }
    }
}
