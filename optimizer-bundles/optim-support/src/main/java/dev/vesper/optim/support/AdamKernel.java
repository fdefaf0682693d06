package dev.vesper.optim.support;

/**
 * The fused AdamW update of one slice of one parameter tensor, in a single pass: decay, moments,
 * bias correction and update (spec section 5). With {@code sparse} set, elements whose gradient
 * satisfies {@code |g| <= tau} are skipped entirely: no decay, no moment update, no change.
 *
 * <p>Uses the Vector API when the {@code jdk.incubator.vector} module is present (probed once), and
 * a scalar loop otherwise; both give the same bits.
 */
final class AdamKernel {
    private static final boolean VECTOR = VectorProbe.available();

    private AdamKernel() {
    }

    /** Whether the Vector API path is in use. */
    static boolean vectorized() {
        return VECTOR;
    }

    /**
     * Updates elements {@code [from, to)}: parameter values at {@code p[pOffset + i]}, gradient,
     * moments at {@code g[i]}, {@code m[i]}, {@code v[i]}.
     *
     * @param decay {@code 1 − lr·wd}, or 1 for a parameter that does not decay
     * @return the number of elements skipped
     */
    static int update(AdamCoefficients c, float decay, float[] p, int pOffset, float[] g, float[] m, float[] v,
                      int from, int to, boolean vector) {
        if (vector && VECTOR) {
            return AdamVectorKernel.update(c, decay, p, pOffset, g, m, v, from, to);
        }
        return updateScalar(c, decay, p, pOffset, g, m, v, from, to);
    }

    static int updateScalar(AdamCoefficients c, float decay, float[] p, int pOffset, float[] g, float[] m,
                            float[] v, int from, int to) {
        final float b1 = c.beta1;
        final float omb1 = c.oneMinusBeta1;
        final float b2 = c.beta2;
        final float omb2 = c.oneMinusBeta2;
        final float bc1 = c.biasCorrection1;
        final float bc2 = c.biasCorrection2;
        final float lr = c.lr;
        final float eps = c.eps;
        final boolean sparse = c.sparse;
        final float tau = c.tau;
        int skipped = 0;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            if (sparse && Math.abs(gi) <= tau) {
                skipped++;
                continue;
            }
            float pi = p[pOffset + i] * decay;
            float mi = b1 * m[i] + omb1 * gi;
            float vi = b2 * v[i] + omb2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float mHat = mi / bc1;
            float vHat = vi / bc2;
            p[pOffset + i] = pi - lr * mHat / ((float) Math.sqrt(vHat) + eps);
        }
        return skipped;
    }
}
