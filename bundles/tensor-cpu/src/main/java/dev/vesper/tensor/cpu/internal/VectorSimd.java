package dev.vesper.tensor.cpu.internal;

import dev.vesper.lanemath.LaneMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path. Loaded only after a probe succeeds, so that the bundle still resolves and
 * runs (on {@link ScalarSimd}) when {@code jdk.incubator.vector} is absent. Lane sums and exponentials go
 * through {@link LaneMath}, so that results do not change when C2 compiles a kernel.
 */
public final class VectorSimd extends Simd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Micro-kernel tile: 4 rows by 4 vectors (4 x 64 floats with AVX-512), 16 accumulators in registers.
     * Six rows would hold 29 of the 32 vector registers live, and JDK 17's C2 then compiles the loop in one
     * of two register allocations per JVM, one of them about a third slower; with four rows (21 live)
     * every JVM got the fast code, as fast as the six-row kernel's good compilation.
     */
    private static final int MR = 4;
    private static final int NR = 4 * L;

    public VectorSimd() {
        // touching the species here makes the probe fail early when the module is missing
        if (L < 1) {
            throw new IllegalStateException("no vector species");
        }
    }

    @Override
    public boolean vectorised() {
        return true;
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
            s1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), s1);
        }
        for (; i + L <= n; i += L) {
            s0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s0);
        }
        // LaneMath.sum written out: a call here can fall outside C2's inlining budget and box the vector
        s0 = s0.add(s1);
        s0 = s0.add(s0.rearrange(LaneMath.X1));
        s0 = s0.add(s0.rearrange(LaneMath.X2));
        s0 = L < 8 ? s0 : s0.add(s0.rearrange(LaneMath.X4));
        s0 = L < 16 ? s0 : s0.add(s0.rearrange(LaneMath.X8));
        float s = s0.lane(0);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(sv, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += s * x[xo + i];
        }
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        FloatVector s0 = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xo + i));
        }
        s0 = s0.add(s0.rearrange(LaneMath.X1));
        s0 = s0.add(s0.rearrange(LaneMath.X2));
        s0 = L < 8 ? s0 : s0.add(s0.rearrange(LaneMath.X4));
        s0 = L < 16 ? s0 : s0.add(s0.rearrange(LaneMath.X8));
        float s = s0.lane(0);
        for (; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int xo, int n) {
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) {
            m0 = m0.max(FloatVector.fromArray(S, x, xo + i));
        }
        float m = m0.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    public float expShift(float[] x, int xo, float[] y, int yo, int n, float shift) {
        FloatVector sh = FloatVector.broadcast(S, shift);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xo + i).sub(sh).intoArray(y, yo + i);
            LaneMath.expAt(y, yo + i);
            acc = acc.add(FloatVector.fromArray(S, y, yo + i));
        }
        acc = acc.add(acc.rearrange(LaneMath.X1));
        acc = acc.add(acc.rearrange(LaneMath.X2));
        acc = L < 8 ? acc : acc.add(acc.rearrange(LaneMath.X4));
        acc = L < 16 ? acc : acc.add(acc.rearrange(LaneMath.X8));
        float s = acc.lane(0);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - shift);
            y[yo + i] = e;
            s += e;
        }
        return s;
    }

    @Override
    public float sumSquaredDeviation(float[] x, int xo, int n, float mean) {
        FloatVector mv = FloatVector.broadcast(S, mean);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, xo + i).sub(mv);
            acc = d.fma(d, acc);
        }
        acc = acc.add(acc.rearrange(LaneMath.X1));
        acc = acc.add(acc.rearrange(LaneMath.X2));
        acc = L < 8 ? acc : acc.add(acc.rearrange(LaneMath.X4));
        acc = L < 16 ? acc : acc.add(acc.rearrange(LaneMath.X8));
        float s = acc.lane(0);
        for (; i < n; i++) {
            float d = x[xo + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public void scale(float s, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xo + i).mul(s).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = s * x[xo + i];
        }
    }

    @Override
    public void rotateHalf(float[] x, int xo, float[] cos, float[] sin, int to, float[] y, int yo, int half,
                           boolean backward) {
        int j = 0;
        for (; j + L <= half; j += L) {
            FloatVector c = FloatVector.fromArray(S, cos, to + j), sn = FloatVector.fromArray(S, sin, to + j);
            FloatVector x1 = FloatVector.fromArray(S, x, xo + j), x2 = FloatVector.fromArray(S, x, xo + j + half);
            // products and sums in the scalar order, no fused multiply-add: the same bits as ScalarSimd
            if (backward) {
                FloatVector.fromArray(S, y, yo + j).add(x1.mul(c).add(x2.mul(sn))).intoArray(y, yo + j);
                FloatVector.fromArray(S, y, yo + j + half).add(x2.mul(c).sub(x1.mul(sn))).intoArray(y, yo + j + half);
            } else {
                x1.mul(c).sub(x2.mul(sn)).intoArray(y, yo + j);
                x2.mul(c).add(x1.mul(sn)).intoArray(y, yo + j + half);
            }
        }
        rotatePairs(x, xo, cos, sin, to, y, yo, half, backward, j);
    }

    @Override
    public void normalizeRow(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] y, int yo,
                             int n, float mu, float rs) {
        FloatVector m = FloatVector.broadcast(S, mu);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector.fromArray(S, x, xo + j).sub(m).mul(rs).fma(FloatVector.fromArray(S, w, wo + j),
                    FloatVector.fromArray(S, b, bo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) {
            y[yo + j] = (x[xo + j] - mu) * rs * w[wo + j] + b[bo + j];
        }
    }

    @Override
    public void normalizeRowBackward(float[] dy, int go, float[] x, int xo, float[] w, int wo,
                                     float[] dx, int dxo, int n, float mu, float rs) {
        FloatVector m = FloatVector.broadcast(S, mu);
        FloatVector a1 = FloatVector.zero(S), a2 = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector g = FloatVector.fromArray(S, dy, go + j).mul(FloatVector.fromArray(S, w, wo + j));
            FloatVector xhat = FloatVector.fromArray(S, x, xo + j).sub(m).mul(rs);
            a1 = a1.add(g);
            a2 = g.fma(xhat, a2);
        }
        a1 = a1.add(a1.rearrange(LaneMath.X1));
        a1 = a1.add(a1.rearrange(LaneMath.X2));
        a1 = L < 8 ? a1 : a1.add(a1.rearrange(LaneMath.X4));
        a1 = L < 16 ? a1 : a1.add(a1.rearrange(LaneMath.X8));
        float s1 = a1.lane(0);
        a2 = a2.add(a2.rearrange(LaneMath.X1));
        a2 = a2.add(a2.rearrange(LaneMath.X2));
        a2 = L < 8 ? a2 : a2.add(a2.rearrange(LaneMath.X4));
        a2 = L < 16 ? a2 : a2.add(a2.rearrange(LaneMath.X8));
        float s2 = a2.lane(0);
        for (int t = j; t < n; t++) {
            float g = dy[go + t] * w[wo + t];
            s1 += g;
            s2 += g * (x[xo + t] - mu) * rs;
        }
        float m1 = s1 / n, m2 = s2 / n;
        FloatVector vm1 = FloatVector.broadcast(S, m1), vm2 = FloatVector.broadcast(S, m2);
        j = 0;
        for (; j + L <= n; j += L) {
            FloatVector g = FloatVector.fromArray(S, dy, go + j).mul(FloatVector.fromArray(S, w, wo + j));
            FloatVector xhat = FloatVector.fromArray(S, x, xo + j).sub(m).mul(rs);
            g.sub(vm1).sub(xhat.mul(vm2)).fma(FloatVector.broadcast(S, rs), FloatVector.fromArray(S, dx, dxo + j)).intoArray(dx, dxo + j);
        }
        for (; j < n; j++) {
            float xhat = (x[xo + j] - mu) * rs;
            dx[dxo + j] += rs * (dy[go + j] * w[wo + j] - m1 - xhat * m2);
        }
    }

    @Override
    public void normalizeParamGrads(float[] dy, int go, float[] x, int xo, float[] dw, int dwo,
                                    float[] db, int dbo, int n, float mu, float rs) {
        FloatVector m = FloatVector.broadcast(S, mu);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector g = FloatVector.fromArray(S, dy, go + j);
            if (dw != null) {
                FloatVector xhat = FloatVector.fromArray(S, x, xo + j).sub(m).mul(rs);
                g.fma(xhat, FloatVector.fromArray(S, dw, dwo + j)).intoArray(dw, dwo + j);
            }
            if (db != null) {
                g.add(FloatVector.fromArray(S, db, dbo + j)).intoArray(db, dbo + j);
            }
        }
        for (; j < n; j++) {
            float g = dy[go + j];
            if (dw != null) {
                dw[dwo + j] += g * (x[xo + j] - mu) * rs;
            }
            if (db != null) {
                db[dbo + j] += g;
            }
        }
    }

    /**
     * Full tiles only (the caller routes edge tiles through a scratch tile). The two variants are
     * written out whole: a helper call inside would exceed C2's inlining node budget and box the vectors.
     */
    @Override
    public void gemmTile(float[] a, int ao, int rs, int as, float[] b, int bo, int kc, float[] c, int co, int ldc,
                         boolean accumulate) {
        if (accumulate) {
            tileAdd(a, ao, rs, as, b, bo, kc, c, co, ldc);
        } else {
            tileStore(a, ao, rs, as, b, bo, kc, c, co, ldc);
        }
    }

    private static void tileAdd(float[] a, int ao, int rs, int as, float[] b, int bo, int kc, float[] c, int co,
                                int ldc) {
        int o1 = ao + rs, o2 = o1 + rs, o3 = o2 + rs;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z;
        FloatVector c12 = z, c13 = z, c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            int ai = p * as;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao + ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[o1 + ai]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[o2 + ai]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[o3 + ai]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        int r0 = co + 0 * ldc;
        FloatVector.fromArray(S, c, r0).add(c00).intoArray(c, r0);
        FloatVector.fromArray(S, c, r0 + 1 * L).add(c01).intoArray(c, r0 + 1 * L);
        FloatVector.fromArray(S, c, r0 + 2 * L).add(c02).intoArray(c, r0 + 2 * L);
        FloatVector.fromArray(S, c, r0 + 3 * L).add(c03).intoArray(c, r0 + 3 * L);
        int r1 = co + 1 * ldc;
        FloatVector.fromArray(S, c, r1).add(c10).intoArray(c, r1);
        FloatVector.fromArray(S, c, r1 + 1 * L).add(c11).intoArray(c, r1 + 1 * L);
        FloatVector.fromArray(S, c, r1 + 2 * L).add(c12).intoArray(c, r1 + 2 * L);
        FloatVector.fromArray(S, c, r1 + 3 * L).add(c13).intoArray(c, r1 + 3 * L);
        int r2 = co + 2 * ldc;
        FloatVector.fromArray(S, c, r2).add(c20).intoArray(c, r2);
        FloatVector.fromArray(S, c, r2 + 1 * L).add(c21).intoArray(c, r2 + 1 * L);
        FloatVector.fromArray(S, c, r2 + 2 * L).add(c22).intoArray(c, r2 + 2 * L);
        FloatVector.fromArray(S, c, r2 + 3 * L).add(c23).intoArray(c, r2 + 3 * L);
        int r3 = co + 3 * ldc;
        FloatVector.fromArray(S, c, r3).add(c30).intoArray(c, r3);
        FloatVector.fromArray(S, c, r3 + 1 * L).add(c31).intoArray(c, r3 + 1 * L);
        FloatVector.fromArray(S, c, r3 + 2 * L).add(c32).intoArray(c, r3 + 2 * L);
        FloatVector.fromArray(S, c, r3 + 3 * L).add(c33).intoArray(c, r3 + 3 * L);
    }

    private static void tileStore(float[] a, int ao, int rs, int as, float[] b, int bo, int kc, float[] c, int co,
                                int ldc) {
        int o1 = ao + rs, o2 = o1 + rs, o3 = o2 + rs;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z;
        FloatVector c12 = z, c13 = z, c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            int ai = p * as;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao + ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[o1 + ai]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[o2 + ai]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[o3 + ai]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        int r0 = co + 0 * ldc;
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + 1 * L);
        c02.intoArray(c, r0 + 2 * L);
        c03.intoArray(c, r0 + 3 * L);
        int r1 = co + 1 * ldc;
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + 1 * L);
        c12.intoArray(c, r1 + 2 * L);
        c13.intoArray(c, r1 + 3 * L);
        int r2 = co + 2 * ldc;
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + 1 * L);
        c22.intoArray(c, r2 + 2 * L);
        c23.intoArray(c, r2 + 3 * L);
        int r3 = co + 3 * ldc;
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + 1 * L);
        c32.intoArray(c, r3 + 2 * L);
        c33.intoArray(c, r3 + 3 * L);
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
