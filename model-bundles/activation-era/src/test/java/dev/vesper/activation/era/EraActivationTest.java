package dev.vesper.activation.era;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.testkit.ActivationCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward against a double-precision reference, backward against its central finite differences. */
class EraActivationTest {
    private static final int COLS = ActivationCheck.COLS;

    /** The reference: one row in double precision, written from the formula independently of the class. */
    static double[] reference(double[] x, Map<String, Double> o) {
        double[] y = new double[x.length];
        double t = o.getOrDefault("era_temperature", 1.0);
        double gamma = o.getOrDefault("era_gamma", 0.1);
        double[] p = new double[x.length];
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v / t);
        }
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] / t - max);
            sum += p[i];
        }
        double h = 0;
        for (int i = 0; i < x.length; i++) {
            p[i] /= sum;
            h -= p[i] > 0 ? p[i] * Math.log(p[i]) : 0;
        }
        double hn = h / Math.log(x.length);
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / (1 + Math.exp(-x[i] / t)) * (1 + gamma * hn);
        }
        return y;
    }

    private final EraActivation act = new EraActivation();

    @Test
    void registersUnderItsName() {
        assertEquals("era", act.name());
    }

    @Test
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences() {
        check(Map.of());
        check(Map.of("era_temperature", 0.6, "era_gamma", 0.7));
        check(Map.of("era_temperature", 2.5, "era_gamma", -0.3));
    }

    private static double inputScale = 1;

    /** Rows whose x/T reaches hundreds: the exponentials underflow or would overflow, σ is computed directly. */
    @Test
    void extremeInputsStayExact() {
        inputScale = 300;
        try {
            check(Map.of());
            check(Map.of("era_temperature", 0.4, "era_gamma", 0.5));
        } finally {
            inputScale = 1;
        }
    }

    /** The plain path always; the Vector API path too when the module is present. */
    double check(Map<String, Double> o) {
        double worst = ActivationCheck.check(act, EraActivationTest::reference, o, inputScale);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertTrue(VectorProbe.AVAILABLE, "with the module present the Vector API path runs and is checked");
        }
        return Math.max(worst, ActivationCheck.check(new EraActivation(false), EraActivationTest::reference, o, inputScale));
    }

    /** Without the path through the entropy the gradient is measurably wrong, so the check above can fail. */
    @Test
    void entropyPathMatters() {
        Map<String, Double> o = Map.of("era_temperature", 0.6, "era_gamma", 0.7);
        float[] x = ActivationCheck.input(7, 1);
        float[] dy = ActivationCheck.input(8, 1);
        double[] num = ActivationCheck.numericGradient(EraActivationTest::reference, x, dy, 1, o);
        double worst = 0;
        double t = 0.6;
        double gamma = 0.7;
        double[] xr = ActivationCheck.row(x, 1);
        double scale = reference(xr, o)[0] / (xr[0] / (1 + Math.exp(-xr[0] / t)));
        for (int i = 0; i < COLS; i++) {
            double s = 1 / (1 + Math.exp(-xr[i] / t));
            double direct = dy[COLS + i] * scale * (s + xr[i] / t * s * (1 - s));
            worst = Math.max(worst, Math.abs(direct - num[i]));
        }
        assertTrue(worst > 1e-3, "the entropy path should change the gradient, max difference " + worst + " (gamma " + gamma + ")");
    }
}
