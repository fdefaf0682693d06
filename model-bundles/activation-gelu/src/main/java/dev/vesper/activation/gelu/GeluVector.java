package dev.vesper.activation.gelu;

import dev.vesper.lanemath.LaneMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GELU (tanh form) with the Vector API (vectorised tanh, float); loaded only when the module is present. tanh
 * comes from {@link LaneMath} (staged in a per-thread array of one vector, so that no vector crosses a call
 * C2 might not inline), so results do not change when C2 compiles the loops.
 */
final class GeluVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final float C = (float) Math.sqrt(2 / Math.PI);
    private static final float A = 0.044715f;
    /** Where tanh are staged (LaneMath works on arrays, so that no vector crosses a call). */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private GeluVector() {
    }

    static boolean usable() {
        float[] y = new float[1];
        forward(new float[] {1f}, y, 0, 1);
        return L >= 4 && Math.abs(y[0] - 0.8411920f) < 1e-6f;
    }

    static void forward(float[] x, float[] y, int from, int to) {
        float[] lanes = LANES.get();
        int i = from;
        for (int end = to - (to - from) % L; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(v).mul(A).add(1f).mul(v).mul(C).intoArray(lanes, 0);      // C·(x + A·x³)
            LaneMath.tanhAt(lanes, 0);
            FloatVector t = FloatVector.fromArray(S, lanes, 0);
            v.mul(0.5f).mul(t.add(1f)).intoArray(y, i);
        }
        for (; i < to; i++) {
            double v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(C * (v + A * v * v * v))));
        }
    }

    static void backward(float[] x, float[] dy, float[] dx, int from, int to) {
        float[] lanes = LANES.get();
        int i = from;
        for (int end = to - (to - from) % L; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(v).mul(A).add(1f).mul(v).mul(C).intoArray(lanes, 0);
            LaneMath.tanhAt(lanes, 0);
            FloatVector t = FloatVector.fromArray(S, lanes, 0);
            // 0.5·(1 + t) + 0.5·x·(1 − t²)·C·(1 + 3A·x²)
            FloatVector sech2 = t.mul(t).neg().add(1f);
            FloatVector slope = v.mul(v).mul(3 * A).add(1f).mul(C);
            FloatVector d = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(sech2).mul(slope));
            FloatVector.fromArray(S, dy, i).mul(d).intoArray(dx, i);
        }
        for (; i < to; i++) {
            double v = x[i];
            double t = Math.tanh(C * (v + A * v * v * v));
            dx[i] = (float) (dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * A * v * v)));
        }
    }
}
