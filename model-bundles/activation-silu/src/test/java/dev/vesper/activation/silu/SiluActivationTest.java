package dev.vesper.activation.silu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forward against a double-precision reference, backward against its central finite differences. */
class SiluActivationTest {
    private static final int ROWS = 4;
    private static final int COLS = 23;

    /** The reference: one row in double precision, written from the formula independently of the class. */
    static double[] reference(double[] x, Map<String, Double> o) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / (1 + Math.exp(-x[i]));
        }
        return y;
    }

    private final SiluActivation act = new SiluActivation();

    @Test
    void registersUnderItsName() {
        assertEquals("silu", act.name());
    }

    @Test
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences() {
        check(Map.of());

    }

    static float[] input(long seed) {
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

    static double[] numericGradient(float[] x, float[] dy, int row, Map<String, Double> o) {
        double[] xr = new double[COLS];
        for (int i = 0; i < COLS; i++) {
            xr[i] = x[row * COLS + i];
        }
        double[] g = new double[COLS];
        double h = 1e-6;
        for (int i = 0; i < COLS; i++) {
            double keep = xr[i];
            xr[i] = keep + h;
            double up = dot(reference(xr, o), dy, row);
            xr[i] = keep - h;
            double down = dot(reference(xr, o), dy, row);
            xr[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    static double dot(double[] y, float[] dy, int row) {
        double s = 0;
        for (int i = 0; i < COLS; i++) {
            s += y[i] * dy[row * COLS + i];
        }
        return s;
    }

    /** Checks rows 1..ROWS-1 only, so that row 0 proves the row range is honoured; returns the max gradient error. */
    double check(Map<String, Double> o) {
        double worst = checkOne(act, o);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertTrue(VectorProbe.AVAILABLE, "with the module present the Vector API path runs and is checked");
        }
        return Math.max(worst, checkOne(new SiluActivation(false), o));
    }

    /** Both the Vector API path (when present) and the plain path must pass. */
    static double checkOne(dev.vesper.api.model.Activation act, Map<String, Double> o) {
        float[] x = input(7);
        float[] dy = input(8);
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        java.util.Arrays.fill(y, 42f);
        java.util.Arrays.fill(dx, 42f);
        act.forward(x, y, COLS, 1, ROWS, o);
        act.backward(x, dy, dx, COLS, 1, ROWS, o);
        double worst = 0;
        for (int i = 0; i < COLS; i++) {
            assertEquals(42f, y[i], "row 0 is outside the range and untouched");
            assertEquals(42f, dx[i], "row 0 is outside the range and untouched");
        }
        for (int r = 1; r < ROWS; r++) {
            double[] xr = new double[COLS];
            for (int i = 0; i < COLS; i++) {
                xr[i] = x[r * COLS + i];
            }
            double[] ref = reference(xr, o);
            double[] num = numericGradient(x, dy, r, o);
            for (int i = 0; i < COLS; i++) {
                int k = r * COLS + i;
                assertEquals(ref[i], y[k], 1e-6 * Math.max(1, Math.abs(ref[i])), "forward at row " + r + " col " + i);
                double err = Math.abs(dx[k] - num[i]) / Math.max(1, Math.abs(num[i]));
                worst = Math.max(worst, err);
                assertTrue(err < 1e-5, "backward at row " + r + " col " + i + ": " + dx[k] + " vs finite difference " + num[i]);
            }
        }
        return worst;
    }
}
