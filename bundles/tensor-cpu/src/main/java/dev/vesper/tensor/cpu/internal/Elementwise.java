package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.tensor.Tensor;

/** Elementwise kernels with broadcasting of a suffix-shaped operand over leading dimensions. */
public final class Elementwise {
    /** Elements per task below which work stays on one thread. */
    static final int GRAIN = 1 << 16;
    /** Elements per partial sum: fixed, so reductions do not depend on the thread count. */
    static final int SUM_CHUNK = 1 << 13;

    private final Simd simd;
    private final Parallel parallel;

    public Elementwise(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
    }

    /** Rows of {@code cols} per task so that a task has about {@link #GRAIN} elements. */
    static int rowGrain(int cols) {
        return Math.max(1, GRAIN / Math.max(1, cols));
    }

    public void add(Tensor a, Tensor b, Tensor out) {
        float[] ad = a.data(), bd = b.data(), od = out.data();
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        forRepeats(a.size(), b.size(), (i, j, n) -> {
            for (int t = 0; t < n; t++) {
                od[oo + i + t] = ad[ao + i + t] + bd[bo + j + t];
            }
        });
    }

    public void mul(Tensor a, Tensor b, Tensor out) {
        float[] ad = a.data(), bd = b.data(), od = out.data();
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        forRepeats(a.size(), b.size(), (i, j, n) -> {
            for (int t = 0; t < n; t++) {
                od[oo + i + t] = ad[ao + i + t] * bd[bo + j + t];
            }
        });
    }

    /** A piece of an elementwise op: {@code n} elements from flat index {@code i}, the repeated operand's from {@code j}. */
    private interface Piece {
        void run(int i, int j, int n);
    }

    /**
     * Splits {@code [0, size)} across threads by elements, not by repeats of the {@code repeat}-long
     * operand (a residual add is one repeat), in pieces that stay within one repeat.
     */
    private void forRepeats(int size, int repeat, Piece piece) {
        if (repeat == 0) {
            return;
        }
        parallel.forRange(size, GRAIN, (from, to) -> {
            for (int i = from; i < to; ) {
                int j = i % repeat, n = Math.min(to - i, repeat - j);
                piece.run(i, j, n);
                i += n;
            }
        });
    }

    public void scale(Tensor a, float s, Tensor out) {
        float[] ad = a.data(), od = out.data();
        int ao = a.offset(), oo = out.offset();
        parallel.forRange(a.size(), GRAIN, (from, to) -> simd.scale(s, ad, ao + from, od, oo + from, to - from));
    }

    /** {@code dst += s·src}; the larger of the two is a whole number of repeats of the smaller. */
    public void accumulate(Tensor src, float s, Tensor dst) {
        float[] sd = src.data(), dd = dst.data();
        int so = src.offset(), dof = dst.offset();
        int ss = src.size(), ds = dst.size();
        if (ss == ds) {
            parallel.forRange(ss, GRAIN, (from, to) -> simd.axpy(s, sd, so + from, dd, dof + from, to - from));
        } else if (ss > ds) {
            int reps = ss / ds;
            // columns split across threads; each sums its repeats in order (deterministic)
            parallel.forRange(ds, Math.max(16, GRAIN / Math.max(1, reps)), (from, to) -> {
                for (int r = 0; r < reps; r++) {
                    simd.axpy(s, sd, so + r * ds + from, dd, dof + from, to - from);
                }
            });
        } else {
            int reps = ds / ss;
            parallel.forRange(reps, rowGrain(ss), (from, to) -> {
                for (int r = from; r < to; r++) {
                    simd.axpy(s, sd, so, dd, dof + r * ss, ss);
                }
            });
        }
    }

    public void mulBackward(Tensor dy, Tensor a, Tensor b, Tensor da, Tensor db) {
        float[] gd = dy.data(), ad = a.data(), bd = b.data();
        int go = dy.offset(), ao = a.offset(), bo = b.offset();
        int bs = b.size();
        int reps = bs == 0 ? 0 : a.size() / bs;
        if (da != null) {
            float[] dad = da.data();
            int dao = da.offset();
            forRepeats(reps * bs, bs, (i, j, n) -> {
                for (int t = 0; t < n; t++) {
                    dad[dao + i + t] += gd[go + i + t] * bd[bo + j + t];
                }
            });
        }
        if (db != null) {
            float[] dbd = db.data();
            int dbo = db.offset();
            parallel.forRange(bs, Math.max(16, GRAIN / Math.max(1, reps)), (from, to) -> {
                for (int r = 0; r < reps; r++) {
                    int o = r * bs;
                    for (int j = from; j < to; j++) {
                        dbd[dbo + j] += gd[go + o + j] * ad[ao + o + j];
                    }
                }
            });
        }
    }

    /** Sum in double over fixed chunks, combined in order. */
    public double sum(Tensor a) {
        float[] ad = a.data();
        int ao = a.offset();
        int n = a.size();
        int chunks = (n + SUM_CHUNK - 1) / SUM_CHUNK;
        double[] partial = new double[chunks];
        parallel.forRange(chunks, 8, (from, to) -> {
            for (int c = from; c < to; c++) {
                int lo = c * SUM_CHUNK;
                partial[c] = simd.sum(ad, ao + lo, Math.min(SUM_CHUNK, n - lo));
            }
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }
}
