package dev.vesper.activation.era;

import dev.vesper.lanemath.LaneMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ERA with the Vector API: the same formulas as {@link EraActivation}, in float, with vectorised
 * exponentials; each row's sums are reduced in float lanes and finished in double. Loaded only when
 * {@code jdk.incubator.vector} is present. Lane sums and exponentials follow {@link LaneMath} (exponentials staged
 * in a per-thread array of one vector), so results do not change when C2 compiles the loops.
 */
final class EraVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    /** Where exponentials are staged (LaneMath works on arrays, so that no vector crosses a call). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private EraVector() {
    }

    static boolean usable() {
        float[] x = {0f, 1f, -1f, 2f};
        float[] y = new float[4];
        forward(x, y, 4, 0, 1, 1f, 0f);
        return L >= 4 && Math.abs(y[1] - 0.7310586f) < 1e-6f;
    }

    static void forward(float[] x, float[] y, int cols, int rowFrom, int rowTo, float invT, float gamma) {
        double lnF = cols > 1 ? Math.log(cols) : 0;
        float[] t = LANES.get();
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            int vecEnd = o + (cols - cols % L);
            float max = rowMax(x, o, cols, vecEnd) * invT;
            FloatVector sumV = FloatVector.zero(S);
            FloatVector wV = FloatVector.zero(S);
            for (int i = o; i < vecEnd; i += L) {
                FloatVector z = FloatVector.fromArray(S, x, i).fma(invT, -max);
                z.intoArray(t, 0);
                LaneMath.expAt(t, 0);
                FloatVector e = FloatVector.fromArray(S, t, 0);
                sumV = sumV.add(e);
                wV = z.fma(e, wV);
            }
            // LaneMath.sum written out: a call here can fall outside C2's inlining budget and box the vector
            sumV = sumV.add(sumV.rearrange(LaneMath.X1));
            sumV = sumV.add(sumV.rearrange(LaneMath.X2));
            sumV = L < 8 ? sumV : sumV.add(sumV.rearrange(LaneMath.X4));
            sumV = L < 16 ? sumV : sumV.add(sumV.rearrange(LaneMath.X8));
            double sum = sumV.lane(0);
            wV = wV.add(wV.rearrange(LaneMath.X1));
            wV = wV.add(wV.rearrange(LaneMath.X2));
            wV = L < 8 ? wV : wV.add(wV.rearrange(LaneMath.X4));
            wV = L < 16 ? wV : wV.add(wV.rearrange(LaneMath.X8));
            double weighted = wV.lane(0);
            for (int i = vecEnd; i < o + cols; i++) {
                float z = Math.fma(x[i], invT, -max);
                float e = (float) Math.exp(z);
                sum += e;
                weighted += (double) e * z;
            }
            float scale = (float) (lnF > 0 ? 1 + gamma * (Math.log(sum) - weighted / sum) / lnF : 1);
            for (int i = o; i < vecEnd; i += L) {
                FloatVector u = FloatVector.fromArray(S, x, i);
                u.mul(invT).neg().intoArray(t, 0);
                LaneMath.expAt(t, 0);
                u.mul(ONE.div(FloatVector.fromArray(S, t, 0).add(1f))).mul(scale).intoArray(y, i);
            }
            for (int i = vecEnd; i < o + cols; i++) {
                y[i] = x[i] * sigmoid(x[i] * invT) * scale;
            }
        }
    }

    static void backward(float[] x, float[] dy, float[] dx, int cols, int rowFrom, int rowTo, float invT, float gamma) {
        double lnF = cols > 1 ? Math.log(cols) : 0;
        float[] t = LANES.get();
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * cols;
            int vecEnd = o + (cols - cols % L);
            float max = rowMax(x, o, cols, vecEnd) * invT;
            // pass 1: S = Σe, Σe·(z − max), Σ dy·x·σ; e kept in dx for pass 2
            FloatVector sumV = FloatVector.zero(S);
            FloatVector wV = FloatVector.zero(S);
            FloatVector gV = FloatVector.zero(S);
            for (int i = o; i < vecEnd; i += L) {
                FloatVector u = FloatVector.fromArray(S, x, i);
                FloatVector zf = u.mul(invT);
                FloatVector z = u.fma(invT, -max);
                FloatVector g = FloatVector.fromArray(S, dy, i).mul(u);
                zf.neg().intoArray(t, 0);
                LaneMath.expAt(t, 0);
                gV = g.fma(ONE.div(FloatVector.fromArray(S, t, 0).add(1f)), gV);
                z.intoArray(t, 0);
                LaneMath.expAt(t, 0);
                FloatVector e = FloatVector.fromArray(S, t, 0);
                e.intoArray(dx, i);
                sumV = sumV.add(e);
                wV = z.fma(e, wV);
            }
            // LaneMath.sum written out for each of the three sums: a call here can fall outside C2's inlining budget and box the vector
            sumV = sumV.add(sumV.rearrange(LaneMath.X1));
            sumV = sumV.add(sumV.rearrange(LaneMath.X2));
            sumV = L < 8 ? sumV : sumV.add(sumV.rearrange(LaneMath.X4));
            sumV = L < 16 ? sumV : sumV.add(sumV.rearrange(LaneMath.X8));
            double sum = sumV.lane(0);
            wV = wV.add(wV.rearrange(LaneMath.X1));
            wV = wV.add(wV.rearrange(LaneMath.X2));
            wV = L < 8 ? wV : wV.add(wV.rearrange(LaneMath.X4));
            wV = L < 16 ? wV : wV.add(wV.rearrange(LaneMath.X8));
            double weighted = wV.lane(0);
            gV = gV.add(gV.rearrange(LaneMath.X1));
            gV = gV.add(gV.rearrange(LaneMath.X2));
            gV = L < 8 ? gV : gV.add(gV.rearrange(LaneMath.X4));
            gV = L < 16 ? gV : gV.add(gV.rearrange(LaneMath.X8));
            double gdy = gV.lane(0);
            for (int i = vecEnd; i < o + cols; i++) {
                float z = Math.fma(x[i], invT, -max);
                float e = (float) Math.exp(z);
                dx[i] = e;
                sum += e;
                weighted += (double) e * z;
                gdy += (double) dy[i] * x[i] * sigmoid(x[i] * invT);
            }
            double logSum = Math.log(sum);
            double h = logSum - weighted / sum;
            float scale = (float) (lnF > 0 ? 1 + gamma * h / lnF : 1);
            float k = (float) (lnF > 0 ? -gamma * gdy * invT / lnF : 0);
            float invSum = (float) (1 / sum);
            // ln p + H = (z − max) − (ln S − H); z − max by one fused multiply-add, so that large
            // inputs lose no precision to cancellation
            float shift = (float) (logSum - h);
            // pass 2: dx = dy·s·g' + k·p·(ln p + H), with p = e / S
            for (int i = o; i < vecEnd; i += L) {
                FloatVector u = FloatVector.fromArray(S, x, i);
                FloatVector zf = u.mul(invT);
                zf.neg().intoArray(t, 0);
                LaneMath.expAt(t, 0);
                FloatVector sg = ONE.div(FloatVector.fromArray(S, t, 0).add(1f));
                FloatVector gPrime = zf.mul(sg).mul(sg.neg().add(1f)).add(sg);
                FloatVector p = FloatVector.fromArray(S, dx, i).mul(invSum);
                FloatVector entropyPath = p.mul(u.fma(invT, -max).sub(shift)).mul(k);
                FloatVector.fromArray(S, dy, i).mul(scale).fma(gPrime, entropyPath).intoArray(dx, i);
            }
            for (int i = vecEnd; i < o + cols; i++) {
                float zf = x[i] * invT;
                float sg = sigmoid(zf);
                float gPrime = sg + zf * sg * (1 - sg);
                float p = dx[i] * invSum;
                dx[i] = dy[i] * scale * gPrime + k * p * (Math.fma(x[i], invT, -max) - shift);
            }
        }
    }

    private static float sigmoid(float z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    private static float rowMax(float[] x, int o, int cols, int vecEnd) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = o; i < vecEnd; i += L) {
            m = m.max(FloatVector.fromArray(S, x, i));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (int i = vecEnd; i < o + cols; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }
}
