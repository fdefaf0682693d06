package dev.vesper.lanemath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.testkit.InterpreterParity;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The vector exp/tanh stay within 2 ulp of Math.exp/Math.tanh over about a million floats and the edge
 * values, and the lane sum adds every lane once. (Each bundle's own test checks that its kernels give the
 * same bits interpreted and compiled.)
 */
class LaneMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Test
    void expAndTanhWithinTwoUlp() {
        float[] x = new float[L];
        float[] y = new float[L];
        float[] t = new float[L];
        double worstExp = 0, worstTanh = 0;
        List<Float> sweep = new ArrayList<>();
        for (float f : InterpreterParity.EDGES) {
            sweep.add(f);
        }
        for (long bits = 0; bits < 1L << 32; bits += 4093) {   // about a million floats of every exponent
            sweep.add(Float.intBitsToFloat((int) bits));
        }
        for (int s = 0; s < sweep.size(); s += L) {
            for (int j = 0; j < L; j++) {
                x[j] = sweep.get(Math.min(s + j, sweep.size() - 1));
            }
            System.arraycopy(x, 0, y, 0, L);
            LaneMath.expAt(y, 0);
            System.arraycopy(x, 0, t, 0, L);
            LaneMath.tanhAt(t, 0);
            for (int j = 0; j < L; j++) {
                worstExp = Math.max(worstExp, ulps("exp", x[j], y[j], Math.exp(x[j])));
                worstTanh = Math.max(worstTanh, ulps("tanh", x[j], t[j], Math.tanh(x[j])));
            }
        }
        assertTrue(worstExp <= 2, "exp: " + worstExp + " ulp");
        assertTrue(worstTanh <= 2, "tanh: " + worstTanh + " ulp");
    }

    @Test
    void sumAddsEveryLane() {
        float[] x = new float[L];
        double want = 0;
        for (int j = 0; j < L; j++) {
            x[j] = 1 << j;                            // distinct powers of two: any lost or doubled lane shows
            want += x[j];
        }
        assertEquals((float) want, LaneMath.sum(FloatVector.fromArray(S, x, 0)));
    }

    /** Distance in units of the last place of the float nearest the exact value; special values must match. */
    private static double ulps(String f, float x, float got, double want) {
        float w = (float) want;
        if (Float.isNaN(w) || Float.isInfinite(w) || Float.isInfinite(got) || Float.isNaN(got)) {
            assertEquals(Float.floatToIntBits(w), Float.floatToIntBits(got), f + "(" + x + ")");
            return 0;
        }
        return Math.abs(got - want) / Math.ulp(w);
    }
}
