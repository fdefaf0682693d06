package dev.vesper.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.api.model.Activation;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The check every activation bundle runs: forward against a double-precision reference written from
 * the formula, backward against central finite differences of that reference, on rows 1..3 of a
 * 4 × 23 batch (23 reaches the vector tail), while row 0 must stay untouched (the row range is honoured).
 */
public final class ActivationCheck {
    public static final int ROWS = 4;
    public static final int COLS = 23;
    private static final double STEP = 1e-6;

    /** One row of the activation in double precision, from its formula. */
    @FunctionalInterface
    public interface Reference {
        double[] apply(double[] row, Map<String, Double> options);
    }

    private ActivationCheck() {
    }

    /** Gaussian inputs of standard deviation {@code 2·scale}, kept away from 0 (where relu has a kink). */
    public static float[] input(long seed, double scale) {
        Random r = new Random(seed);
        float[] x = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            float v;
            do {
                v = (float) (r.nextGaussian() * 2 * scale);
            } while (Math.abs(v) < 1e-2);
            x[i] = v;
        }
        return x;
    }

    /** d(Σ dy·reference(x)) / dx for one row, by central differences in double precision. */
    public static double[] numericGradient(Reference ref, float[] x, float[] dy, int row, Map<String, Double> o) {
        double[] xr = row(x, row);
        double[] g = new double[COLS];
        for (int i = 0; i < COLS; i++) {
            double keep = xr[i];
            xr[i] = keep + STEP;
            double up = dot(ref.apply(xr, o), dy, row);
            xr[i] = keep - STEP;
            double down = dot(ref.apply(xr, o), dy, row);
            xr[i] = keep;
            g[i] = (up - down) / (2 * STEP);
        }
        return g;
    }

    /** Row {@code row} of a batch, widened to double. */
    public static double[] row(float[] x, int row) {
        double[] xr = new double[COLS];
        for (int i = 0; i < COLS; i++) {
            xr[i] = x[row * COLS + i];
        }
        return xr;
    }

    /** Asserts forward and backward on rows 1..ROWS-1; returns the worst relative gradient error. */
    public static double check(Activation act, Reference ref, Map<String, Double> o, double inputScale) {
        float[] x = input(7, inputScale);
        float[] dy = input(8, inputScale);
        float[] y = new float[x.length];
        float[] dx = new float[x.length];
        Arrays.fill(y, 42f);
        Arrays.fill(dx, 42f);
        act.forward(x, y, COLS, 1, ROWS, o);
        act.backward(x, dy, dx, COLS, 1, ROWS, o);
        for (int i = 0; i < COLS; i++) {
            assertEquals(42f, y[i], "row 0 is outside the range and untouched");
            assertEquals(42f, dx[i], "row 0 is outside the range and untouched");
        }
        double worst = 0;
        for (int r = 1; r < ROWS; r++) {
            double[] expected = ref.apply(row(x, r), o);
            double[] num = numericGradient(ref, x, dy, r, o);
            for (int i = 0; i < COLS; i++) {
                int k = r * COLS + i;
                assertEquals(expected[i], y[k], 1e-6 * Math.max(1, Math.abs(expected[i])), "forward at row " + r + " col " + i);
                double err = Math.abs(dx[k] - num[i]) / Math.max(1, Math.abs(num[i]));
                worst = Math.max(worst, err);
                assertTrue(err < 1e-5, "backward at row " + r + " col " + i + ": " + dx[k] + " vs finite difference " + num[i]);
            }
        }
        return worst;
    }

    private static double dot(double[] y, float[] dy, int row) {
        double s = 0;
        for (int i = 0; i < COLS; i++) {
            s += y[i] * dy[row * COLS + i];
        }
        return s;
    }
}
