package dev.vesper.activation.silu;

import dev.vesper.lanemath.LaneMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SiLU with the Vector API (vectorised exponentials, float); loaded only when the module is present. exp comes
 * from {@link LaneMath} (staged in a per-thread array of one vector), so results do not change when C2
 * compiles the loops.
 */
final class SiluVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    /** Where exponentials are staged (LaneMath works on arrays, so that no vector crosses a call). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private SiluVector() {
    }

    static boolean usable() {
        float[] y = new float[1];
        forward(new float[] {1f}, y, 0, 1);
        return L >= 4 && Math.abs(y[0] - 0.7310586f) < 1e-6f;
    }

    static void forward(float[] x, float[] y, int from, int to) {
        float[] t = LANES.get();
        int i = from;
        for (int end = to - (to - from) % L; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.neg().intoArray(t, 0);
            LaneMath.expAt(t, 0);
            v.mul(ONE.div(FloatVector.fromArray(S, t, 0).add(1f))).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = x[i] * sigmoid(x[i]);
        }
    }

    static void backward(float[] x, float[] dy, float[] dx, int from, int to) {
        float[] t = LANES.get();
        int i = from;
        for (int end = to - (to - from) % L; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.neg().intoArray(t, 0);
            LaneMath.expAt(t, 0);
            FloatVector s = ONE.div(FloatVector.fromArray(S, t, 0).add(1f));
            FloatVector d = v.mul(s).mul(ONE.sub(s)).add(s);
            FloatVector.fromArray(S, dy, i).mul(d).intoArray(dx, i);
        }
        for (; i < to; i++) {
            float s = sigmoid(x[i]);
            dx[i] = dy[i] * (s + x[i] * s * (1 - s));
        }
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }
}
