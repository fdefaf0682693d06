package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.tensor.Tensor;

/**
 * Fused causal attention in blocks of queries. For each (batch, head) and block of up to
 * {@link #QB} queries, the scores against the keys that block can see are one small GEMM, the
 * masked softmax runs in place, and the weighted sum of values is a second GEMM. The forward keeps
 * only each query's log-sum-exp; the backward recomputes the block's probabilities from it. So
 * the only {@code Tq × Tk}-shaped memory is a per-thread scratch of {@code QB × Tk} floats (two in
 * the backward), reused from call to call.
 */
public final class AttentionKernels {
    /** Queries per block. */
    static final int QB = 64;

    private final Simd simd;
    private final Parallel parallel;
    private final Gemm gemm;

    public AttentionKernels(Simd simd, Parallel parallel, Gemm gemm) {
        this.simd = simd;
        this.parallel = parallel;
        this.gemm = gemm;
    }

    public void forward(Tensor q, Tensor k, Tensor v, float dropout, long seed, Tensor out, Tensor lse) {
        int bh = q.dim(0) * q.dim(1), tq = q.dim(2), hd = q.dim(3), tk = k.dim(2);
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] qd = q.data(), kd = k.data(), vd = v.data(), od = out.data();
        float[] ld = lse == null ? null : lse.data();
        int qo = q.offset(), ko = k.offset(), vo = v.offset(), oo = out.offset(), lo = lse == null ? 0 : lse.offset();
        int blocks = (tq + QB - 1) / QB;
        int grain = Math.max(1, (1 << 17) / Math.max(1, Math.min(tq, QB) * tk * hd));
        parallel.forRange(bh * blocks, grain, (from, to) -> {
            float[] s = Scratch.row(0, QB * tk);
            for (int item = from; item < to; item++) {
                int g = item / blocks;
                int i0 = (item % blocks) * QB, i1 = Math.min(tq, i0 + QB), rows = i1 - i0;
                int nk = tk - tq + i1;                      // keys visible to the block's last query
                int qb = qo + (g * tq + i0) * hd, kb = ko + g * tk * hd, vb = vo + g * tk * hd;
                gemm.gemm(qd, qb, hd, false, kd, kb, hd, true, s, 0, nk, rows, nk, hd, 0f, false);
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r;
                    int last = tk - tq + i;
                    int sr = r * nk;
                    simd.scale(scale, s, sr, s, sr, last + 1);
                    float mx = simd.max(s, sr, last + 1);
                    float sum = simd.expShift(s, sr, s, sr, last + 1, mx);
                    simd.scale(1f / sum, s, sr, s, sr, last + 1);
                    if (dropout > 0f) {
                        long row = ((long) g * tq + i) * tk;
                        for (int j = 0; j <= last; j++) {
                            s[sr + j] *= Rng.keepScale(seed, row + j, dropout);
                        }
                    }
                    java.util.Arrays.fill(s, sr + last + 1, sr + nk, 0f);
                    if (ld != null) {
                        ld[lo + g * tq + i] = mx + (float) Math.log(sum);
                    }
                }
                gemm.gemm(s, 0, nk, false, vd, vb, hd, false, od, oo + (g * tq + i0) * hd, hd, rows, hd, nk, 0f, false);
            }
        });
    }

    public void backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor dOut, float dropout, long seed,
                         Tensor dq, Tensor dk, Tensor dv) {
        int bh = q.dim(0) * q.dim(1), tq = q.dim(2), hd = q.dim(3), tk = k.dim(2);
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] qd = q.data(), kd = k.data(), vd = v.data(), od = out.data(), ld = lse.data(), gd = dOut.data();
        int qo = q.offset(), ko = k.offset(), vo = v.offset(), oo = out.offset(), lo = lse.offset(), go = dOut.offset();
        float[] dqd = dq == null ? null : dq.data(), dkd = dk == null ? null : dk.data(), dvd = dv == null ? null : dv.data();
        int dqo = dq == null ? 0 : dq.offset(), dko = dk == null ? 0 : dk.offset(), dvo = dv == null ? 0 : dv.offset();
        int blocks = (tq + QB - 1) / QB;
        int grain = Math.max(1, (1 << 17) / Math.max(1, tq * tk * hd));
        // dk and dv of one (batch, head) are written by its task only, blocks in order: deterministic
        parallel.forRange(bh, grain, (from, to) -> {
            float[] p = Scratch.row(0, QB * tk);
            float[] t = Scratch.row(1, QB * tk);
            for (int g = from; g < to; g++) {
                int kb = ko + g * tk * hd, vb = vo + g * tk * hd;
                for (int blk = 0; blk < blocks; blk++) {
                    int i0 = blk * QB, i1 = Math.min(tq, i0 + QB), rows = i1 - i0;
                    int nk = tk - tq + i1;
                    int qb = qo + (g * tq + i0) * hd, gb = go + (g * tq + i0) * hd, ob = oo + (g * tq + i0) * hd;
                    // P = exp(scale·QKᵀ − lse), masked; T = P with dropout applied (only when there is dropout)
                    gemm.gemm(qd, qb, hd, false, kd, kb, hd, true, p, 0, nk, rows, nk, hd, 0f, false);
                    for (int r = 0; r < rows; r++) {
                        int i = i0 + r, last = tk - tq + i, pr = r * nk;
                        simd.scale(scale, p, pr, p, pr, last + 1);
                        simd.expShift(p, pr, p, pr, last + 1, ld[lo + g * tq + i]);
                        java.util.Arrays.fill(p, pr + last + 1, pr + nk, 0f);
                        if (dropout > 0f) {
                            long row = ((long) g * tq + i) * tk;
                            for (int j = 0; j < nk; j++) {
                                t[pr + j] = p[pr + j] * Rng.keepScale(seed, row + j, dropout);
                            }
                        }
                    }
                    if (dvd != null) {
                        // without dropout T is P itself
                        gemm.gemm(dropout > 0f ? t : p, 0, nk, true, gd, gb, hd, false, dvd, dvo + g * tk * hd, hd, nk, hd,
                                rows, 1f, false);
                    }
                    if (dqd == null && dkd == null) {
                        continue;
                    }
                    // T = dO·Vᵀ (through the dropout mask), then dS = P ⊙ (T − dO·O) · scale into P
                    gemm.gemm(gd, gb, hd, false, vd, vb, hd, true, t, 0, nk, rows, nk, hd, 0f, false);
                    for (int r = 0; r < rows; r++) {
                        int i = i0 + r, last = tk - tq + i, pr = r * nk;
                        float dsum = simd.dot(gd, gb + r * hd, od, ob + r * hd, hd);
                        long row = ((long) g * tq + i) * tk;
                        for (int j = 0; j <= last; j++) {
                            float dp = dropout > 0f ? t[pr + j] * Rng.keepScale(seed, row + j, dropout) : t[pr + j];
                            p[pr + j] = p[pr + j] * (dp - dsum) * scale;
                        }
                    }
                    if (dqd != null) {
                        gemm.gemm(p, 0, nk, false, kd, kb, hd, false, dqd, dqo + (g * tq + i0) * hd, hd, rows, hd, nk, 1f, false);
                    }
                    if (dkd != null) {
                        gemm.gemm(p, 0, nk, true, qd, qb, hd, false, dkd, dko + g * tk * hd, hd, nk, hd, rows, 1f, false);
                    }
                }
            }
        });
    }
}
