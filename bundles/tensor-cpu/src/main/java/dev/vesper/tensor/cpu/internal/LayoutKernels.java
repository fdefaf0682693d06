package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.tensor.IntTensor;
import dev.vesper.api.tensor.Tensor;

/** Kernels that move rows around: embedding gather/scatter, head split/merge and RoPE. */
public final class LayoutKernels {
    private final Simd simd;
    private final Parallel parallel;
    private volatile RopeTable rope;

    public LayoutKernels(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
    }

    public void embedding(Tensor table, IntTensor ids, Tensor out) {
        int d = table.dim(1);
        int[] id = ids.data();
        float[] td = table.data(), od = out.data();
        int to0 = table.offset(), oo = out.offset();
        parallel.forRange(id.length, Elementwise.rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(td, to0 + id[r] * d, od, oo + r * d, d);
            }
        });
    }

    public void embeddingBackward(Tensor dOut, IntTensor ids, Tensor dTable) {
        int d = dTable.dim(1);
        int[] id = ids.data();
        float[] gd = dOut.data(), td = dTable.data();
        int go = dOut.offset(), tdo = dTable.offset();
        // columns split across threads: rows with the same id add up in row order (deterministic)
        parallel.forRange(d, Math.max(16, Elementwise.GRAIN / Math.max(1, id.length)), (from, to) -> {
            for (int r = 0; r < id.length; r++) {
                simd.axpy(1f, gd, go + r * d + from, td, tdo + id[r] * d + from, to - from);
            }
        });
    }

    /** {@code [B,T,H·hd]} → {@code [B,H,T,hd]} ({@code split}) or back; copies or adds. */
    public void permuteHeads(Tensor src, Tensor dst, boolean split, boolean accumulate) {
        Tensor heads4 = split ? dst : src;
        int b = heads4.dim(0), h = heads4.dim(1), t = heads4.dim(2), hd = heads4.dim(3);
        float[] sd = src.data(), dd = dst.data();
        int so = src.offset(), dof = dst.offset();
        parallel.forRange(b * t, Elementwise.rowGrain(h * hd), (from, to) -> {
            for (int bt = from; bt < to; bt++) {
                int bi = bt / t, ti = bt % t;
                for (int hi = 0; hi < h; hi++) {
                    int flat = (bt * h + hi) * hd;                     // [B,T,H,hd]
                    int heads = ((bi * h + hi) * t + ti) * hd;         // [B,H,T,hd]
                    int s = so + (split ? flat : heads);
                    int d = dof + (split ? heads : flat);
                    if (accumulate) {
                        simd.axpy(1f, sd, s, dd, d, hd);
                    } else {
                        System.arraycopy(sd, s, dd, d, hd);
                    }
                }
            }
        });
    }

    /** Rotate-half RoPE forward ({@code sign = 1}) or the transposed rotation added into dst ({@code sign = −1}). */
    public void rope(Tensor src, int offset, float theta, Tensor dst, boolean backward) {
        int hd = src.dim(-1), t = src.dim(-2);
        int half = hd / 2;
        int rows = src.size() / hd;
        RopeTable tab = table(theta, hd, offset + t);
        float[] sd = src.data(), dd = dst.data();
        int so = src.offset(), dof = dst.offset();
        parallel.forRange(rows, Elementwise.rowGrain(hd), (from, to) -> {
            for (int r = from; r < to; r++) {
                int pos = r % t + offset;
                simd.rotateHalf(sd, so + r * hd, tab.cos, tab.sin, pos * half, dd, dof + r * hd, half, backward);
            }
        });
    }

    private RopeTable table(float theta, int hd, int positions) {
        RopeTable t = rope;
        if (t == null || t.theta != theta || t.hd != hd || t.positions < positions) {
            int cap = t != null && t.theta == theta && t.hd == hd ? Math.max(positions, t.positions * 2) : Math.max(positions, 64);
            t = new RopeTable(theta, hd, cap);
            rope = t;
        }
        return t;
    }

    /** cos and sin of {@code pos·θ_j} for {@code θ_j = theta^(−2j/hd)}, computed in double. */
    private static final class RopeTable {
        final float theta;
        final int hd;
        final int positions;
        final float[] cos;
        final float[] sin;

        RopeTable(float theta, int hd, int positions) {
            this.theta = theta;
            this.hd = hd;
            this.positions = positions;
            int half = hd / 2;
            cos = new float[positions * half];
            sin = new float[positions * half];
            for (int j = 0; j < half; j++) {
                double f = Math.pow(theta, -2.0 * j / hd);
                for (int p = 0; p < positions; p++) {
                    double a = p * f;
                    cos[p * half + j] = (float) Math.cos(a);
                    sin[p * half + j] = (float) Math.sin(a);
                }
            }
        }
    }
}
