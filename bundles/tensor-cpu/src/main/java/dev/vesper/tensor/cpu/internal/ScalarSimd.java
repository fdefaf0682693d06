package dev.vesper.tensor.cpu.internal;

/** The plain-Java path, used when the Vector API is absent. */
final class ScalarSimd extends Simd {
    static final ScalarSimd INSTANCE = new ScalarSimd();
    private static final int MR = 4;
    private static final int NR = 4;

    @Override
    public boolean vectorised() {
        return false;
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
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

    @Override
    public void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += s * x[xo + i];
        }
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        float s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 2 <= n; i += 2) {
            s0 += x[xo + i];
            s1 += x[xo + i + 1];
        }
        if (i < n) {
            s0 += x[xo + i];
        }
        return s0 + s1;
    }

    @Override
    public float max(float[] x, int xo, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    public float expShift(float[] x, int xo, float[] y, int yo, int n, float shift) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - shift);
            y[yo + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    public float sumSquaredDeviation(float[] x, int xo, int n, float mean) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            float d = x[xo + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public void scale(float s, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = s * x[xo + i];
        }
    }

    @Override
    public void rotateHalf(float[] x, int xo, float[] cos, float[] sin, int to, float[] y, int yo, int half,
                           boolean backward) {
        rotatePairs(x, xo, cos, sin, to, y, yo, half, backward, 0);
    }

    @Override
    public void normalizeRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                             int n, float mu, float rs) {
        for (int j = 0; j < n; j++) {
            y[yo + j] = (x[xo + j] - mu) * rs * w[wo + j] + b[bo + j];
        }
    }

    @Override
    public void normalizeRowBackward(float[] dy, int go, float[] x, int xo, float[] w, int wo,
                                     float[] dx, int dxo, int n, float mu, float rs) {
        float s1 = 0, s2 = 0;
        for (int j = 0; j < n; j++) {
            float g = dy[go + j] * w[wo + j];
            s1 += g;
            s2 += g * (x[xo + j] - mu) * rs;
        }
        float m1 = s1 / n, m2 = s2 / n;
        for (int j = 0; j < n; j++) {
            float xhat = (x[xo + j] - mu) * rs;
            dx[dxo + j] += rs * (dy[go + j] * w[wo + j] - m1 - xhat * m2);
        }
    }

    @Override
    public void normalizeParamGrads(float[] dy, int go, float[] x, int xo, float[] dw, int dwo,
                                    float[] db, int dbo, int n, float mu, float rs) {
        for (int j = 0; j < n; j++) {
            float g = dy[go + j];
            if (dw != null) {
                dw[dwo + j] += g * (x[xo + j] - mu) * rs;
            }
            if (db != null) {
                db[dbo + j] += g;
            }
        }
    }

    @Override
    public void gemmTile(float[] a, int ao, int rs, int as, float[] b, int bo, int kc, float[] c, int co, int ldc,
                         boolean accumulate) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * as;
            int bi = bo + p * NR;
            float b0 = b[bi], b1 = b[bi + 1], b2 = b[bi + 2], b3 = b[bi + 3];
            float a0 = a[ai], a1 = a[ai + rs], a2 = a[ai + 2 * rs], a3 = a[ai + 3 * rs];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        int r0 = co, r1 = co + ldc, r2 = co + 2 * ldc, r3 = co + 3 * ldc;
        if (!accumulate) {
            c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
            c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
            c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
            c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
            return;
        }
        c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02; c[r0 + 3] += c03;
        c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13;
        c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23;
        c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33;
    }

    @Override
    public int tileRows() {
        return MR;
    }

    @Override
    public int tileCols() {
        return NR;
    }
}
