package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.tensor.Tensor;

/** Kernels that work row by row over the last dimension: LayerNorm and softmax. */
public final class RowKernels {
    private final Simd simd;
    private final Parallel parallel;

    public RowKernels(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
    }

    public void layerNorm(Tensor x, Tensor w, Tensor b, float eps, Tensor out, Tensor mean, Tensor rstd) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] xd = x.data(), wd = w.data(), bd = b.data(), od = out.data();
        int xo = x.offset(), wo = w.offset(), bo = b.offset(), oo = out.offset();
        float[] md = mean == null ? null : mean.data();
        float[] rd = rstd == null ? null : rstd.data();
        int mo = mean == null ? 0 : mean.offset();
        int ro = rstd == null ? 0 : rstd.offset();
        parallel.forRange(rows, Elementwise.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * cols, orow = oo + r * cols;
                float mu = simd.sum(xd, xr, cols) / cols;
                float var = simd.sumSquaredDeviation(xd, xr, cols, mu) / cols;
                float rs = (float) (1.0 / Math.sqrt(var + eps));
                simd.normalizeRow(xd, xr, wd, wo, bd, bo, od, orow, cols, mu, rs);
                if (md != null) {
                    md[mo + r] = mu;
                }
                if (rd != null) {
                    rd[ro + r] = rs;
                }
            }
        });
    }

    public void layerNormBackward(Tensor dy, Tensor x, Tensor w, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dw, Tensor db) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] gd = dy.data(), xd = x.data(), wd = w.data(), md = mean.data(), rd = rstd.data();
        int go = dy.offset(), xo = x.offset(), wo = w.offset(), mo = mean.offset(), ro = rstd.offset();
        if (dx != null) {
            float[] dxd = dx.data();
            int dxo = dx.offset();
            parallel.forRange(rows, Elementwise.rowGrain(cols), (from, to) -> {
                for (int r = from; r < to; r++) {
                    int xr = xo + r * cols, gr = go + r * cols, dr = dxo + r * cols;
                    simd.normalizeRowBackward(gd, gr, xd, xr, wd, wo, dxd, dr, cols, md[mo + r], rd[ro + r]);
                }
            });
        }
        if (dw != null || db != null) {
            // split by columns so that each weight's sum over rows runs in row order (deterministic); at
            // least a thread's share of the columns per range, so each thread passes over the rows once
            float[] dwd = dw == null ? null : dw.data();
            float[] dbd = db == null ? null : db.data();
            int dwo = dw == null ? 0 : dw.offset();
            int dbo = db == null ? 0 : db.offset();
            int share = (cols / parallel.threads() + 15) / 16 * 16;
            parallel.forRange(cols, Math.max(share, Elementwise.GRAIN / Math.max(1, rows)), (from, to) -> {
                for (int r = 0; r < rows; r++) {
                    int xr = xo + r * cols, gr = go + r * cols;
                    simd.normalizeParamGrads(gd, gr + from, xd, xr + from, dwd, dwo + from, dbd, dbo + from, to - from,
                            md[mo + r], rd[ro + r]);
                }
            });
        }
    }

    public void softmax(Tensor x, Tensor out) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] xd = x.data(), od = out.data();
        int xo = x.offset(), oo = out.offset();
        parallel.forRange(rows, Elementwise.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * cols, orow = oo + r * cols;
                float mx = simd.max(xd, xr, cols);
                float s = simd.expShift(xd, xr, od, orow, cols, mx);
                simd.scale(1f / s, od, orow, od, orow, cols);
            }
        });
    }

    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        int cols = y.dim(-1);
        int rows = y.size() / cols;
        float[] yd = y.data(), gd = dy.data(), dxd = dx.data();
        int yo = y.offset(), go = dy.offset(), dxo = dx.offset();
        parallel.forRange(rows, Elementwise.rowGrain(cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * cols, gr = go + r * cols, dr = dxo + r * cols;
                float d = simd.dot(yd, yr, gd, gr, cols);
                for (int j = 0; j < cols; j++) {
                    dxd[dr + j] += yd[yr + j] * (gd[gr + j] - d);
                }
            }
        });
    }
}
