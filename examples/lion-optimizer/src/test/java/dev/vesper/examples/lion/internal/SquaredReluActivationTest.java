package dev.vesper.examples.lion.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forward against the formula in double precision; backward against central finite differences of it. */
class SquaredReluActivationTest {
    private static final int ROWS = 4;
    private static final int COLS = 19;

    private final SquaredReluActivation act = new SquaredReluActivation();

    /** The reference, written from the formula: relu(x)². */
    private static double reference(double x) {
        double r = Math.max(0, x);
        return r * r;
    }

    @Test
    void isNamedSquaredRelu() {
        assertEquals("squared-relu", act.name());
    }

    @Test
    void knownValues() {
        float[] x = {-2f, -0f, 0f, 0.5f, 3f};
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        float[] dy = {1f, 1f, 1f, 1f, 1f};
        act.forward(x, y, x.length, 0, 1, Map.of());
        act.backward(x, dy, dx, x.length, 0, 1, Map.of());
        assertEquals("[0.0, 0.0, 0.0, 0.25, 9.0]", Arrays.toString(y));
        assertEquals("[0.0, 0.0, 0.0, 1.0, 6.0]", Arrays.toString(dx));
    }

    @Test
    void forwardMatchesFormulaAndBackwardMatchesFiniteDifferences() {
        float[] x = input(3);
        float[] dy = input(4);
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        Arrays.fill(y, 42f);
        Arrays.fill(dx, 42f);
        // rows 1..ROWS-1 only: row 0 proves the row range is honoured
        act.forward(x, y, COLS, 1, ROWS, Map.of());
        act.backward(x, dy, dx, COLS, 1, ROWS, Map.of());
        for (int i = 0; i < COLS; i++) {
            assertEquals(42f, y[i], "row 0 is outside the range");
            assertEquals(42f, dx[i], "row 0 is outside the range");
        }
        double h = 1e-6;
        for (int k = COLS; k < ROWS * COLS; k++) {
            double xk = x[k];
            assertEquals(reference(xk), y[k], 1e-6 * Math.max(1, reference(xk)), "forward at " + k);
            // d(sum y·dy)/dx_k by central differences of the double-precision formula
            double numeric = (reference(xk + h) - reference(xk - h)) / (2 * h) * dy[k];
            double err = Math.abs(dx[k] - numeric) / Math.max(1, Math.abs(numeric));
            assertTrue(err < 1e-5, "backward at " + k + ": " + dx[k] + " vs finite difference " + numeric);
        }
    }

    /** Gaussian values kept away from 0, where the finite difference would straddle the kink of relu. */
    private static float[] input(long seed) {
        Random r = new Random(seed);
        float[] x = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            float v;
            do {
                v = (float) (r.nextGaussian() * 2);
            } while (Math.abs(v) < 1e-2);
            x[i] = v;
        }
        return x;
    }
}
