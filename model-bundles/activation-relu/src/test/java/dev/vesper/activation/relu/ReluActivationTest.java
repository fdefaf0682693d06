package dev.vesper.activation.relu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vesper.testkit.ActivationCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forward against a double-precision reference, backward against its central finite differences. */
class ReluActivationTest {
    /** The reference: one row in double precision, written from the formula independently of the class. */
    static double[] reference(double[] x, Map<String, Double> o) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }

    private final ReluActivation act = new ReluActivation();

    @Test
    void registersUnderItsName() {
        assertEquals("relu", act.name());
    }

    @Test
    void forwardMatchesReferenceAndBackwardMatchesFiniteDifferences() {
        check(Map.of());
    }

    /** relu has one (plain) path. */
    double check(Map<String, Double> o) {
        return ActivationCheck.check(act, ReluActivationTest::reference, o, 1);
    }
}
