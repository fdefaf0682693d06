package dev.vesper.tensor.cpu.internal;

import dev.vesper.api.tensor.Tensor;

/**
 * Fused causal attention, one (batch, head) pair per task. The forward keeps only each query's
 * log-sum-exp; the backward recomputes a query's probabilities from it, so nothing of size
 * {@code Tq × Tk} is ever stored: one row of scratch per thread.
 */
public final class AttentionKernels {
    private final Simd simd;
    private final Parallel parallel;

    public AttentionKernels(Simd simd, Parallel parallel) {
        this.simd = simd;
        this.parallel = parallel;
    }

    public void forward(Tensor q, Tensor k, Tensor v, float dropout, long seed, Tensor out, Tensor lse) {
        int bh = q.dim(0) * q.dim(1), tq = q.dim(2), hd = q.dim(3), tk = k.dim(2);
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] qd = q.data(), kd = k.data(), vd = v.data(), od = out.data();
        float[] ld = lse == null ? null : lse.data();
        int qo = q.offset(), ko = k.offset(), vo = v.offset(), oo = out.offset(), lo = lse == null ? 0 : lse.offset();
        int grain = Math.max(1, (1 << 16) / Math.max(1, tq * tk * hd));
        parallel.forRange(bh, grain, (from, to) -> {
            float[] p = Scratch.row(0, tk);
            for (int g = from; g < to; g++) {
                int qb = qo + g * tq * hd, kb = ko + g * tk * hd, vb = vo + g * tk * hd, ob = oo + g * tq * hd;
                for (int i = 0; i < tq; i++) {
                    int last = tk - tq + i;           // the last key this query sees
                    int qi = qb + i * hd;
                    float mx = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j <= last; j++) {
                        float s = simd.dot(qd, qi, kd, kb + j * hd, hd) * scale;
                        p[j] = s;
                        mx = Math.max(mx, s);
                    }
                    float sum = simd.expShift(p, 0, p, 0, last + 1, mx);
                    float inv = 1f / sum;
                    int oi = ob + i * hd;
                    java.util.Arrays.fill(od, oi, oi + hd, 0f);
                    long row = ((long) g * tq + i) * tk;
                    for (int j = 0; j <= last; j++) {
                        float w = p[j] * inv * Rng.keepScale(seed, row + j, dropout);
                        if (w != 0f) {
                            simd.axpy(w, vd, vb + j * hd, od, oi, hd);
                        }
                    }
                    if (ld != null) {
                        ld[lo + g * tq + i] = mx + (float) Math.log(sum);
                    }
                }
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
        int grain = Math.max(1, (1 << 16) / Math.max(1, tq * tk * hd));
        // dk and dv of one (batch, head) are written by its task only: no races, fixed order
        parallel.forRange(bh, grain, (from, to) -> {
            float[] p = Scratch.row(0, tk);
            for (int g = from; g < to; g++) {
                int qb = qo + g * tq * hd, kb = ko + g * tk * hd, vb = vo + g * tk * hd;
                int ob = oo + g * tq * hd, gb = go + g * tq * hd;
                for (int i = 0; i < tq; i++) {
                    int last = tk - tq + i;
                    int qi = qb + i * hd, gi = gb + i * hd;
                    float l = ld[lo + g * tq + i];
                    long row = ((long) g * tq + i) * tk;
                    // D = dO·O equals Σ_j p_j·dp_j, dropout included
                    float dsum = simd.dot(gd, gi, od, ob + i * hd, hd);
                    for (int j = 0; j <= last; j++) {
                        float pj = (float) Math.exp(simd.dot(qd, qi, kd, kb + j * hd, hd) * scale - l);
                        float keep = Rng.keepScale(seed, row + j, dropout);
                        if (dvd != null && keep != 0f) {
                            simd.axpy(pj * keep, gd, gi, dvd, dvo + g * tk * hd + j * hd, hd);
                        }
                        float dp = keep == 0f ? 0f : simd.dot(gd, gi, vd, vb + j * hd, hd) * keep;
                        p[j] = pj * (dp - dsum) * scale;   // dS_j, scaled for the q·k product
                    }
                    if (dqd != null) {
                        int dqi = dqo + g * tq * hd + i * hd;
                        for (int j = 0; j <= last; j++) {
                            simd.axpy(p[j], kd, kb + j * hd, dqd, dqi, hd);
                        }
                    }
                    if (dkd != null) {
                        int dkb = dko + g * tk * hd;
                        for (int j = 0; j <= last; j++) {
                            simd.axpy(p[j], qd, qi, dkd, dkb + j * hd, hd);
                        }
                    }
                }
            }
        });
    }
}
