package dev.vesper.activation.gelu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.testkit.ActivationCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward against a double-precision reference, backward against its central finite differences. */
class GeluActivationTest {
    /** The reference: one row in double precision, written from the formula independently of the class. */
    static double[] reference(double[] x, Map<String, Double> o) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.5 * x[i] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x[i] + 0.044715 * Math.pow(x[i], 3))));
        }
        return y;
    }

    private final GeluActivation act = new GeluActivation();

    @Test
    void registersUnderItsName() {
        assertEquals("gelu", act.name());
    }

    @Test
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences() {
        check(Map.of());
    }

    /** The plain path always; the Vector API path too when the module is present. */
    double check(Map<String, Double> o) {
        double worst = ActivationCheck.check(act, GeluActivationTest::reference, o, 1);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertTrue(VectorProbe.AVAILABLE, "with the module present the Vector API path runs and is checked");
        }
        return Math.max(worst, ActivationCheck.check(new GeluActivation(false), GeluActivationTest::reference, o, 1));
    }
}
