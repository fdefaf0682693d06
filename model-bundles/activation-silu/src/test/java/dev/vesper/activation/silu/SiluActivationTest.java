package dev.vesper.activation.silu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vesper.testkit.ActivationCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward against a double-precision reference, backward against its central finite differences. */
class SiluActivationTest {
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

    /** The plain path always; the Vector API path too when the module is present. */
    double check(Map<String, Double> o) {
        double worst = ActivationCheck.check(act, SiluActivationTest::reference, o, 1);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            assertTrue(VectorProbe.AVAILABLE, "with the module present the Vector API path runs and is checked");
        }
        return Math.max(worst, ActivationCheck.check(new SiluActivation(false), SiluActivationTest::reference, o, 1));
    }
}
